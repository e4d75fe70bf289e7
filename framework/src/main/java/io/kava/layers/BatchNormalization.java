package io.kava.layers;

import io.kava.internal.Checks;
import io.kava.saving.Config;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.nn.FusedBatchNorm;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Batch normalization over the last axis (channels), Keras's {@code BatchNormalization}.
 *
 * <p>Training: normalizes with the batch's mean and variance and moves the stored statistics
 * toward them ({@code moving = moving * momentum + batch * (1 - momentum)}). Inference: uses
 * the moving statistics. Output {@code gamma * (x - mean) / sqrt(var + epsilon) + beta}.
 *
 * <p>Input and output shape: any; same shape. Weights for {@code c} channels: {@code gamma},
 * {@code beta} (trainable), {@code moving_mean}, {@code moving_variance} (not trainable).
 * In a layer the model froze ({@code model.freeze}), it normalizes with the moving
 * statistics even while training, as Keras 3 does.
 * Defaults: momentum 0.99, epsilon 0.001, center and scale on.
 *
 * <pre>{@code
 * jshell> new Sequential(Input.of(28, 28, 1), Conv2D.of(32, 3), BatchNormalization.of(),
 *    ...>     Activation.RELU)
 * }</pre>
 */
public final class BatchNormalization implements Layer {
  private final double momentum;
  private final double epsilon;
  private final boolean center;
  private final boolean scale;
  private final String name;

  private BatchNormalization(double momentum, double epsilon, boolean center, boolean scale,
      String name) {
    this.momentum = momentum;
    this.epsilon = epsilon;
    this.center = center;
    this.scale = scale;
    this.name = name;
  }

  public static BatchNormalization of() {
    return new BatchNormalization(0.99, 1e-3, true, true, null);
  }

  /** Weight of the old moving statistics, in [0, 1). */
  public BatchNormalization momentum(double momentum) {
    Checks.inRangeExclusive(subject(), "momentum", momentum, 0, 1);
    return new BatchNormalization(momentum, epsilon, center, scale, name);
  }

  public BatchNormalization epsilon(double epsilon) {
    Checks.positive(subject(), "epsilon", epsilon);
    return new BatchNormalization(momentum, epsilon, center, scale, name);
  }

  /** Whether to add the learned offset {@code beta}. */
  public BatchNormalization center(boolean center) {
    return new BatchNormalization(momentum, epsilon, center, scale, name);
  }

  /** Whether to multiply by the learned factor {@code gamma}. */
  public BatchNormalization scale(boolean scale) {
    return new BatchNormalization(momentum, epsilon, center, scale, name);
  }

  public BatchNormalization name(String name) {
    return new BatchNormalization(momentum, epsilon, center, scale,
        Checks.name("BatchNormalization", name));
  }

  public double momentum() {
    return momentum;
  }

  public double epsilon() {
    return epsilon;
  }

  public boolean center() {
    return center;
  }

