package io.kava.tools.serving;

import com.google.protobuf.ByteString;
import io.kava.saving.TensorSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.tensorflow.ndarray.DoubleNdArray;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.IntNdArray;
import org.tensorflow.ndarray.LongNdArray;
import org.tensorflow.ndarray.NdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/**
 * TensorFlow's {@code TensorProto} (what TF Serving's gRPC API carries) to and from the arrays
 * {@link io.kava.saving.SavedModel#run} takes, with TensorFlow's rules: values in
 * {@code tensor_content} (little-endian, exactly as many bytes as the shape needs) or in the
 * typed {@code *_val} field, where fewer values than the shape holds repeat the last one and
 * none means zeros. Every malformed tensor is an {@link IllegalArgumentException} naming the
 * input, before anything is allocated for it.
 */
final class TensorProtoCodec {
  /** TensorFlow's largest rank. */
  private static final int MAX_RANK = 254;

  private TensorProtoCodec() {}

  /**
   * Input {@code spec.key()} as an array of the signature's dtype; {@code maxBytes} bounds
   * what a request may make the server allocate.
   */
  static NdArray<?> toArray(TensorProto p, TensorSpec spec, long maxBytes) {
    String key = spec.key();
    if (p.getDtype() != spec.dtype()) {
      throw bad("input '" + key + "' must be " + spec.dtype() + ", the signature's dtype; got "
          + dtypeName(p));
    }
    Shape shape = shape(p.getTensorShape(), key);
    long n = shape.size();
    int width = width(spec.dtype());
    if (width == 0) {
      throw bad("input '" + key + "' has dtype " + spec.dtype() + ", which this server does not"
          + " accept (supported: DT_FLOAT, DT_DOUBLE, DT_INT32, DT_INT64, DT_STRING)");
    }
    // A string element costs at least a reference (8 bytes) even when string_val is short:
    // without the bound, a 20-byte message could make the server allocate gigabytes.
    if (width > 0 && n > maxBytes / width || width < 0 && n > maxBytes / 8) {
      throw bad("input '" + key + "' has shape " + shape + ", " + n + " values, more than a"
          + " request of at most " + maxBytes + " bytes may hold");
    }
    ByteString content = p.getTensorContent();
    if (!content.isEmpty()) {
      if (width < 0) {
        throw bad("input '" + key + "' is DT_STRING: give its values in string_val, not"
            + " tensor_content");
      }
      if (content.size() != n * width) {
        throw bad("input '" + key + "' has " + content.size() + " bytes of tensor_content;"
            + " shape " + shape + " of " + spec.dtype() + " needs " + n * width);
      }
      ByteBuffer b = content.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
      int size = (int) n;
      return switch (spec.dtype()) {
        case DT_FLOAT -> {
          float[] v = new float[size];
          b.asFloatBuffer().get(v);
          yield NdArrays.wrap(shape, DataBuffers.of(v, false, false));
        }
        case DT_DOUBLE -> {
          double[] v = new double[size];
          b.asDoubleBuffer().get(v);
          yield NdArrays.wrap(shape, DataBuffers.of(v, false, false));
        }
        case DT_INT32 -> {
          int[] v = new int[size];
          b.asIntBuffer().get(v);
          yield NdArrays.wrap(shape, DataBuffers.of(v, false, false));
        }
        default -> {
          long[] v = new long[size];
          b.asLongBuffer().get(v);
          yield NdArrays.wrap(shape, DataBuffers.of(v, false, false));
        }
      };
    }
    int size = (int) n;
    switch (spec.dtype()) {
      case DT_FLOAT -> {
        int have = count(p.getFloatValCount(), n, key, "float_val");
        float[] v = new float[size];
        for (int i = 0; i < have; i++) {
          v[i] = p.getFloatVal(i);
        }
        if (have > 0) {
          Arrays.fill(v, have, size, v[have - 1]);
        }
        return NdArrays.wrap(shape, DataBuffers.of(v, false, false));
      }
      case DT_DOUBLE -> {
        int have = count(p.getDoubleValCount(), n, key, "double_val");
        double[] v = new double[size];
        for (int i = 0; i < have; i++) {
          v[i] = p.getDoubleVal(i);
        }
        if (have > 0) {
          Arrays.fill(v, have, size, v[have - 1]);
        }
        return NdArrays.wrap(shape, DataBuffers.of(v, false, false));
      }
      case DT_INT32 -> {
        int have = count(p.getIntValCount(), n, key, "int_val");
        int[] v = new int[size];
        for (int i = 0; i < have; i++) {
          v[i] = p.getIntVal(i);
        }
        if (have > 0) {
          Arrays.fill(v, have, size, v[have - 1]);
        }
        return NdArrays.wrap(shape, DataBuffers.of(v, false, false));
      }
      case DT_INT64 -> {
        int have = count(p.getInt64ValCount(), n, key, "int64_val");
        long[] v = new long[size];
        for (int i = 0; i < have; i++) {
          v[i] = p.getInt64Val(i);
        }
        if (have > 0) {
          Arrays.fill(v, have, size, v[have - 1]);
        }
        return NdArrays.wrap(shape, DataBuffers.of(v, false, false));
      }
      default -> {
        int have = count(p.getStringValCount(), n, key, "string_val");
        NdArray<byte[]> a = NdArrays.ofObjects(byte[].class, shape);
        byte[] last = new byte[0];
        long i = 0;
        for (NdArray<byte[]> s : a.scalars()) {
          last = i < have ? p.getStringVal((int) i).toByteArray() : last;
          s.setObject(last);
          i++;
        }
        return a;
      }
    }
  }

