package io.kava.saving;

import java.nio.file.Path;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.DoubleNdArray;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.IntNdArray;
import org.tensorflow.ndarray.LongNdArray;
import org.tensorflow.ndarray.NdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;

/** Conversions between user arrays and tensors for a signature's declared dtypes. */
final class Tensors {
  private Tensors() {}

  static Tensor of(NdArray<?> value, TensorSpec spec, String signature, Path dir) {
    if (value == null) {
      throw new IllegalArgumentException(where(spec, signature, dir) + " must be non-null.");
    }
    checkShape(value.shape(), spec, signature, dir);
    switch (spec.dtype()) {
      case DT_FLOAT:
        if (value instanceof FloatNdArray f) {
          return TFloat32.tensorOf(f);
        }
        break;
      case DT_DOUBLE:
        if (value instanceof DoubleNdArray d) {
          return TFloat64.tensorOf(d);
        }
        break;
      case DT_INT32:
        if (value instanceof IntNdArray i) {
          return TInt32.tensorOf(i);
        }
        break;
      case DT_INT64:
        if (value instanceof LongNdArray l) {
          return TInt64.tensorOf(l);
        }
        break;
      case DT_STRING:
        Object head = first(value);
        if (head == null || head instanceof String) {
          @SuppressWarnings("unchecked")
          NdArray<String> s = (NdArray<String>) value;
          return TString.tensorOf(s);
        }
        if (head instanceof byte[]) {
          @SuppressWarnings("unchecked")
          NdArray<byte[]> b = (NdArray<byte[]>) value;
          return TString.tensorOfBytes(b);
        }
        break;
      default:
        throw new IllegalArgumentException(where(spec, signature, dir) + " has dtype "
            + spec.dtype() + ", which Kava cannot feed yet (supported: DT_FLOAT, DT_DOUBLE,"
            + " DT_INT32, DT_INT64, DT_STRING).");
    }
    Object head = first(value);
    throw new IllegalArgumentException(where(spec, signature, dir) + " must be " + spec.dtype()
        + " (" + javaType(spec.dtype()) + "); got " + value.getClass().getSimpleName()
        + (head == null ? "" : " of " + head.getClass().getSimpleName()) + ".");
  }

  /** Built only for an error message: a served model's calls must not pay for it. */
  private static String where(TensorSpec spec, String signature, Path dir) {
    return "SavedModel " + dir + ": input '" + spec.key() + "' of '" + signature + "'";
  }

  /** The first element of {@code value}, or null if it has none. */
  private static Object first(NdArray<?> value) {
    return value.shape().size() == 0 ? null : value.getObject(new long[value.rank()]);
  }

  private static String javaType(DataType t) {
    return switch (t) {
      case DT_FLOAT -> "FloatNdArray";
      case DT_DOUBLE -> "DoubleNdArray";
      case DT_INT32 -> "IntNdArray";
      case DT_INT64 -> "LongNdArray";
      case DT_STRING -> "NdArray<String> or NdArray<byte[]>";
      default -> t.name();
    };
  }

  /**
   * Rejects a known dimension of the wrong size. A different rank is left to TensorFlow, as
   * TF Serving does: graphs of elementwise ops (half_plus_two) accept any shape, and others
   * fail with TensorFlow's own message, which {@code run} wraps.
   */
  private static void checkShape(Shape got, TensorSpec spec, String signature, Path dir) {
    Shape want = spec.shape();
    if (want.isUnknown() || got.numDimensions() != want.numDimensions()) {
      return;
    }
    boolean ok = true;
    for (int i = 0; ok && i < want.numDimensions(); i++) {
      ok = want.get(i) < 0 || want.get(i) == got.get(i);
    }
    if (!ok) {
      throw new IllegalArgumentException(where(spec, signature, dir) + " must have shape "
          + spec.shapeText() + " (-1: any size); got " + got + ".");
    }
  }

  /** Copies a fetched tensor into a Java array of its type (the Result closes the tensor). */
  static NdArray<?> copy(Tensor t) {
    if (t instanceof TFloat32 f) {
      FloatNdArray out = NdArrays.ofFloats(f.shape());
      f.copyTo(out);
      return out;
    }
    if (t instanceof TFloat64 d) {
      DoubleNdArray out = NdArrays.ofDoubles(d.shape());
      d.copyTo(out);
      return out;
    }
    if (t instanceof TInt32 i) {
      IntNdArray out = NdArrays.ofInts(i.shape());
      i.copyTo(out);
      return out;
    }
    if (t instanceof TInt64 l) {
      LongNdArray out = NdArrays.ofLongs(l.shape());
      l.copyTo(out);
      return out;
    }
    if (t instanceof TString s) {
      NdArray<byte[]> bytes = s.asBytes();
      NdArray<byte[]> out = NdArrays.ofObjects(byte[].class, s.shape());
      bytes.copyTo(out);
      return out;
    }
    throw new IllegalArgumentException("SavedModel: output dtype " + t.dataType()
        + " is not supported yet (supported: float, double, int32, int64, string).");
  }
}
