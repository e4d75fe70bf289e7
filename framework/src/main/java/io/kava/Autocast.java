package io.kava;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TFloating;

/**
 * Casts between float32 and a mixed policy's compute type while the graph is built. Layers
 * are written against {@code Operand<TFloat32>}; under a mixed policy the operands they get
 * hold bfloat16 or float16 values. Java's erased generics allow that, and the ops layers
 * build (matmul, convolution, pooling...) take their type from their inputs, so only the
 * declared type is float32. This class is the one place that bends the type: everything the
 * user or the loss sees is cast back to real float32 here.
 */
final class Autocast {
  private Autocast() {}

  /** {@code x} as {@code type}: {@code x} itself when it already has that type. */
  static Operand<TFloat32> to(Ops tf, Operand<TFloat32> x, Class<? extends TFloating> type) {
    if (x == null || x.type() == type) {
      return x;
    }
    @SuppressWarnings("unchecked")
    Operand<TFloat32> cast = (Operand<TFloat32>) (Operand<?>) tf.dtypes.cast(x, type);
    return cast;
  }

  /** {@code x} as real float32. */
  static Operand<TFloat32> toFloat32(Ops tf, Operand<TFloat32> x) {
    return to(tf, x, TFloat32.class);
  }
}
