package io.kava.data.datasets;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * MNIST handwritten digits: 28x28 grey images, classes 0..9, pixel values 0..255.
 *
 * <pre>{@code
 * jshell> ImageDataset digits = Mnist.sample()         // 10,000 digits bundled with Kava
 * jshell> ImageDataset train = Mnist.fromIdx(Path.of("train-images-idx3-ubyte.gz"),
 *    ...>     Path.of("train-labels-idx1-ubyte.gz"))
 * }</pre>
 */
public final class Mnist {
  private static final List<String> CLASSES =
      List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
  private static final String SAMPLE = "mnist-sample/";

  private Mnist() {}

  /** Reads an images IDX file and a labels IDX file (gzipped or not). */
  public static ImageDataset fromIdx(Path images, Path labels) {
    return of(Idx.read(images), Idx.read(labels), images.toString(), labels.toString());
  }

  /**
   * The 10,000-digit MNIST sample bundled in this jar (see {@code mnist-sample/SOURCE.txt}):
   * works offline. Suggested split: the first 8,000 to train, the last 2,000 to test.
   */
  public static ImageDataset sample() {
    try (InputStream images = resource("images-idx3-ubyte.gz");
        InputStream labels = resource("labels-idx1-ubyte.gz")) {
      return of(Idx.read(images, SAMPLE + "images"), Idx.read(labels, SAMPLE + "labels"),
          "bundled images", "bundled labels");
    } catch (IOException e) {
      throw new UncheckedIOException("Mnist: cannot read the bundled sample", e);
    }
  }

  private static InputStream resource(String name) {
    InputStream in = Mnist.class.getResourceAsStream(SAMPLE + name);
    if (in == null) {
      throw new IllegalStateException("Mnist: bundled resource " + SAMPLE + name
          + " is missing from the class path.");
    }
    return in;
  }

  static ImageDataset of(Idx.UByteArray images, Idx.UByteArray labels, String imagesName,
      String labelsName) {
    int[] d = images.dims();
    if (d.length != 3) {
      throw new IllegalArgumentException("MNIST images " + imagesName + ": must have rank 3"
          + " [n, rows, cols]; got rank " + d.length + ".");
    }
    if (labels.dims().length != 1 || labels.dims()[0] != d[0]) {
      throw new IllegalArgumentException("MNIST labels " + labelsName + ": must hold one label"
          + " per image (" + d[0] + "); got shape " + java.util.Arrays.toString(labels.dims())
          + ".");
    }
    byte[] px = images.data();
    float[] v = new float[px.length];
    for (int i = 0; i < px.length; i++) {
      v[i] = px[i] & 0xff;
    }
    int[] y = new int[d[0]];
    for (int i = 0; i < y.length; i++) {
      y[i] = labels.data()[i] & 0xff;
    }
    FloatNdArray x = NdArrays.wrap(Shape.of(d[0], d[1], d[2], 1), DataBuffers.of(v, false,
        false));
    return new ImageDataset(x, y, CLASSES);
  }
}