  private static String dtypeName(TensorProto p) {
    return p.getDtype() == DataType.UNRECOGNIZED ? "dtype number " + p.getDtypeValue()
        : p.getDtype().name();
  }

  /** Bytes per value; -1 for strings, 0 for dtypes this server does not take. */
  private static int width(DataType t) {
    return switch (t) {
      case DT_FLOAT, DT_INT32 -> 4;
      case DT_DOUBLE, DT_INT64 -> 8;
      case DT_STRING -> -1;
      default -> 0;
    };
  }

  private static int count(int have, long n, String key, String field) {
    if (have > n) {
      throw bad("input '" + key + "' has " + have + " values in " + field + "; its shape holds "
          + n);
    }
    return have;
  }

  private static Shape shape(TensorShapeProto s, String key) {
    if (s.getUnknownRank()) {
      throw bad("input '" + key + "' must have a known shape; its tensor_shape has"
          + " unknown_rank");
    }
    if (s.getDimCount() > MAX_RANK) {
      throw bad("input '" + key + "' has rank " + s.getDimCount() + "; TensorFlow allows at"
          + " most " + MAX_RANK);
    }
    long[] dims = new long[s.getDimCount()];
    long n = 1;
    for (int i = 0; i < dims.length; i++) {
      dims[i] = s.getDim(i).getSize();
      if (dims[i] < 0) {
        throw bad("input '" + key + "' has dimension " + i + " of size " + dims[i]
            + "; sizes must be 0 or more");
      }
      try {
        n = Math.multiplyExact(n, dims[i]);
      } catch (ArithmeticException e) {
        throw bad("input '" + key + "' has more values than a tensor can hold (shape "
            + Arrays.toString(dims) + ")");
      }
    }
    if (n > Integer.MAX_VALUE - 8) {
      throw bad("input '" + key + "' has more values than a tensor can hold (shape "
          + Arrays.toString(dims) + ")");
    }
    return Shape.of(dims);
  }

  /** An output as a TensorProto with its values in the typed field, as TF Serving answers. */
  static TensorProto toProto(NdArray<?> a) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (long d : a.shape().asArray()) {
      shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
    }
    TensorProto.Builder p = TensorProto.newBuilder().setTensorShape(shape);
    int n = (int) a.shape().size();
    if (a instanceof FloatNdArray f) {
      float[] v = new float[n];
      f.copyTo(DataBuffers.of(v, false, false));
      p.setDtype(DataType.DT_FLOAT);
      for (float x : v) {
        p.addFloatVal(x);
      }
    } else if (a instanceof DoubleNdArray d) {
      double[] v = new double[n];
      d.copyTo(DataBuffers.of(v, false, false));
      p.setDtype(DataType.DT_DOUBLE);
      for (double x : v) {
        p.addDoubleVal(x);
      }
    } else if (a instanceof IntNdArray i) {
      int[] v = new int[n];
      i.copyTo(DataBuffers.of(v, false, false));
      p.setDtype(DataType.DT_INT32);
      for (int x : v) {
        p.addIntVal(x);
      }
    } else if (a instanceof LongNdArray l) {
      long[] v = new long[n];
      l.copyTo(DataBuffers.of(v, false, false));
      p.setDtype(DataType.DT_INT64);
      for (long x : v) {
        p.addInt64Val(x);
      }
    } else {
      p.setDtype(DataType.DT_STRING);
      a.scalars().forEach(s -> p.addStringVal(ByteString.copyFrom((byte[]) s.getObject())));
    }
    return p.build();
  }

  static IllegalArgumentException bad(String what) {
    return new IllegalArgumentException(what + ".");
  }
}
