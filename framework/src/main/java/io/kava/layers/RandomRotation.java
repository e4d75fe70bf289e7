package io.kava.layers;

import io.kava.internal.Checks;
import io.kava.saving.Config;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Rotates images by a random angle while training, Keras's {@code RandomRotation}: each image
 * turns about its centre by {@code U(lower, upper) * 2 pi} radians, positive counter-clockwise,
 * filling the corners per the fill mode. Only on the training path: at inference
 * ({@code predict}, {@code evaluate}, exports) it is the identity. Draws come from stateless
 * random ops seeded by the fit seed and the step, as {@link Dropout}'s.
 *
 * <p>The warp is TensorFlow's {@code ImageProjectiveTransformV3}, which has no gradient: put
 * the layer before every layer with weights (right after the Input); a model with weights
 * before it fails to build for training, with a message saying so. Input shape
 * {@code (h, w, c)}; same output shape. No weights. Defaults as Keras: fill mode REFLECT,
 * interpolation BILINEAR, fill value 0.
 *
 * <pre>{@code
 * jshell> RandomRotation.of(0.1)                 // up to 36 degrees either way
 * $1 ==> RandomRotation(factor=(-0.1, 0.1))
 * jshell> RandomRotation.of(-0.05, 0.2).fillMode(FillMode.CONSTANT)
 * }</pre>
 */
public final class RandomRotation implements Layer {
  private final FactorRange factor;
  private final WarpOptions warp;
  private final String name;

  private RandomRotation(FactorRange factor, WarpOptions warp, String name) {
    this.factor = factor;
    this.warp = warp;
    this.name = name;
  }

  /** Angles up to {@code |factor|} of a full turn either way; {@code factor} in [-1, 1]. */
  public static RandomRotation of(double factor) {
    return new RandomRotation(FactorRange.symmetric("RandomRotation", "factor", factor),
        WarpOptions.DEFAULTS, null);
  }

  /** Angles from {@code lower} to {@code upper} of a full turn (sorted), each in [-1, 1]. */
  public static RandomRotation of(double lower, double upper) {
    return new RandomRotation(FactorRange.of("RandomRotation", "factor", lower, upper),
        WarpOptions.DEFAULTS, null);
  }

  public RandomRotation fillMode(FillMode mode) {
    return new RandomRotation(factor, warp.fillMode(subject(), mode), name);
  }

  public RandomRotation interpolation(Interpolation interpolation) {
    return new RandomRotation(factor, warp.interpolation(subject(), interpolation), name);
  }

  /** The value outside the image with {@link FillMode#CONSTANT}. */
  public RandomRotation fillValue(double value) {
    return new RandomRotation(factor, warp.fillValue(subject(), value), name);
  }

  public RandomRotation name(String name) {
    return new RandomRotation(factor, warp, Checks.name("RandomRotation", name));
  }

  /** {lower, upper}, fractions of a full turn. */
  public double[] factor() {
    return new double[] {factor.lower(), factor.upper()};
  }

  public FillMode fillMode() {
    return warp.fillMode();
  }

  public Interpolation interpolation() {
    return warp.interpolation();
  }

  public double fillValue() {
    return warp.fillValue();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String type() {
    return "RandomRotation";
  }

  @Override
  public String defaultName() {
    return "random_rotation";
  }

  @Override
  public Shape outputShape(Shape inputShape) {
    Images.requireImage(subject(), inputShape);
    return inputShape;
  }

  @Override
  public Operand<TFloat32> call(LayerContext ctx, Operand<TFloat32> input) {
    if (!ctx.training()) {
      return input;
    }
    Augmentation.requireNoWeightsBefore(subject(), input);
    Ops tf = ctx.tf();
    Operand<TFloat32> angle = tf.math.mul(Augmentation.between(tf,
        Augmentation.uniform(ctx, input, 1), factor.lower(), factor.upper()),
        tf.constant((float) (2 * Math.PI)));
    Operand<TFloat32> cos = tf.math.cos(angle);
    Operand<TFloat32> sin = tf.math.sin(angle);
    Operand<TFloat32> w = tf.constant((float) (input.shape().get(2) - 1));
    Operand<TFloat32> h = tf.constant((float) (input.shape().get(1) - 1));
    Operand<TFloat32> half = tf.constant(0.5f);
    // Keras's matrix: rotation about the centre ((w - 1) / 2, (h - 1) / 2), output to input.
    Operand<TFloat32> xOffset = tf.math.mul(half, tf.math.sub(w,
        tf.math.sub(tf.math.mul(cos, w), tf.math.mul(sin, h))));
    Operand<TFloat32> yOffset = tf.math.mul(half, tf.math.sub(h,
        tf.math.add(tf.math.mul(sin, w), tf.math.mul(cos, h))));
    Operand<TFloat32> zero = tf.zerosLike(angle);
    return Augmentation.warp(tf, input, List.of(cos, tf.math.neg(sin), xOffset, sin, cos,
        yOffset, zero, zero), warp);
  }

  private String subject() {
    return Checks.subject("RandomRotation", name);
  }

  /** Keras's config: factor as [lower, upper], fill_mode, interpolation, fill_value. */
  @Override
  public Config config() {
    return warp.config(Config.builder().put("factor",
        new double[] {factor.lower(), factor.upper()})).build();
  }

  /** Rebuilds a RandomRotation from {@link #config()}; factor may also be one number. */
  public static RandomRotation fromConfig(Config c) {
    FactorRange f = FactorRange.read("RandomRotation", "factor", c, "factor");
    return new RandomRotation(f, WarpOptions.read("RandomRotation", c), null);
  }

  @Override
  public String toString() {
    return "RandomRotation(factor=(" + factor.lower() + ", " + factor.upper() + ")"
        + warp.describe() + (name == null ? "" : ", name=" + name) + ")";
  }
}
