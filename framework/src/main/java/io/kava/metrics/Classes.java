package io.kava.metrics;

import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * Predicted classes from a model's outputs {@code [n, k]}: the argmax of each row, or
 * {@code output > 0.5} when there is a single (sigmoid) unit, as {@code predictClasses}.
 *
 * <pre>{@code
 * jshell> int[] classes = Classes.of(model.predict(x))
 * }</pre>
 */
public final class Classes {
  private Classes() {}

  /** The class of each row of {@code outputs} (rank 1 counts as one unit per sample). */
  public static int[] of(FloatNdArray outputs) {
    if (outputs == null || outputs.rank() == 0) {
      throw new IllegalArgumentException("Classes: outputs must be an array [n, classes]; got "
          + (outputs == null ? "null" : "a scalar") + ".");
    }
    int n = (int) outputs.shape().get(0);
    int k = (int) (outputs.shape().size() / Math.max(1, n));
    float[] flat = new float[Math.toIntExact(outputs.shape().size())];
    outputs.copyTo(DataBuffers.of(flat, false, false));
    int[] classes = new int[n];
    for (int i = 0; i < n; i++) {
      if (k == 1) {
        classes[i] = flat[i] > 0.5f ? 1 : 0;
        continue;
      }
      int best = 0;
      for (int j = 1; j < k; j++) {
        if (flat[i * k + j] > flat[i * k + best]) {
          best = j;
        }
      }
      classes[i] = best;
    }
    return classes;
  }
}
