package io.kava.layers;

import io.kava.saving.Config;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Max;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The maximum of each channel over the whole image, Keras's {@code GlobalMaxPooling2D}.
 *
 * <p>Input shape {@code (h, w, c)}; output {@code (c)}, or {@code (1, 1, c)} with
 * {@code keepdims(true)}. Default: keepdims false. No weights.
 *
 * <pre>{@code
 * jshell> GlobalMaxPooling2D.of().outputShape(Shape.of(7, 7, 512))   // [512]
 * jshell> GlobalMaxPooling2D.of().keepdims(true)
 * $2 ==> GlobalMaxPooling2D(keepdims=true)
 * }</pre>
 */
public final class GlobalMaxPooling2D extends GlobalPooling2D<GlobalMaxPooling2D> {

  private GlobalMaxPooling2D(boolean keepdims, String name) {
    super(keepdims, name);
  }

  public static GlobalMaxPooling2D of() {
    return new GlobalMaxPooling2D(false, null);
  }

  @Override
  GlobalMaxPooling2D copy(boolean keepdims, String name) {
    return new GlobalMaxPooling2D(keepdims, name);
  }

  @Override
  Operand<TFloat32> reduce(Ops tf, Operand<TFloat32> input, Operand<TInt32> axes,
      boolean keepdims) {
    return tf.max(input, axes, Max.keepDims(keepdims));
  }

  @Override
  public String type() {
    return "GlobalMaxPooling2D";
  }

  @Override
  public String defaultName() {
    return "global_max_pooling2d";
  }

  /** Rebuilds a GlobalMaxPooling2D from {@link #config()}. */
  public static GlobalMaxPooling2D fromConfig(Config c) {
    return configured(of(), c);
  }
}
