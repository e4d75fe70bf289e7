package io.kava;

import io.kava.internal.Checks;
import org.tensorflow.ndarray.FloatNdArray;

/**
 * One batch of inputs and (optionally) labels, as produced by a {@link BatchIterator}.
 *
 * @param x inputs, {@code [n, ...inputShape]} (images NHWC)
 * @param y labels, {@code [n, ...labelShape]}, or {@code null} for prediction-only data
 *
 * <pre>{@code
 * jshell> Batch b = iterator.get(0)
 * b ==> Batch(x=[32, 28, 28, 1], y=[32, 10])
 * }</pre>
 */
public record Batch(FloatNdArray x, FloatNdArray y) {

  public Batch {
    if (x == null) {
      throw Checks.invalid("Batch", "x", "non-null", null, null);
    }
    if (x.rank() == 0) {
      throw Checks.invalid("Batch", "x", "an array with a batch dimension", "a scalar", null);
    }
    if (y != null && (y.rank() == 0 || y.shape().get(0) != x.shape().get(0))) {
      throw new IllegalArgumentException("Batch: x and y must hold the same number of samples;"
          + " got x " + x.shape() + " and y " + y.shape() + ".");
    }
  }

  /** Number of samples in this batch. */
  public int size() {
    return (int) x.shape().get(0);
  }

  /** Samples {@code [from, to)} of this batch. */
  public Batch rows(int from, int to) {
    if (from < 0 || from > to || to > size()) {
      throw new IndexOutOfBoundsException("Batch: rows [from, to) must satisfy 0 <= from <= to"
          + " <= " + size() + "; got [" + from + ", " + to + ").");
    }
    return new Batch(Data.rows(x, from, to), y == null ? null : Data.rows(y, from, to));
  }

  @Override
  public String toString() {
    return "Batch(x=" + x.shape() + (y == null ? "" : ", y=" + y.shape()) + ")";
  }
}
