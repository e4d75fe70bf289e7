package io.kava.data.datasets;

import java.util.List;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * Images with integer class labels, as Keras's {@code load_data()} returns them: raw pixel
 * values 0..255 as floats, NHWC.
 *
 * <pre>{@code
 * jshell> ImageDataset mnist = Mnist.sample()
 * mnist ==> ImageDataset(images=[10000, 28, 28, 1], classes=10)
 * jshell> var train = mnist.take(0, 8000); var test = mnist.take(8000, 10000)
 * }</pre>
 */
public final class ImageDataset {
  private final FloatNdArray images;
  private final int[] labels;
  private final List<String> classNames;

  /**
   * @param images {@code [n, h, w, c]}
   * @param labels one class index per image, each in [0, classNames.size())
   */
  public ImageDataset(FloatNdArray images, int[] labels, List<String> classNames) {
    if (images == null || images.rank() != 4) {
      throw new IllegalArgumentException("ImageDataset: images must have rank 4 [n, h, w, c]; "
          + "got " + (images == null ? "null" : images.shape()) + ".");
    }
    if (labels == null || labels.length != images.shape().get(0)) {
      throw new IllegalArgumentException("ImageDataset: labels must hold one label per image ("
          + images.shape().get(0) + "); got " + (labels == null ? "null" : labels.length) + ".");
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= classNames.size()) {
        throw new IllegalArgumentException("ImageDataset: labels must be in [0, "
            + classNames.size() + "); got " + labels[i] + " at image " + i + ".");
      }
    }
    this.images = images;
    this.labels = labels.clone();
    this.classNames = List.copyOf(classNames);
  }

  /** {@code [n, h, w, c]}, pixel values 0..255. */
  public FloatNdArray images() {
    return images;
  }

  /** Class index per image. */
  public int[] labels() {
    return labels.clone();
  }

  public List<String> classNames() {
    return classNames;
  }

  public int size() {
    return labels.length;
  }

  /** Images {@code [from, to)} as a new data set (e.g. a train/test split). */
  public ImageDataset take(int from, int to) {
    if (from < 0 || to > size() || from >= to) {
      throw new IllegalArgumentException("ImageDataset: range must satisfy 0 <= from < to <= "
          + size() + "; got [" + from + ", " + to + ").");
    }
    long[] d = images.shape().asArray();
    d[0] = to - from;
    FloatNdArray part = NdArrays.ofFloats(Shape.of(d));
    for (int i = from; i < to; i++) {
      images.get(i).copyTo(part.get(i - from));
    }
    return new ImageDataset(part, java.util.Arrays.copyOfRange(labels, from, to), classNames);
  }

  /**
   * {@code n} images drawn at random without replacement (in random order), reproducibly
   * from {@code seed}: a fair subset of a class-ordered data set.
   */
  public ImageDataset sample(int n, long seed) {
    if (n <= 0 || n > size()) {
      throw new IllegalArgumentException("ImageDataset: sample size must be in [1, " + size()
          + "]; got " + n + ".");
    }
    int[] order = io.kava.internal.EpochOrder.of(size(), true, seed, 0);
    long[] d = images.shape().asArray();
    d[0] = n;
    FloatNdArray part = NdArrays.ofFloats(Shape.of(d));
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      images.get(order[i]).copyTo(part.get(i));
      y[i] = labels[order[i]];
    }
    return new ImageDataset(part, y, classNames);
  }

  /** Labels as floats {@code [n]}, for {@code SparseCategoricalCrossentropy}. */
  public FloatNdArray sparseLabels() {
    float[] v = new float[labels.length];
    for (int i = 0; i < v.length; i++) {
      v[i] = labels[i];
    }
    return NdArrays.wrap(Shape.of(v.length), DataBuffers.of(v, true, false));
  }

  /** One-hot labels {@code [n, classes]}, for {@code CategoricalCrossentropy}. */
  public FloatNdArray oneHotLabels() {
    return Labels.toCategorical(labels, classNames.size());
  }

  @Override
  public String toString() {
    return "ImageDataset(images=" + images.shape() + ", classes=" + classNames.size() + ")";
  }
}
