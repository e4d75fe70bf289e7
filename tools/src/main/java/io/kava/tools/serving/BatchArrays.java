package io.kava.tools.serving;

import java.util.List;
import org.tensorflow.ndarray.DoubleNdArray;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.IntNdArray;
import org.tensorflow.ndarray.LongNdArray;
import org.tensorflow.ndarray.NdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.index.Index;
import org.tensorflow.ndarray.index.Indices;

/**
 * Row-wise concatenation, padding and splitting of the arrays {@link io.kava.saving.SavedModel}
 * runs on (float, double, int32, int64 and string arrays), whatever their element type: each
 * result has the type of its source.
 */
final class BatchArrays {
  private BatchArrays() {}

  /** The element kind of {@code a}: float, double, int32, int64, string, bytes or object. */
  static String kind(NdArray<?> a) {
    if (a instanceof FloatNdArray) {
      return "float";
    }
    if (a instanceof DoubleNdArray) {
      return "double";
    }
    if (a instanceof IntNdArray) {
      return "int32";
    }
    if (a instanceof LongNdArray) {
      return "int64";
    }
    Object first = a.shape().size() == 0 ? null : a.getObject(new long[a.rank()]);
    return first instanceof String ? "string" : first instanceof byte[] ? "bytes" : "object";
  }

  /** A new array of {@code like}'s type and {@code shape}. */
  static NdArray<?> allocate(NdArray<?> like, Shape shape) {
    if (like instanceof FloatNdArray) {
      return NdArrays.ofFloats(shape);
    }
    if (like instanceof DoubleNdArray) {
      return NdArrays.ofDoubles(shape);
    }
    if (like instanceof IntNdArray) {
      return NdArrays.ofInts(shape);
    }
    if (like instanceof LongNdArray) {
      return NdArrays.ofLongs(shape);
    }
    Object first = like.shape().size() == 0 ? null : like.getObject(new long[like.rank()]);
    Class<?> type = first == null ? byte[].class : first.getClass();
    return NdArrays.ofObjects(type, shape);
  }

  @SuppressWarnings("unchecked")
  private static void copy(NdArray<?> from, NdArray<?> to) {
    ((NdArray<Object>) from).copyTo((NdArray<Object>) to);
  }

  /** The view of rows [from, to) of {@code a}. */
  private static NdArray<?> rowView(NdArray<?> a, long from, long to) {
    return a.slice(Indices.slice(from, to));
  }

  /** A copy of rows [from, to) of {@code a}. */
  static NdArray<?> rows(NdArray<?> a, long from, long to) {
    NdArray<?> out = allocate(a, withRows(a.shape(), to - from));
    copy(rowView(a, from, to), out);
    return out;
  }

  /**
   * The parts one after the other along dimension 0, then copies of the last part's first row
   * up to {@code totalRows}, as TF Serving pads a batch.
   */
  static NdArray<?> concat(List<NdArray<?>> parts, long totalRows) {
    NdArray<?> last = parts.get(parts.size() - 1);
    NdArray<?> out = allocate(parts.get(0), withRows(parts.get(0).shape(), totalRows));
    long at = 0;
    for (NdArray<?> part : parts) {
      long n = part.shape().get(0);
      copy(part, rowView(out, at, at + n));
      at += n;
    }
    NdArray<?> firstRow = rowView(last, 0, 1);
    for (; at < totalRows; at++) {
      copy(firstRow, rowView(out, at, at + 1));
    }
    return out;
  }

  /**
   * {@code a} grown to {@code dims} in every dimension but the first, new places holding its
   * first value (TF Serving's pad_variable_length_inputs); {@code a} itself if it has that shape.
   */
  static NdArray<?> pad(NdArray<?> a, long[] dims) {
    long[] shape = a.shape().asArray();
    boolean same = true;
    for (int i = 1; i < shape.length; i++) {
      same &= shape[i] == dims[i];
    }
    if (same) {
      return a;
    }
    if (a.shape().size() == 0) {
      throw new IllegalArgumentException("Got empty tensor in batch of non-empty tensors.");
    }
    long[] target = dims.clone();
    target[0] = shape[0];
    NdArray<?> out = allocate(a, Shape.of(target));
    Object value = a.getObject(new long[a.rank()]);
    @SuppressWarnings("unchecked")
    NdArray<Object> fill = (NdArray<Object>) out;
    fill.scalars().forEach(s -> s.setObject(value));
    Index[] region = new Index[shape.length];
    for (int i = 0; i < shape.length; i++) {
      region[i] = Indices.slice(0, shape[i]);
    }
    copy(a, out.slice(region));
    return out;
  }

  private static Shape withRows(Shape s, long rows) {
    long[] dims = s.asArray();
    dims[0] = rows;
    return Shape.of(dims);
  }
}
