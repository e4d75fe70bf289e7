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
 * jshell> TrainTest mnist = Mnist.load()                // Keras's cache, else downloaded
 * jshell> ImageDataset digits = Mnist.sample()         // 10,000 digits bundled with Kava
 * jshell> ImageDataset train = Mnist.fromIdx(Path.of("train-images-idx3-ubyte.gz"),
 *    ...>     Path.of("train-labels-idx1-ubyte.gz"))
 * }</pre>
 */
public final class Mnist {
  private static final List<String> CLASSES =
      List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
  private static final String SAMPLE = "mnist-sample/";

  /** Keras's copy of MNIST and its SHA-256, as {@code keras.datasets.mnist.load_data}. */
  static final String URL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz";
  static final String SHA256 =
      "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1";

  private Mnist() {}

  /**
   * The 70,000 MNIST digits, as Keras's {@code mnist.load_data()}: from Keras's cache
   * ({@code ~/.keras/datasets/mnist.npz}, shared with Python), downloaded there with its
   * checksum verified if missing.
   */
  public static TrainTest load() {
    return load(Download.kerasCache());
  }

  /** As {@link #load()}, with another cache folder. */
  public static TrainTest load(Path cacheDir) {
    return fromNpz(Download.cached(cacheDir, "mnist.npz", URL, "SHA-256", SHA256));
  }

  /**
   * Reads Keras's {@code mnist.npz} ({@code x_train}, {@code y_train}, {@code x_test},
   * {@code y_test}).
   */
  public static TrainTest fromNpz(Path npz) {
    var arrays = Npy.readNpz(npz);
    return new TrainTest(fromArrays(arrays, "x_train", "y_train", npz),
        fromArrays(arrays, "x_test", "y_test", npz));
  }

  static ImageDataset fromArrays(java.util.Map<String, FloatNdArray> arrays, String xKey,
      String yKey, Path source) {
    FloatNdArray x = arrays.get(xKey);
    FloatNdArray y = arrays.get(yKey);
    if (x == null || y == null || x.rank() != 3 || y.rank() != 1
        || x.shape().get(0) != y.shape().get(0)) {
      throw new IllegalArgumentException("npz file " + source + ": must hold " + xKey
          + " [n, 28, 28] and " + yKey + " [n]; got " + (x == null ? "no " + xKey : x.shape())
          + " and " + (y == null ? "no " + yKey : y.shape()) + ".");
    }
    long[] d = x.shape().asArray();
    float[] v = new float[Math.toIntExact(x.shape().size())];
    x.copyTo(DataBuffers.of(v, false, false));
    int[] labels = new int[(int) d[0]];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = (int) y.getFloat(i);
    }
    return new ImageDataset(NdArrays.wrap(Shape.of(d[0], d[1], d[2], 1),
        DataBuffers.of(v, false, false)), labels, CLASSES);
  }

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
