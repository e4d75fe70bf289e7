package io.kava.layers;

import io.kava.internal.Checks;
import io.kava.saving.Config;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * What {@link GlobalAveragePooling2D} and {@link GlobalMaxPooling2D} share: the whole image is
 * one window, reduced per channel; {@code keepdims} keeps the two spatial axes as size 1.
 *
 * @param <P> the concrete layer, so the fluent options return it
 */
abstract class GlobalPooling2D<P extends GlobalPooling2D<P>> implements Layer {
  private final boolean keepdims;
  private final String name;

  GlobalPooling2D(boolean keepdims, String name) {
    this.keepdims = keepdims;
    this.name = name;
  }

  /** A copy with other settings. */
  abstract P copy(boolean keepdims, String name);

  /** Reduces {@code input} over {@code axes} (height and width). */
  abstract Operand<TFloat32> reduce(Ops tf, Operand<TFloat32> input, Operand<TInt32> axes,
      boolean keepdims);

  /** Whether the output keeps height and width as size 1: {@code (1, 1, c)}, not {@code (c)}. */
  public P keepdims(boolean keepdims) {
    return copy(keepdims, name);
  }

  public P name(String name) {
    return copy(keepdims, Checks.name(type(), name));
  }

  public boolean keepdims() {
    return keepdims;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Shape outputShape(Shape inputShape) {
    Images.requireImage(Checks.subject(type(), name), inputShape);
    long c = inputShape.get(2);
    return keepdims ? Shape.of(1, 1, c) : Shape.of(c);
  }

  @Override
  public boolean supportsLowPrecision() {
    return true;
  }

  @Override
  public Operand<TFloat32> call(LayerContext ctx, Operand<TFloat32> input) {
    Ops tf = ctx.tf();
    return reduce(tf, input, tf.constant(new int[] {1, 2}), keepdims);
  }

  /** Keras's config: keepdims. */
  @Override
  public Config config() {
    return Config.builder().put("keepdims", keepdims).build();
  }

  /** {@code base} with the settings of {@code c} (fromConfig of the subclasses). */
  static <P extends GlobalPooling2D<P>> P configured(P base, Config c) {
    return base.keepdims(c.getBoolean("keepdims", base.keepdims()));
  }

  @Override
  public String toString() {
    String s = keepdims ? "keepdims=true" : "";
    if (name != null) {
      s += (s.isEmpty() ? "" : ", ") + "name=" + name;
    }
    return type() + "(" + s + ")";
  }
}
