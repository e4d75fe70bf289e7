package io.kava.data.image;

import io.kava.Batch;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * Augmented batches over in-memory images, from {@link ImageDataGenerator#flow}, as Keras's
 * {@code NumpyArrayIterator}. With the generator's {@code validationSplit}, subset VALIDATION
 * is the first {@code int(n * split)} samples and TRAINING the rest. Labels ({@code y}, any
 * shape {@code [n, ...]}) pass through unchanged.
 *
 * <pre>{@code
 * jshell> ArrayIterator it = gen.flow(x, y, FlowOptions.defaults().batchSize(64).seed(1))
 * jshell> Batch b = it.next()
 * }</pre>
 */
public final class ArrayIterator extends ImageIterator {
  private final FloatNdArray x;
  private final FloatNdArray y;
  private final int offset;
  private final Shape image;
  private final FlowOptions options;
  private int saved;

  ArrayIterator(ImageDataGenerator gen, FloatNdArray x, FloatNdArray y, FlowOptions options) {
    this(gen, check(x, y), y, range(gen, x, options), options);
  }

  private ArrayIterator(ImageDataGenerator gen, FloatNdArray x, FloatNdArray y, int[] range,
      FlowOptions options) {
    super(gen, range[1] - range[0], options);
    this.x = x;
    this.y = y;
    this.offset = range[0];
    this.image = Shape.of(x.shape().get(1), x.shape().get(2), x.shape().get(3));
    this.options = options;
    if (samples() == 0) {
      throw new IllegalArgumentException("ImageDataGenerator.flow: the "
          + (options.subset == null ? "data" : options.subset.name().toLowerCase()
          + " subset") + " must hold at least one image; got none of " + x.shape().get(0)
          + ".");
    }
    warmUp(image.get(2));
  }

  private static FloatNdArray check(FloatNdArray x, FloatNdArray y) {
    if (x == null || x.rank() != 4) {
      throw new IllegalArgumentException("ImageDataGenerator.flow: x must have rank 4 (n, h, w,"
          + " c); got " + (x == null ? "null" : "shape " + x.shape()) + ".");
    }
    long c = x.shape().get(3);
    if (c != 1 && c != 3 && c != 4) {
      throw new IllegalArgumentException("ImageDataGenerator.flow: x must have 1, 3 or 4"
          + " channels on its last axis (NHWC); got shape " + x.shape() + ".");
    }
    if (y != null && (y.rank() == 0 || y.shape().get(0) != x.shape().get(0))) {
      throw new IllegalArgumentException("ImageDataGenerator.flow: x and y must hold the same"
          + " number of samples; got x " + x.shape() + " and y " + y.shape() + ".");
    }
    return x;
  }

  /** [from, to) of the samples this subset covers. */
  static int[] range(ImageDataGenerator gen, FloatNdArray x, FlowOptions options) {
    int n = (int) x.shape().get(0);
    if (options.subset == null) {
      return new int[] {0, n};
    }
    if (gen.validationSplit == 0) {
      throw new IllegalArgumentException("ImageDataGenerator.flow: subset "
          + options.subset + " needs the generator's validationSplit; it is not set.");
    }
    int split = (int) (n * gen.validationSplit);
    return options.subset == Subset.VALIDATION ? new int[] {0, split} : new int[] {split, n};
  }

  @Override
  Batch load(int[] samples, long[] seeds) {
    int per = (int) image.size();
    float[] out = generator.process((i, dst, at) -> x.get(offset + samples[i]).copyTo(
        DataBuffers.of(dst, false, false).offset(at).narrow(per)), samples.length, image, seeds);
    FloatNdArray xb = NdArrays.wrap(Shape.of(samples.length).append(image),
        DataBuffers.of(out, false, false));
    FloatNdArray yb = null;
    if (y != null) {
      long[] dims = y.shape().asArray();
      dims[0] = samples.length;
      yb = NdArrays.ofFloats(Shape.of(dims));
      for (int i = 0; i < samples.length; i++) {
        y.get(offset + samples[i]).copyTo(yb.get(i));
      }
    }
    if (options.saveToDir != null) {
      saved = ImageFiles.save(options, xb, saved, seeds);
    }
    return new Batch(xb, yb);
  }

  @Override
  public String toString() {
    return "ArrayIterator(samples=" + samples() + ", batch_size=" + batchSize
        + ", image=" + image + (y == null ? "" : ", y=" + y.shape()) + ")";
  }
}
