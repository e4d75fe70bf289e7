package io.kava.layers;

import io.kava.internal.Checks;
import io.kava.saving.Config;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Shifts images at random while training, Keras's {@code RandomTranslation}: each image moves
 * down by {@code U(lower, upper) * height} pixels and right by {@code U(lower, upper) * width}
 * (negative: up, left), drawn independently, filling the uncovered border per the fill mode.
 * Only on the training path: at inference ({@code predict}, {@code evaluate}, exports) it is
 * the identity. Draws come from stateless random ops seeded by the fit seed and the step.
 *
 * <p>The warp has no gradient in TensorFlow: put the layer before every layer with weights.
 * Input shape {@code (h, w, c)}; same output shape. No weights. Defaults as Keras: fill mode
 * REFLECT, interpolation BILINEAR, fill value 0.
 *
 * <pre>{@code
 * jshell> RandomTranslation.of(0.1, 0.1)          // up to 10% of each side, either way
 * $1 ==> RandomTranslation(height_factor=0.1, width_factor=0.1)
 * jshell> RandomTranslation.of(0, 0.2).heightRange(-0.1, 0.3)
 * }</pre>
 */
public final class RandomTranslation implements Layer {
  private final FactorRange height;
  private final FactorRange width;
  private final WarpOptions warp;
  private final String name;

  private RandomTranslation(FactorRange height, FactorRange width, WarpOptions warp,
      String name) {
    this.height = height;
    this.width = width;
    this.warp = warp;
    this.name = name;
  }

  /** Shifts of up to {@code |h|} of the height and {@code |w|} of the width, in [-1, 1]. */
  public static RandomTranslation of(double heightFactor, double widthFactor) {
    return new RandomTranslation(FactorRange.symmetric("RandomTranslation", "height factor",
        heightFactor), FactorRange.symmetric("RandomTranslation", "width factor",
        widthFactor), WarpOptions.DEFAULTS, null);
  }

  /** Vertical shifts of {@code U(lower, upper)} of the height (sorted), each in [-1, 1]. */
  public RandomTranslation heightRange(double lower, double upper) {
    return new RandomTranslation(FactorRange.of(subject(), "height factor", lower, upper),
        width, warp, name);
  }

  /** Horizontal shifts of {@code U(lower, upper)} of the width (sorted), each in [-1, 1]. */
  public RandomTranslation widthRange(double lower, double upper) {
    return new RandomTranslation(height, FactorRange.of(subject(), "width factor", lower,
        upper), warp, name);
  }

  public RandomTranslation fillMode(FillMode mode) {
    return new RandomTranslation(height, width, warp.fillMode(subject(), mode), name);
  }

  public RandomTranslation interpolation(Interpolation interpolation) {
    return new RandomTranslation(height, width, warp.interpolation(subject(), interpolation),
        name);
  }

  /** The value outside the image with {@link FillMode#CONSTANT}. */
  public RandomTranslation fillValue(double value) {
    return new RandomTranslation(height, width, warp.fillValue(subject(), value), name);
  }

  public RandomTranslation name(String name) {
    return new RandomTranslation(height, width, warp, Checks.name("RandomTranslation", name));
  }

  /** {lower, upper} of vertical shifts, as fractions of the height. */
  public double[] heightFactor() {
    return new double[] {height.lower(), height.upper()};
  }

  /** {lower, upper} of horizontal shifts, as fractions of the width. */
  public double[] widthFactor() {
    return new double[] {width.lower(), width.upper()};
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
    return "RandomTranslation";
  }

  @Override
  public String defaultName() {
    return "random_translation";
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
    Operand<TFloat32> u = Augmentation.uniform(ctx, input, 2);
    Operand<TFloat32> dy = tf.math.mul(Augmentation.between(tf, Augmentation.column(tf, u, 0),
        height.lower(), height.upper()), tf.constant((float) input.shape().get(1)));
    Operand<TFloat32> dx = tf.math.mul(Augmentation.between(tf, Augmentation.column(tf, u, 1),
        width.lower(), width.upper()), tf.constant((float) input.shape().get(2)));
    // Keras's matrix: the output at (x, y) reads the input at (x - dx, y - dy).
    Operand<TFloat32> zero = tf.zerosLike(dx);
    Operand<TFloat32> one = tf.onesLike(dx);
    return Augmentation.warp(tf, input, List.of(one, zero, tf.math.neg(dx), zero, one,
        tf.math.neg(dy), zero, zero), warp);
  }

  private String subject() {
    return Checks.subject("RandomTranslation", name);
  }

  /** Keras's config: height_factor, width_factor (numbers or pairs), fill and interpolation. */
  @Override
  public Config config() {
    return warp.config(Config.builder().put("height_factor", height.configValue())
        .put("width_factor", width.configValue())).build();
  }

  /** Rebuilds a RandomTranslation from {@link #config()}. */
  public static RandomTranslation fromConfig(Config c) {
    return new RandomTranslation(FactorRange.read("RandomTranslation", "height factor", c,
        "height_factor"), FactorRange.read("RandomTranslation", "width factor", c,
        "width_factor"), WarpOptions.read("RandomTranslation", c), null);
  }

  @Override
  public String toString() {
    return "RandomTranslation(height_factor=" + height + ", width_factor=" + width
        + warp.describe() + (name == null ? "" : ", name=" + name) + ")";
  }
}
