package io.kava.data.image;

import java.util.stream.IntStream;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Augments and standardizes a batch of images of one shape: per image, in parallel, the
 * affine warp with flips folded in ({@link Warp}), channel shift and brightness, the optional
 * preprocessing function, rescale and samplewise/featurewise normalization; then ZCA
 * whitening of the whole batch as one TensorFlow matmul.
 */
final class Augmenter {
  private final ImageDataGenerator gen;
  private final Shape image;
  private final ImageDataGenerator.Stats stats;
  private final Graph graph;
  private final Session session;
  private final Placeholder<TFloat32> flat;
  private final Operand<TFloat32> whitened;

  Augmenter(ImageDataGenerator gen, Shape image, ImageDataGenerator.Stats stats) {
    this.gen = gen;
    this.image = image;
    this.stats = stats;
    if (gen.zcaWhitening && stats != null && stats.zca() != null) {
      graph = new Graph();
      Ops tf = Ops.create(graph);
      long d = image.size();
      flat = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, d)));
      whitened = tf.linalg.matMul(flat, tf.constant(Shape.of(d, d),
          DataBuffers.of(stats.zca(), true, false)));
      session = NativeResources.session(this, graph, null);
    } else {
      graph = null;
      session = null;
      flat = null;
      whitened = null;
    }
  }

  /** Supplies image {@code i} of a batch by writing it at {@code dst[offset..]}. */
  @FunctionalInterface
  interface Source {
    void load(int i, float[] dst, int offset);
  }

  /** Runs {@code n} images already in one array ({@code pixels}, row-major), unchanged. */
  float[] run(float[] pixels, int n, Transform[] ts, boolean standardize) {
    int size = (int) image.size();
    return run((i, dst, offset) -> System.arraycopy(pixels, i * size, dst, offset, size), n, ts,
        standardize, new float[n * size]);
  }

  /**
   * As {@link #run(float[], int, Transform[], boolean)}, but writes the results over
   * {@code pixels} and returns it (a new array only after ZCA whitening): a batch needs no
   * second batch-sized array, whose fresh pages cost more than the copy of each warped image
   * (about 35 us per 12 KiB of never-touched heap on the machine of the bench).
   */
  float[] runInPlace(float[] pixels, int n, Transform[] ts, boolean standardize) {
    int size = (int) image.size();
    return run((i, dst, offset) -> {
      if (dst != pixels) {
        System.arraycopy(pixels, i * size, dst, offset, size);
      }
    }, n, ts, standardize, pixels);
  }

  /**
   * Loads, augments and standardizes {@code n} images, in parallel per image (so loading is
   * parallel too). {@code ts} null means no random transform; {@code standardize} false stops
   * after augmentation.
   */
  float[] run(Source source, int n, Transform[] ts, boolean standardize) {
    return run(source, n, ts, standardize, new float[n * (int) image.size()]);
  }

  /** As {@link #run(Source, int, Transform[], boolean)}, into {@code out}. */
  private float[] run(Source source, int n, Transform[] ts, boolean standardize, float[] out) {
    int h = (int) image.get(0);
    int w = (int) image.get(1);
    int c = (int) image.get(2);
    int size = h * w * c;
    IntStream range = IntStream.range(0, n);
    (n * (long) size > 50_000 ? range.parallel() : range).forEach(i -> {
      Transform t = ts == null ? Transform.IDENTITY : ts[i];
      if (t.resamples()) {
        float[] scratch = SCRATCH.get();
        if (scratch.length < size) {
          scratch = new float[size];
          SCRATCH.set(scratch);
        }
        source.load(i, scratch, 0);
        Warp.affine(scratch, 0, out, i * size, h, w, c, t.samplingMatrix(h, w), gen.fillMode,
            (float) gen.cval, gen.transformInterpolation == Interpolation.BILINEAR);
      } else {
        source.load(i, out, i * size);
      }
      if (t.channelShift() != 0) {
        Warp.channelShift(out, i, size, (float) t.channelShift());
      }
      if (t.brightness() != 1) {
        Warp.brightness(out, i, size, (float) t.brightness());
      }
      if (standardize) {
        if (gen.preprocessing != null) {
          preprocess(out, i, size);
        }
        standardize(out, i, size, c);
      }
    });
    return standardize && whitened != null ? whiten(out, n) : out;
  }

  /** A per-thread image buffer for the source of a warp (reused across batches). */
  private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[0]);

  private void preprocess(float[] x, int i, int size) {
    float[] one = java.util.Arrays.copyOfRange(x, i * size, (i + 1) * size);
    FloatNdArray p = gen.preprocessing.apply(NdArrays.wrap(image, DataBuffers.of(one, false,
        false)));
    if (p == null || !p.shape().equals(image)) {
      throw new IllegalArgumentException("ImageDataGenerator: preprocessing function must"
          + " return an image of shape " + image + "; got " + (p == null ? "null"
          : p.shape()) + ".");
    }
    p.copyTo(DataBuffers.of(x, false, false).offset((long) i * size).narrow(size));
  }

  /** Keras's standardize order, for image {@code i}; ZCA is done batch-wise after. */
  private void standardize(float[] x, int i, int size, int c) {
    int from = i * size;
    int to = from + size;
    if (gen.rescale != 0 && gen.rescale != 1) {
      float r = (float) gen.rescale;
      for (int p = from; p < to; p++) {
        x[p] *= r;
      }
    }
    if (gen.samplewiseCenter) {
      double sum = 0;
      for (int p = from; p < to; p++) {
        sum += x[p];
      }
      float mean = (float) (sum / size);
      for (int p = from; p < to; p++) {
        x[p] -= mean;
      }
    }
    if (gen.samplewiseStd) {
      double sq = 0;
      for (int p = from; p < to; p++) {
        sq += (double) x[p] * x[p];
      }
      float sd = (float) Math.sqrt(sq / size) + 1e-6f;
      for (int p = from; p < to; p++) {
        x[p] /= sd;
      }
    }
    if (gen.featurewiseCenter && stats != null && stats.mean() != null) {
      float[] mean = stats.mean();
      for (int p = from; p < to; p++) {
        x[p] -= mean[(p - from) % c];
      }
    }
    if (gen.featurewiseStd && stats != null && stats.std() != null) {
      float[] sd = stats.std();
      for (int p = from; p < to; p++) {
        x[p] /= sd[(p - from) % c] + 1e-6f;
      }
    }
  }

  private float[] whiten(float[] x, int n) {
    long d = image.size();
    try (TFloat32 t = TFloat32.tensorOf(Shape.of(n, d), DataBuffers.of(x, true, false));
        Result r = session.runner().feed(flat, t).fetch(whitened).run()) {
      TFloat32 out = (TFloat32) r.get(0);
      float[] v = new float[x.length];
      out.copyTo(DataBuffers.of(v, false, false));
      return v;
    }
  }
}
