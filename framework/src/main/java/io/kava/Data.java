package io.kava;

import io.kava.internal.Checks;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.ndarray.buffer.FloatDataBuffer;
import org.tensorflow.types.TFloat32;

/** Shape checks and conversions between user arrays and fed tensors. */
final class Data {
  private Data() {}

  /** Per-sample shape of a batched array: everything after the first dimension. */
  static Shape sampleShape(FloatNdArray a) {
    long[] d = a.shape().asArray();
    return Shape.of(java.util.Arrays.copyOfRange(d, 1, d.length));
  }

  /** True if {@code got} equals {@code want} up to dimensions of size 1 ((n) vs (n, 1)). */
  static boolean compatible(Shape got, Shape want) {
    return got.equals(want) || (got.size() == want.size() && squeeze(got).equals(squeeze(want)));
  }

  private static Shape squeeze(Shape s) {
    return Shape.of(java.util.Arrays.stream(s.asArray()).filter(d -> d != 1).toArray());
  }

  /** A tensor of shape {@code [n, ...sample]} holding {@code a}'s values. */
  static TFloat32 tensor(FloatNdArray a, Shape sample) {
    Shape target = Shape.of(a.shape().get(0)).append(sample);
    if (a.shape().equals(target)) {
      return TFloat32.tensorOf(a);
    }
    float[] flat = flatten(a);
    return TFloat32.tensorOf(target, DataBuffers.of(flat, true, false));
  }

  static float[] flatten(FloatNdArray a) {
    float[] flat = new float[Math.toIntExact(a.shape().size())];
    a.copyTo(DataBuffers.of(flat, false, false));
    return flat;
  }

  /** Index of the first sample holding NaN or infinity, or -1. */
  static long firstNonFinite(FloatNdArray a) {
    long n = a.shape().get(0);
    long per = n == 0 ? 0 : a.shape().size() / n;
    float[] row = new float[Math.toIntExact(per)];
    var buf = DataBuffers.of(row, false, false);
    for (long i = 0; i < n; i++) {
      a.get(i).copyTo(buf);
      for (float v : row) {
        if (!Float.isFinite(v)) {
          return i;
        }
      }
    }
    return -1;
  }

  /** Samples {@code [from, to)} of {@code a} as a new array. */
  static FloatNdArray rows(FloatNdArray a, long from, long to) {
    return gather(a, java.util.stream.LongStream.range(from, to).toArray());
  }

  /**
   * The samples at {@code indices} as a tensor {@code [n, ...sample]}, by bulk copies straight
   * into the tensor's memory (no intermediate Java array). {@code sample} must hold as many
   * values as a sample of {@code a} (labels {@code [n]} may fill {@code [n, 1]}).
   */
  static TFloat32 gatherTensor(FloatNdArray a, long[] indices, Shape sample) {
    long per = sample.size();
    return TFloat32.tensorOf(Shape.of(indices.length).append(sample), t -> {
      FloatDataBuffer memory = t.asRawTensor().data().asFloats();
      for (int i = 0; i < indices.length; i++) {
        a.get(indices[i]).copyTo(memory.offset(i * per).narrow(per));
      }
    });
  }

  /** The samples at {@code indices}, in that order, as a new array. */
  static FloatNdArray gather(FloatNdArray a, long[] indices) {
    Shape s = Shape.of(indices.length).append(sampleShape(a));
    FloatNdArray out = NdArrays.ofFloats(s);
    for (int i = 0; i < indices.length; i++) {
      a.get(indices[i]).copyTo(out.get(i));
    }
    return out;
  }

  /**
   * Integer labels as the float array {@code [n]} every loss reads: Keras accepts integer
   * labels and casts them the same way. Their values are checked later, by the loss.
   */
  static FloatNdArray labels(String subject, String what, int[] labels) {
    Checks.notNull(subject, what, labels);
    float[] v = new float[labels.length];
    for (int i = 0; i < v.length; i++) {
      v[i] = labels[i];
    }
    return NdArrays.wrap(Shape.of(v.length), DataBuffers.of(v, true, false));
  }
}
