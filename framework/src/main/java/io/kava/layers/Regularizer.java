package io.kava.layers;

import io.kava.saving.Config;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A weight penalty added to the training loss, as Keras's {@code regularizers.L1/L2/L1L2}:
 * {@code l1 * sum(|w|) + l2 * sum(w^2)}.
 *
 * <pre>{@code
 * jshell> Conv2D.of(96, 11).kernelRegularizer(Regularizer.l2(0.0005))
 * }</pre>
 */
public final class Regularizer {
  private final double l1;
  private final double l2;

  private Regularizer(double l1, double l2) {
    if (!(l1 >= 0) || !(l2 >= 0) || Double.isInfinite(l1) || Double.isInfinite(l2)) {
      throw new IllegalArgumentException(
          "Regularizer: l1 and l2 must be finite and >= 0; got l1=" + l1 + ", l2=" + l2 + ".");
    }
    this.l1 = l1;
    this.l2 = l2;
  }

  /** {@code l2 * sum(w^2)}; Keras's {@code L2(l2)}. */
  public static Regularizer l2(double l2) {
    return new Regularizer(0, l2);
  }

  /** {@code l1 * sum(|w|)}. */
  public static Regularizer l1(double l1) {
    return new Regularizer(l1, 0);
  }

  /** Both penalties. */
  public static Regularizer l1l2(double l1, double l2) {
    return new Regularizer(l1, l2);
  }

  public double l1() {
    return l1;
  }

  public double l2() {
    return l2;
  }

  /**
   * The penalty for one weight. {@code weight} must already be a value read (not the raw
   * variable): squaring a raw reference variable crashes TF-Java's gradient code.
   */
  public Operand<TFloat32> penalty(Ops tf, Operand<TFloat32> weight) {
    Operand<TFloat32> total = null;
    if (l2 > 0) {
      total = tf.math.mul(tf.constant((float) l2), tf.reduceSum(tf.math.square(weight),
          allAxes(tf, weight)));
    }
    if (l1 > 0) {
      Operand<TFloat32> p = tf.math.mul(tf.constant((float) l1),
          tf.reduceSum(tf.math.abs(weight), allAxes(tf, weight)));
      total = total == null ? p : tf.math.add(total, p);
    }
    return total == null ? tf.constant(0f) : total;
  }

  private static Operand<org.tensorflow.types.TInt32> allAxes(Ops tf, Operand<TFloat32> w) {
    return tf.range(tf.constant(0), tf.rank(w), tf.constant(1));
  }

  /** Keras's L1L2 config: l1, l2. */
  public Config config() {
    return Config.builder().put("l1", l1).put("l2", l2).build();
  }

  /** Rebuilds a regularizer from {@link #config()}; null gives null (no regularizer). */
  public static Regularizer fromConfig(Config c) {
    return c == null ? null : l1l2(c.getDouble("l1", 0), c.getDouble("l2", 0));
  }

  @Override
  public String toString() {
    if (l1 == 0) {
      return "L2(" + l2 + ")";
    }
    return l2 == 0 ? "L1(" + l1 + ")" : "L1L2(l1=" + l1 + ", l2=" + l2 + ")";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Regularizer r && r.l1 == l1 && r.l2 == l2;
  }

  @Override
  public int hashCode() {
    return Double.hashCode(l1) * 31 + Double.hashCode(l2);
  }
}
