package io.kava.data.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * Reads single image files (JPEG, PNG, GIF, BMP, TIFF, PPM) as float pixels 0..255 of a fixed
 * size and color mode, as Keras's {@code load_img(path, target_size=...)} plus
 * {@code img_to_array}. Reuse one reader for many files: it holds the resize graph.
 *
 * <pre>{@code
 * jshell> var reader = ImageReader.of(256, 256)
 * jshell> FloatNdArray img = reader.read(Path.of("cat.1.jpg"))    // [256, 256, 3]
 * }</pre>
 */
public final class ImageReader {
  private final ImageDecoder decoder;

  private ImageReader(ImageDecoder decoder) {
    this.decoder = decoder;
  }

  /** RGB images resized to {@code height x width} with bilinear interpolation. */
  public static ImageReader of(int height, int width) {
    return of(height, width, ColorMode.RGB, Interpolation.BILINEAR, false);
  }

  public static ImageReader of(int height, int width, ColorMode mode,
      Interpolation interpolation, boolean keepAspectRatio) {
    if (height <= 0 || width <= 0) {
      throw new IllegalArgumentException("ImageReader: size must be > 0; got " + height + "x"
          + width + ".");
    }
    if (mode == null || interpolation == null) {
      throw new IllegalArgumentException("ImageReader: color mode and interpolation must be"
          + " non-null.");
    }
    return new ImageReader(new ImageDecoder(height, width, mode, interpolation,
        keepAspectRatio));
  }

  /** The image {@code (height, width, channels)}; a clear error names unreadable files. */
  public FloatNdArray read(Path file) {
    byte[] data;
    try {
      data = Files.readAllBytes(file);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new IllegalArgumentException("Image " + file + ": must exist; it does not.", e);
    } catch (IOException e) {
      throw new UncheckedIOException("Image " + file + ": cannot read: " + e.getMessage(), e);
    }
    float[] px = decoder.decode(file, data);
    return NdArrays.wrap(decoder.shape(), DataBuffers.of(px, false, false));
  }

  /** The shape of every image read. */
  public Shape shape() {
    return decoder.shape();
  }

  @Override
  public String toString() {
    return "ImageReader(" + decoder.shape() + ")";
  }
}
