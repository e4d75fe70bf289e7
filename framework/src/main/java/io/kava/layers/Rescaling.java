package io.kava.layers;

import io.kava.internal.Checks;
import io.kava.saving.Config;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * Multiplies by {@code scale} and adds {@code offset}, Keras's {@code Rescaling}: pixel scaling
 * inside the model, so an exported model takes raw pixels.
 *
 * <p>Input and output shape: any; same shape. Output {@code x * scale + offset}. No weights.
 * Default: offset 0.
 *
 * <pre>{@code
 * jshell> Rescaling.of(1 / 255.0)                       // [0, 255] to [0, 1]
 * jshell> Rescaling.of(1 / 127.5).offset(-1)            // [0, 255] to [-1, 1]
 * $2 ==> Rescaling(scale=0.00784313725490196, offset=-1.0)
 * }</pre>
 */
public final class Rescaling implements Layer {
  private final double scale;
  private final double offset;
  private final String name;

  private Rescaling(double scale, double offset, String name) {
    this.scale = scale;
    this.offset = offset;
    this.name = name;
  }

  /** Multiplies by {@code scale}, a finite number. */
  public static Rescaling of(double scale) {
    return new Rescaling(finite("Rescaling", "scale", scale), 0, null);
  }

  /** Adds {@code offset}, a finite number, after scaling. */
  public Rescaling offset(double offset) {
    return new Rescaling(scale, finite(subject(), "offset", offset), name);
  }

  public Rescaling name(String name) {
    return new Rescaling(scale, offset, Checks.name("Rescaling", name));
  }

  public double scale() {
    return scale;
  }

  public double offset() {
    return offset;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String type() {
    return "Rescaling";
  }

  @Override
  public String defaultName() {
    return "rescaling";
  }

  @Override
  public Shape outputShape(Shape inputShape) {
    return inputShape;
  }

  @Override
  public Operand<TFloat32> call(LayerContext ctx, Operand<TFloat32> input) {
    var tf = ctx.tf();
    Operand<TFloat32> y = tf.math.mul(input, tf.constant((float) scale));
    return offset == 0 ? y : tf.math.add(y, tf.constant((float) offset));
  }

  private String subject() {
    return Checks.subject("Rescaling", name);
  }

  private static double finite(String subject, String what, double value) {
    if (!Double.isFinite(value)) {
      throw Checks.invalid(subject, what, "a finite number", value, null);
    }
    return value;
  }

  /** Keras's config: scale, offset. */
  @Override
  public Config config() {
    return Config.builder().put("scale", scale).put("offset", offset).build();
  }

  /** Rebuilds a Rescaling from {@link #config()}; a missing offset is 0. */
  public static Rescaling fromConfig(Config c) {
    return of(c.getDouble("scale", Double.NaN)).offset(c.getDouble("offset", 0));
  }

  @Override
  public String toString() {
    return "Rescaling(scale=" + scale + (offset == 0 ? "" : ", offset=" + offset)
        + (name == null ? "" : ", name=" + name) + ")";
  }
}
