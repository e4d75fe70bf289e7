package io.kava.losses;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** Graph and label-checking helpers the losses share. */
final class Losses {
  private Losses() {}

  /** Keras's backend epsilon, used to clip probabilities away from 0 and 1. */
  static final float EPSILON = 1e-7f;

  static Operand<TInt32> lastAxis(Ops tf) {
    return tf.constant(-1);
  }

  /**
   * Keras's {@code sum_over_batch_size}: the mean over every axis, so the loss is a scalar
   * also when per-sample losses keep spatial axes (a model ending in Conv2D).
   */
  static Operand<TFloat32> mean(Ops tf, Operand<TFloat32> perSample) {
    return tf.math.mean(perSample, tf.range(tf.constant(0), tf.rank(perSample),
        tf.constant(1)));
  }

  static Operand<TFloat32> clip(Ops tf, Operand<TFloat32> p) {
    return tf.clipByValue(p, tf.constant(EPSILON), tf.constant(1 - EPSILON));
  }

  /** Throws naming the first label outside [lo, hi] (and, if {@code integer}, not whole). */
  static void checkRange(String loss, FloatNdArray labels, float lo, float hi, boolean integer,
      String hint) {
    long n = labels.shape().size();
    float[] flat = new float[Math.toIntExact(n)];
    labels.copyTo(org.tensorflow.ndarray.buffer.DataBuffers.of(flat, false, false));
    long perSample = labels.shape().numDimensions() == 0 ? 1 : n / Math.max(1,
        labels.shape().get(0));
    for (int i = 0; i < flat.length; i++) {
      float v = flat[i];
      if (!(v >= lo && v <= hi) || (integer && v != Math.rint(v))) {
        throw new IllegalArgumentException(loss + ": labels must be " + (integer ? "integers"
            : "values") + " in [" + fmt(lo) + ", " + fmt(hi) + "]; got " + v + " at sample "
            + (perSample == 0 ? 0 : i / perSample) + ". " + hint);
      }
    }
  }

  private static String fmt(float v) {
    return v == Math.rint(v) ? Integer.toString((int) v) : Float.toString(v);
  }
}
