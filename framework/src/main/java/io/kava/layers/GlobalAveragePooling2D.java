package io.kava.layers;

import io.kava.saving.Config;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The mean of each channel over the whole image, Keras's {@code GlobalAveragePooling2D}: the
 * head of ResNet and MobileNet, in place of {@code Flatten}.
 *
 * <p>Input shape {@code (h, w, c)}; output {@code (c)}, or {@code (1, 1, c)} with
 * {@code keepdims(true)}. Default: keepdims false. No weights.
 *
 * <pre>{@code
 * jshell> GlobalAveragePooling2D.of().outputShape(Shape.of(7, 7, 2048))   // [2048]
 * jshell> GlobalAveragePooling2D.of().keepdims(true)
 * $2 ==> GlobalAveragePooling2D(keepdims=true)
 * }</pre>
 */
public final class GlobalAveragePooling2D extends GlobalPooling2D<GlobalAveragePooling2D> {

  private GlobalAveragePooling2D(boolean keepdims, String name) {
    super(keepdims, name);
  }

  public static GlobalAveragePooling2D of() {
    return new GlobalAveragePooling2D(false, null);
  }

  @Override
  GlobalAveragePooling2D copy(boolean keepdims, String name) {
    return new GlobalAveragePooling2D(keepdims, name);
  }

  @Override
  Operand<TFloat32> reduce(Ops tf, Operand<TFloat32> input, Operand<TInt32> axes,
      boolean keepdims) {
    return tf.math.mean(input, axes, Mean.keepDims(keepdims));
  }

  @Override
  public String type() {
    return "GlobalAveragePooling2D";
  }

  @Override
  public String defaultName() {
    return "global_average_pooling2d";
  }

  /** Rebuilds a GlobalAveragePooling2D from {@link #config()}. */
  public static GlobalAveragePooling2D fromConfig(Config c) {
    return configured(of(), c);
  }
}
