package io.kava.layers;

import io.kava.internal.Checks;
import io.kava.saving.Config;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Zooms images in or out at random while training, Keras's {@code RandomZoom}: each image is
 * scaled about its centre by {@code 1 + U(lower, upper)} per axis, where a positive factor
 * zooms out (the image shrinks inside a filled border) and a negative one zooms in. Without a
 * width factor both axes take the height's draw, keeping the aspect ratio. Only on the
 * training path: at inference ({@code predict}, {@code evaluate}, exports) it is the identity.
 * Draws come from stateless random ops seeded by the fit seed and the step.
 *
 * <p>The warp has no gradient in TensorFlow: put the layer before every layer with weights.
 * Input shape {@code (h, w, c)}; same output shape. No weights. Defaults as Keras: no width
 * factor, fill mode REFLECT, interpolation BILINEAR, fill value 0.
 *
 * <pre>{@code
 * jshell> RandomZoom.of(0.2)                        // 0.8x to 1.2x, aspect kept
 * $1 ==> RandomZoom(height_factor=0.2)
 * jshell> RandomZoom.of(0.2, 0.1).heightRange(-0.3, -0.1)
 * }</pre>
 */
public final class RandomZoom implements Layer {
  private final FactorRange height;
  private final FactorRange width;
  private final WarpOptions warp;
  private final String name;

  private RandomZoom(FactorRange height, FactorRange width, WarpOptions warp, String name) {
    this.height = height;
    this.width = width;
    this.warp = warp;
    this.name = name;
  }

  /** Zooms both axes by the same {@code 1 + U(-|f|, |f|)}; {@code f} in [-1, 1]. */
  public static RandomZoom of(double heightFactor) {
    return new RandomZoom(FactorRange.symmetric("RandomZoom", "height factor", heightFactor),
        null, WarpOptions.DEFAULTS, null);
  }

  /** Zooms height and width independently; each factor in [-1, 1]. */
  public static RandomZoom of(double heightFactor, double widthFactor) {
    return of(heightFactor).widthFactor(widthFactor);
  }

  /** Height zooms {@code 1 + U(lower, upper)} (sorted), each bound in [-1, 1]. */
  public RandomZoom heightRange(double lower, double upper) {
    return new RandomZoom(FactorRange.of(subject(), "height factor", lower, upper), width,
        warp, name);
  }

  /** Width zooms {@code 1 + U(-|f|, |f|)}, drawn apart from the height's. */
  public RandomZoom widthFactor(double widthFactor) {
    return new RandomZoom(height, FactorRange.symmetric(subject(), "width factor",
        widthFactor), warp, name);
  }

  /** Width zooms {@code 1 + U(lower, upper)} (sorted), each bound in [-1, 1]. */
  public RandomZoom widthRange(double lower, double upper) {
    return new RandomZoom(height, FactorRange.of(subject(), "width factor", lower, upper), warp,
        name);
  }

  public RandomZoom fillMode(FillMode mode) {
    return new RandomZoom(height, width, warp.fillMode(subject(), mode), name);
  }

  public RandomZoom interpolation(Interpolation interpolation) {
    return new RandomZoom(height, width, warp.interpolation(subject(), interpolation), name);
  }

  /** The value outside the image with {@link FillMode#CONSTANT}. */
  public RandomZoom fillValue(double value) {
    return new RandomZoom(height, width, warp.fillValue(subject(), value), name);
  }

  public RandomZoom name(String name) {
    return new RandomZoom(height, width, warp, Checks.name("RandomZoom", name));
  }

  /** {lower, upper} of the height zoom minus 1. */
  public double[] heightFactor() {
    return new double[] {height.lower(), height.upper()};
  }

  /** {lower, upper} of the width zoom minus 1, or null: the height's draw. */
  public double[] widthFactor() {
    return width == null ? null : new double[] {width.lower(), width.upper()};
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
    return "RandomZoom";
  }

  @Override
  public String defaultName() {
    return "random_zoom";
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
    Operand<TFloat32> one = tf.constant(1f);
    Operand<TFloat32> zy = tf.math.add(one, Augmentation.between(tf,
        Augmentation.column(tf, u, 0), height.lower(), height.upper()));
    Operand<TFloat32> zx = width == null ? zy : tf.math.add(one, Augmentation.between(tf,
        Augmentation.column(tf, u, 1), width.lower(), width.upper()));
    // Keras's matrix: scale about the centre ((w - 1) / 2, (h - 1) / 2), output to input.
    Operand<TFloat32> xOffset = tf.math.mul(tf.constant((input.shape().get(2) - 1) / 2f),
        tf.math.sub(one, zx));
    Operand<TFloat32> yOffset = tf.math.mul(tf.constant((input.shape().get(1) - 1) / 2f),
        tf.math.sub(one, zy));
    Operand<TFloat32> zero = tf.zerosLike(zy);
    return Augmentation.warp(tf, input, List.of(zx, zero, xOffset, zero, zy, yOffset, zero,
        zero), warp);
  }

  private String subject() {
    return Checks.subject("RandomZoom", name);
  }

  /** Keras's config: height_factor, width_factor (null: the height's), fill and interpolation. */
  @Override
  public Config config() {
    return warp.config(Config.builder().put("height_factor", height.configValue())
        .put("width_factor", width == null ? null : width.configValue())).build();
  }

  /** Rebuilds a RandomZoom from {@link #config()}; each factor a number or a pair. */
  public static RandomZoom fromConfig(Config c) {
    FactorRange h = FactorRange.read("RandomZoom", "height factor", c, "height_factor");
    FactorRange w = c.has("width_factor")
        ? FactorRange.read("RandomZoom", "width factor", c, "width_factor") : null;
    return new RandomZoom(h, w, WarpOptions.read("RandomZoom", c), null);
  }

  @Override
  public String toString() {
    return "RandomZoom(height_factor=" + height + (width == null ? "" : ", width_factor="
        + width) + warp.describe() + (name == null ? "" : ", name=" + name) + ")";
  }
}
