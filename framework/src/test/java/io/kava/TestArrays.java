package io.kava;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;

/** Small helpers to build and read the float arrays the tests feed and compare. */
public final class TestArrays {
  private TestArrays() {}

  /** An array of {@code shape} holding {@code values} in row-major order. */
  public static FloatNdArray array(long[] shape, float... values) {
    Shape s = Shape.of(shape);
    if (s.size() != values.length) {
      throw new IllegalArgumentException("shape " + s + " needs " + s.size() + " values; got "
          + values.length);
    }
    return NdArrays.wrap(s, DataBuffers.of(values.clone(), false, false));
  }

  /** Shorthand for a shape argument: {@code shape(2, 3)}. */
  public static long[] shape(long... dims) {
    return dims;
  }

  /** A {@code [rows, columns]} matrix from its rows. */
  public static FloatNdArray matrix(float[]... rows) {
    int cols = rows.length == 0 ? 0 : rows[0].length;
    float[] flat = new float[rows.length * cols];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(rows[i], 0, flat, i * cols, cols);
    }
    return array(shape(rows.length, cols), flat);
  }

  /** A {@code [n, 1]} column, the label shape of a one-unit output. */
  public static FloatNdArray column(float... values) {
    return array(shape(values.length, 1), values);
  }

  /** A {@code [n]} vector. */
  public static FloatNdArray vector(float... values) {
    return array(shape(values.length), values);
  }

  /** Uniform values in [lo, hi), reproducible from {@code seed}. */
  public static FloatNdArray uniform(long seed, double lo, double hi, long... shape) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] v = new float[Math.toIntExact(Shape.of(shape).size())];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (lo + (hi - lo) * r.nextDouble());
    }
    return array(shape, v);
  }

  /** The values of {@code a}, row-major. */
  public static float[] flat(FloatNdArray a) {
    float[] f = new float[Math.toIntExact(a.shape().size())];
    a.copyTo(DataBuffers.of(f, false, false));
    return f;
  }

  /** Deep copies of weight arrays, as plain row-major values. */
  public static List<float[]> flat(List<FloatNdArray> arrays) {
    List<float[]> out = new ArrayList<>(arrays.size());
    arrays.forEach(a -> out.add(flat(a)));
    return out;
  }

  /** One-hot rows for class indices. */
  public static FloatNdArray oneHot(int classes, int... labels) {
    float[] v = new float[labels.length * classes];
    for (int i = 0; i < labels.length; i++) {
      v[i * classes + labels[i]] = 1f;
    }
    return array(shape(labels.length, classes), v);
  }
}
