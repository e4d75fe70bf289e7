package io.kava.layers;

import io.kava.internal.Checks;
import io.kava.saving.Config;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * Inverted dropout, Keras's {@code Dropout(rate)}: in training each input unit is zeroed with
 * probability {@code rate} and the kept units are scaled by {@code 1 / (1 - rate)}; at
 * inference (predict, evaluate, export) it is the identity. Masks come from stateless random
 * ops seeded by the fit seed and the step, so runs are reproducible.
 *
 * <p>Input and output shape: any; same shape. No weights.
 *
 * <pre>{@code
 * jshell> Dropout.of(0.25)
 * }</pre>
 */
public final class Dropout implements Layer {
  private final double rate;
  private final String name;

  private Dropout(double rate, String name) {
    this.rate = rate;
    this.name = name;
  }

  /** Drops each unit with probability {@code rate}, in [0, 1). */
  public static Dropout of(double rate) {
    Checks.inRangeExclusive("Dropout", "rate", rate, 0, 1);
    return new Dropout(rate, null);
  }

  public Dropout name(String name) {
    return new Dropout(rate, Checks.name("Dropout", name));
  }

  public double rate() {
    return rate;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String type() {
    return "Dropout";
  }

  @Override
  public String defaultName() {
    return "dropout";
  }

  @Override
  public Shape outputShape(Shape inputShape) {
    return inputShape;
  }

  @Override
  public boolean supportsLowPrecision() {
    return true;
  }

  @Override
  public Operand<TFloat32> call(LayerContext ctx, Operand<TFloat32> input) {
    if (!ctx.training() || rate == 0) {
      return input;
    }
    var tf = ctx.tf();
    float keep = (float) (1 - rate);
    Operand<TFloat32> u = tf.random.statelessRandomUniform(tf.shape(input), ctx.randomSeed());
    // floor(u + keep) is 1 with probability keep, else 0.
    Operand<TFloat32> mask = tf.math.floor(tf.math.add(u, tf.constant(keep)));
    // The mask is float32; the input may be bfloat16/float16 under a mixed policy.
    return tf.math.mul(input, tf.dtypes.cast(tf.math.mul(mask, tf.constant(1f / keep)),
        input.type()));
  }

  /** Keras's config: rate. */
  @Override
  public Config config() {
    return Config.builder().put("rate", rate).build();
  }

  /** Rebuilds a Dropout from {@link #config()}. */
  public static Dropout fromConfig(Config c) {
    return of(c.getDouble("rate", Double.NaN));
  }

  @Override
  public String toString() {
    return "Dropout(rate=" + rate + (name == null ? "" : ", name=" + name) + ")";
  }
}
