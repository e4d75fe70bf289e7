package io.kava.data.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import javax.imageio.ImageIO;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;

/** Arrays, image files and captured output for the image pipeline tests. */
final class TestImages {
  /** The shared CIFAR-10 JPEGs, relative to the data module. */
  static final Path CIFAR = Path.of("../../shared/data/cifar10-jpg");

  private TestImages() {}

  /** An array of {@code shape} holding {@code values} row-major. */
  static FloatNdArray array(Shape shape, float... values) {
    if (shape.size() != values.length) {
      throw new IllegalArgumentException(shape + " needs " + shape.size() + " values; got "
          + values.length);
    }
    return NdArrays.wrap(shape, DataBuffers.of(values.clone(), false, false));
  }

  /** One image {@code (h, w, c)} with {@code values} row-major. */
  static FloatNdArray image(int h, int w, int c, float... values) {
    return array(Shape.of(h, w, c), values);
  }

  /** Uniform values in [lo, hi), reproducible from {@code seed}. */
  static float[] uniform(long seed, int n, double lo, double hi) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] v = new float[n];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (lo + (hi - lo) * r.nextDouble());
    }
    return v;
  }

  /** Uniform random array of {@code shape} in [lo, hi). */
  static FloatNdArray uniform(long seed, double lo, double hi, long... shape) {
    Shape s = Shape.of(shape);
    return array(s, uniform(seed, (int) s.size(), lo, hi));
  }

  /** The values of {@code a}, row-major. */
  static float[] flat(FloatNdArray a) {
    return ImageDataGenerator.flat(a);
  }

  /**
   * {@code n} images {@code (h, w, c)} in which every pixel of image {@code i} equals
   * {@code i}: the index can be read back from any pixel after shuffling.
   */
  static FloatNdArray indexed(int n, int h, int w, int c) {
    int per = h * w * c;
    float[] v = new float[n * per];
    for (int i = 0; i < n; i++) {
      java.util.Arrays.fill(v, i * per, (i + 1) * per, i);
    }
    return array(Shape.of(n, h, w, c), v);
  }

  /** {@code [n, 1]} labels {@code 1000 + i}. */
  static FloatNdArray indexLabels(int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = 1000 + i;
    }
    return array(Shape.of(n, 1), v);
  }

  /** A solid-colour RGB image. */
  static BufferedImage solid(int w, int h, int rgb) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.setRGB(x, y, rgb);
      }
    }
    return img;
  }

  /** Writes {@code img} to {@code file} in the format its extension names. */
  static Path write(BufferedImage img, Path file) throws IOException {
    Files.createDirectories(file.getParent());
    String name = file.getFileName().toString();
    String format = name.substring(name.lastIndexOf('.') + 1).toLowerCase();
    format = format.equals("jpg") ? "jpeg" : format.equals("tif") ? "tiff" : format;
    if (!ImageIO.write(img, format, file.toFile())) {
      throw new IOException("no ImageIO writer for " + format);
    }
    return file;
  }

  /** Runs {@code body} with System.out (or err) captured; returns what it printed. */
  static <T> Captured<T> capture(boolean stderr, Supplier<T> body) {
    PrintStream old = stderr ? System.err : System.out;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream tee = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    if (stderr) {
      System.setErr(tee);
    } else {
      System.setOut(tee);
    }
    try {
      T value = body.get();
      return new Captured<>(value, bytes.toString(StandardCharsets.UTF_8));
    } finally {
      if (stderr) {
        System.setErr(old);
      } else {
        System.setOut(old);
      }
    }
  }

  record Captured<T>(T value, String text) {}
}