  public boolean scale() {
    return scale;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String type() {
    return "BatchNormalization";
  }

  @Override
  public String defaultName() {
    return "batch_normalization";
  }

  @Override
  public Shape outputShape(Shape inputShape) {
    if (inputShape.numDimensions() < 1) {
      throw new IllegalArgumentException(subject() + ": input must have rank >= 1 per sample;"
          + " got shape " + Checks.shape(inputShape) + ".");
    }
    return inputShape;
  }

  @Override
  public List<WeightSpec> weights(Shape inputShape) {
    outputShape(inputShape);
    Shape c = Shape.of(inputShape.get(inputShape.numDimensions() - 1));
    List<WeightSpec> w = new ArrayList<>(4);
    if (scale) {
      w.add(WeightSpec.trainable("gamma", c, Initializer.ones(), null));
    }
    if (center) {
      w.add(WeightSpec.trainable("beta", c, Initializer.zeros(), null));
    }
    w.add(WeightSpec.nonTrainable("moving_mean", c, Initializer.zeros()));
    w.add(WeightSpec.nonTrainable("moving_variance", c, Initializer.ones()));
    return w;
  }

  @Override
  public Operand<TFloat32> call(LayerContext ctx, Operand<TFloat32> input) {
    if (input.shape().numDimensions() == 4) {
      return fused(ctx, input);
    }
    Ops tf = ctx.tf();
    Operand<TFloat32> mean;
    Operand<TFloat32> variance;
    if (ctx.training() && ctx.trainable()) {
      Operand<TInt32> axes = tf.range(tf.constant(0), tf.math.sub(tf.rank(input),
          tf.constant(1)), tf.constant(1));
      mean = tf.math.mean(input, axes);
      variance = tf.math.mean(tf.math.squaredDifference(input, tf.stopGradient(mean)), axes);
      updateMovingAverages(ctx, mean, variance);
    } else {
      mean = ctx.weight("moving_mean");
      variance = ctx.weight("moving_variance");
    }
    Operand<TFloat32> inv = tf.math.rsqrt(tf.math.add(variance, tf.constant((float) epsilon)));
    if (scale) {
      inv = tf.math.mul(inv, ctx.weight("gamma"));
    }
    Operand<TFloat32> y = tf.math.mul(tf.math.sub(input, mean), inv);
    return center ? tf.math.add(y, ctx.weight("beta")) : y;
  }

  /**
   * Images (NHWC) go through TensorFlow's fused kernel (FusedBatchNormV3: one pass forward
   * and backward in oneDNN and cuDNN), as Keras does on TensorFlow. Same values as the
   * general path; the moving variance stays the biased batch variance, as in Keras 3.
   */
  private Operand<TFloat32> fused(LayerContext ctx, Operand<TFloat32> input) {
    Ops tf = ctx.tf();
    Operand<TFloat32> movingMean = ctx.weight("moving_mean");
    Operand<TInt32> channels = tf.shape(movingMean);
    Operand<TFloat32> gamma = scale ? ctx.weight("gamma") : tf.fill(channels, tf.constant(1f));
    Operand<TFloat32> beta = center ? ctx.weight("beta") : tf.fill(channels, tf.constant(0f));
    FusedBatchNorm.Options eps = FusedBatchNorm.epsilon((float) epsilon);
    if (!(ctx.training() && ctx.trainable())) {
      return tf.nn.fusedBatchNorm(input, gamma, beta, movingMean,
          ctx.weight("moving_variance"), eps, FusedBatchNorm.isTraining(false)).y();
    }
    Operand<TFloat32> none = tf.constant(new float[0]);
    FusedBatchNorm<TFloat32, TFloat32> bn = tf.nn.fusedBatchNorm(input, gamma, beta, none,
        none, eps, FusedBatchNorm.isTraining(true));
    // The kernel reports the unbiased variance: undo n / (n - 1), n = batch * height * width.
    Operand<TFloat32> n = tf.dtypes.cast(tf.math.div(tf.size(input), tf.size(movingMean)),
        TFloat32.class);
    Operand<TFloat32> biased = tf.math.mul(bn.batchVariance(),
        tf.math.div(tf.math.sub(n, tf.constant(1f)), n));
    updateMovingAverages(ctx, bn.batchMean(), biased);
    return bn.y();
  }

  private void updateMovingAverages(LayerContext ctx, Operand<TFloat32> mean,
      Operand<TFloat32> variance) {
    Ops tf = ctx.tf();
    Operand<TFloat32> m = tf.constant((float) momentum);
    Operand<TFloat32> oneMinus = tf.constant((float) (1 - momentum));
    ctx.addUpdate(tf.assign(ctx.variable("moving_mean"), tf.math.add(
        tf.math.mul(ctx.weight("moving_mean"), m), tf.math.mul(mean, oneMinus))));
    ctx.addUpdate(tf.assign(ctx.variable("moving_variance"), tf.math.add(
        tf.math.mul(ctx.weight("moving_variance"), m), tf.math.mul(variance, oneMinus))));
  }

  private String subject() {
    return Checks.subject("BatchNormalization", name);
  }

  /** Keras's config: momentum, epsilon, center, scale. */
  @Override
  public Config config() {
    return Config.builder().put("momentum", momentum).put("epsilon", epsilon)
        .put("center", center).put("scale", scale).build();
  }

  /** Rebuilds a BatchNormalization from {@link #config()}; missing keys take the defaults. */
  public static BatchNormalization fromConfig(Config c) {
    BatchNormalization d = of();
    return d.momentum(c.getDouble("momentum", d.momentum))
        .epsilon(c.getDouble("epsilon", d.epsilon)).center(c.getBoolean("center", d.center))
        .scale(c.getBoolean("scale", d.scale));
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("BatchNormalization(");
    List<String> parts = new ArrayList<>();
    if (momentum != 0.99) {
      parts.add("momentum=" + momentum);
    }
    if (epsilon != 1e-3) {
      parts.add("epsilon=" + epsilon);
    }
    if (!center) {
      parts.add("center=false");
    }
    if (!scale) {
      parts.add("scale=false");
    }
    if (name != null) {
      parts.add("name=" + name);
    }
    return b.append(String.join(", ", parts)).append(')').toString();
  }
}
