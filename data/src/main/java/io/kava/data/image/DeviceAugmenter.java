package io.kava.data.image;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.DeviceSpec;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Max;
import org.tensorflow.op.core.Min;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.image.ImageProjectiveTransformV3;
import org.tensorflow.op.math.Mean;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The augmentation and standardization pipeline as one TensorFlow graph placed on the GPU:
 * {@code ImageProjectiveTransformV3} with one sampling matrix per image (flips folded in),
 * channel shift, brightness, rescale, samplewise and featurewise normalization and ZCA, in
 * Keras's order, in one {@code Session.run} per batch. Used instead of the Java pipeline
 * when TensorFlow sees a GPU (on a CPU the Java warp is faster); the tests run it on the CPU
 * and compare it with the Java pipeline.
 */
final class DeviceAugmenter {
  private final Shape image;
  private final Session session;
  private final Placeholder<TFloat32> input;
  private final Placeholder<TFloat32> matrices;
  private final Placeholder<TFloat32> shifts;
  private final Placeholder<TFloat32> brightness;
  private final Operand<TFloat32> output;
  private final Operand<TFloat32> augmentedOnly;
  private final ImageDataGenerator gen;

  DeviceAugmenter(ImageDataGenerator gen, Shape image, ImageDataGenerator.Stats stats,
      DeviceSpec device) {
    this.gen = gen;
    this.image = image;
    Graph graph = new Graph();
    Ops tf = Ops.create(graph).withDevice(device);
    Shape batch = Shape.of(-1).append(image);
    input = tf.placeholder(TFloat32.class, Placeholder.shape(batch));
    matrices = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 8)));
    shifts = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));
    brightness = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));
    Operand<TFloat32> x = tf.image.imageProjectiveTransformV3(input, matrices,
        tf.constant(new int[] {(int) image.get(0), (int) image.get(1)}),
        tf.constant((float) gen.cval), gen.transformInterpolation.name(),
        ImageProjectiveTransformV3.fillMode(gen.fillMode.name()));
    Operand<TInt32> axes = tf.constant(new int[] {1, 2, 3});
    Operand<TFloat32> perImage = tf.reshape(shifts, tf.constant(new long[] {-1, 1, 1, 1}));
    // Keras clips the shifted image to its own range; Minimum/Maximum broadcast per image.
    x = tf.math.maximum(tf.math.minimum(tf.math.add(x, perImage),
        tf.max(x, axes, Max.keepDims(true))), tf.min(x, axes, Min.keepDims(true)));
    x = tf.clipByValue(tf.math.mul(x, tf.reshape(brightness, tf.constant(new long[] {-1, 1, 1,
        1}))), tf.constant(0f), tf.constant(255f));
    augmentedOnly = x;
    if (gen.rescale != 0 && gen.rescale != 1) {
      x = tf.math.mul(x, tf.constant((float) gen.rescale));
    }
    if (gen.samplewiseCenter) {
      x = tf.math.sub(x, tf.math.mean(x, axes, Mean.keepDims(true)));
    }
    if (gen.samplewiseStd) {
      var sd = tf.math.sqrt(tf.math.mean(tf.math.square(x), axes, Mean.keepDims(true)));
      x = tf.math.div(x, tf.math.add(sd, tf.constant(1e-6f)));
    }
    if (gen.featurewiseCenter && stats != null && stats.mean() != null) {
      x = tf.math.sub(x, tf.constant(stats.mean()));
    }
    if (gen.featurewiseStd && stats != null && stats.std() != null) {
      x = tf.math.div(x, tf.math.add(tf.constant(stats.std()), tf.constant(1e-6f)));
    }
    if (gen.zcaWhitening && stats != null && stats.zca() != null) {
      long d = image.size();
      x = tf.reshape(tf.linalg.matMul(tf.reshape(x, tf.constant(new long[] {-1, d})),
          tf.constant(Shape.of(d, d), DataBuffers.of(stats.zca(), true, false))),
          tf.constant(batch.asArray()));
    }
    output = x;
    session = NativeResources.session(this, graph,
        ConfigProto.newBuilder().setAllowSoftPlacement(true).build());
  }

  /** Augments (and, if asked, standardizes) {@code n} images in one run. */
  float[] run(float[] pixels, int n, Transform[] ts, boolean standardize) {
    int h = (int) image.get(0);
    int w = (int) image.get(1);
    float[] m = new float[n * 8];
    float[] s = new float[n];
    float[] b = new float[n];
    for (int i = 0; i < n; i++) {
      Transform t = ts == null ? Transform.IDENTITY : ts[i];
      System.arraycopy(t.samplingMatrix(h, w), 0, m, i * 8, 6);
      s[i] = (float) t.channelShift();
      b[i] = (float) t.brightness();
    }
    List<Tensor> fed = new ArrayList<>();
    try {
      TFloat32 x = add(fed, TFloat32.tensorOf(Shape.of(n).append(image),
          DataBuffers.of(pixels, true, false)));
      Session.Runner r = session.runner().feed(input, x)
          .feed(matrices, add(fed, TFloat32.tensorOf(Shape.of(n, 8), DataBuffers.of(m))))
          .feed(shifts, add(fed, TFloat32.vectorOf(s)))
          .feed(brightness, add(fed, TFloat32.vectorOf(b)))
          .fetch(standardize ? output : augmentedOnly);
      try (Result res = r.run()) {
        TFloat32 out = (TFloat32) res.get(0);
        float[] v = new float[Math.toIntExact(out.shape().size())];
        out.copyTo(DataBuffers.of(v, false, false));
        return v;
      }
    } finally {
      fed.forEach(Tensor::close);
    }
  }

  private static <T extends Tensor> T add(List<Tensor> fed, T t) {
    fed.add(t);
    return t;
  }

  /**
   * Whether TensorFlow can place ops on a GPU here (a CUDA build and a visible device). Asks
   * TensorFlow only where an NVIDIA driver is loaded: loading TensorFlow's native library
   * takes 1-8 s, which made the first batches of {@code flow()} (which needs no TensorFlow on
   * a CPU) 10x slower than the rest of the epoch.
   */
  static boolean gpuAvailable() {
    if (!Files.exists(Path.of("/proc/driver/nvidia")) && !Files.exists(Path.of("/dev/nvidia0"))) {
      return false;
    }
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g).withDevice(DeviceSpec.newBuilder()
          .deviceType(DeviceSpec.DeviceType.GPU).deviceIndex(0).build());
      var c = tf.math.add(tf.constant(1f), tf.constant(1f));
      try (Session s = new Session(g, ConfigProto.newBuilder().setAllowSoftPlacement(false)
          .build()); Result r = s.runner().fetch(c).run()) {
        return true;
      }
    } catch (RuntimeException e) {
      return false;
    }
  }
}
