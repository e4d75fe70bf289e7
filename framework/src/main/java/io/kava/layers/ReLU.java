package io.kava.layers;

import io.kava.internal.Checks;
import io.kava.saving.Config;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.nn.LeakyRelu;
import org.tensorflow.types.TFloat32;

/**
 * The rectified linear unit as a layer with options, Keras's {@code ReLU}: with
 * {@code maxValue(6.0)} it is MobileNet's ReLU6.
 *
 * <pre>
 * f(x) = max_value                        if x >= max_value
 * f(x) = x                                if threshold &lt; x &lt; max_value
 * f(x) = negative_slope * (x - threshold) otherwise
 * </pre>
 *
 * <p>Input and output shape: any; same shape. No weights. Defaults: no max value,
 * negative slope 0, threshold 0 (plain ReLU). Every setting must be {@code >= 0}. As in Keras,
 * max 6 without a threshold runs TensorFlow's fused {@code Relu6} op.
 *
 * <pre>{@code
 * jshell> ReLU.of().maxValue(6.0)
 * $1 ==> ReLU(max_value=6.0)
 * jshell> ReLU.of().negativeSlope(0.1)        // leaky ReLU
 * }</pre>
 */
public final class ReLU implements Layer {
  private final Double maxValue;
  private final double negativeSlope;
  private final double threshold;
  private final String name;

  private ReLU(Double maxValue, double negativeSlope, double threshold, String name) {
    this.maxValue = maxValue;
    this.negativeSlope = negativeSlope;
    this.threshold = threshold;
    this.name = name;
  }

  /** A plain ReLU: {@code max(x, 0)}. */
  public static ReLU of() {
    return new ReLU(null, 0, 0, null);
  }

  /** The largest output, {@code >= 0}; {@code null} for none. */
  public ReLU maxValue(Double maxValue) {
    if (maxValue != null) {
      Checks.nonNegative(subject(), "max value", maxValue);
    }
    return new ReLU(maxValue, negativeSlope, threshold, name);
  }

  /** The slope below the threshold, {@code >= 0}. */
  public ReLU negativeSlope(double negativeSlope) {
    Checks.nonNegative(subject(), "negative slope", negativeSlope);
    return new ReLU(maxValue, negativeSlope, threshold, name);
  }

  /** Inputs up to this value are damped (or zeroed), {@code >= 0}. */
  public ReLU threshold(double threshold) {
    Checks.nonNegative(subject(), "threshold", threshold);
    return new ReLU(maxValue, negativeSlope, threshold, name);
  }

  public ReLU name(String name) {
    return new ReLU(maxValue, negativeSlope, threshold, Checks.name("ReLU", name));
  }

  /** The largest output, or null. */
  public Double maxValue() {
    return maxValue;
  }

  public double negativeSlope() {
    return negativeSlope;
  }

  public double threshold() {
    return threshold;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String type() {
    return "ReLU";
  }

  @Override
  public String defaultName() {
    return "re_lu";
  }

  @Override
  public Shape outputShape(Shape inputShape) {
    return inputShape;
  }

  /** Keras's {@code activations.relu}, op for op. */
  @Override
  public Operand<TFloat32> call(LayerContext ctx, Operand<TFloat32> input) {
    Ops tf = ctx.tf();
    if (negativeSlope != 0 && maxValue == null && threshold == 0) {
      return tf.nn.leakyRelu(input, LeakyRelu.alpha((float) negativeSlope));
    }
    boolean clip = maxValue != null;
    Operand<TFloat32> y;
    if (threshold != 0) {
      Operand<TFloat32> t = tf.constant((float) threshold);
      y = tf.math.mul(input, tf.dtypes.cast(tf.math.greater(input, t), TFloat32.class));
    } else if (maxValue != null && maxValue == 6) {
      y = tf.nn.relu6(input);
      clip = false;
    } else {
      y = tf.nn.relu(input);
    }
    if (clip) {
      y = tf.math.minimum(y, tf.constant(maxValue.floatValue()));
    }
    if (negativeSlope != 0) {
      Operand<TFloat32> below = tf.nn.relu(tf.math.sub(tf.constant((float) threshold), input));
      y = tf.math.sub(y, tf.math.mul(tf.constant((float) negativeSlope), below));
    }
    return y;
  }

  private String subject() {
    return Checks.subject("ReLU", name);
  }

  /** Keras's config: max_value (null for none), negative_slope, threshold. */
  @Override
  public Config config() {
    return Config.builder().put("max_value", maxValue).put("negative_slope", negativeSlope)
        .put("threshold", threshold).build();
  }

  /** Rebuilds a ReLU from {@link #config()}; missing keys take the defaults of {@link #of}. */
  public static ReLU fromConfig(Config c) {
    ReLU d = of();
    return d.maxValue(c.has("max_value") ? c.getDouble("max_value", 0) : null)
        .negativeSlope(c.getDouble("negative_slope", d.negativeSlope))
        .threshold(c.getDouble("threshold", d.threshold));
  }

  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    if (maxValue != null) {
      parts.add("max_value=" + maxValue);
    }
    if (negativeSlope != 0) {
      parts.add("negative_slope=" + negativeSlope);
    }
    if (threshold != 0) {
      parts.add("threshold=" + threshold);
    }
    if (name != null) {
      parts.add("name=" + name);
    }
    return "ReLU(" + String.join(", ", parts) + ")";
  }
}
