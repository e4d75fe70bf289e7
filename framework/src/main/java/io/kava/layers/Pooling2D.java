package io.kava.layers;

import io.kava.internal.Checks;
import io.kava.saving.Config;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * What {@link MaxPooling2D} and {@link AveragePooling2D} share: the window, its options, the
 * output shape and the one-line description. Subclasses say how a window is reduced.
 *
 * @param <P> the concrete layer, so the fluent options return it
 */
abstract class Pooling2D<P extends Pooling2D<P>> implements Layer {
  final Window window;
  private final String name;

  Pooling2D(Window window, String name) {
    this.window = window;
    this.name = name;
  }

  /** The square or rectangular window a factory starts from: strides = pool, VALID. */
  static Window window(String type, int poolHeight, int poolWidth) {
    if (poolHeight <= 0 || poolWidth <= 0) {
      throw Checks.invalid(type, "pool size", "> 0", poolHeight <= 0 ? poolHeight : poolWidth,
          null);
    }
    return new Window(poolHeight, poolWidth, poolHeight, poolWidth, Padding.VALID);
  }

  /** A copy with another window or name. */
  abstract P copy(Window window, String name);

  /** Adds the op reducing each window. */
  abstract Operand<TFloat32> pool(Ops tf, Operand<TFloat32> input);

  public P strides(int stride) {
    return strides(stride, stride);
  }

  public P strides(int strideHeight, int strideWidth) {
    return copy(Window.of(subject(), window.height(), window.width(), strideHeight,
        strideWidth, window.padding()), name);
  }

  public P padding(Padding padding) {
    return copy(Window.of(subject(), window.height(), window.width(), window.strideH(),
        window.strideW(), padding), name);
  }

  public P name(String name) {
    return copy(window, Checks.name(type(), name));
  }

  /** Pool {height, width}. */
  public int[] poolSize() {
    return new int[] {window.height(), window.width()};
  }

  /** Strides {height, width}. */
  public int[] strides() {
    return new int[] {window.strideH(), window.strideW()};
  }

  public Padding padding() {
    return window.padding();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Shape outputShape(Shape inputShape) {
    long[] hw = window.outputSize(subject(), inputShape);
    return Shape.of(hw[0], hw[1], inputShape.get(2));
  }

  @Override
  public boolean supportsLowPrecision() {
    return true;
  }

  @Override
  public Operand<TFloat32> call(LayerContext ctx, Operand<TFloat32> input) {
    return pool(ctx.tf(), input);
  }

  private String subject() {
    return Checks.subject(type(), name);
  }

  /** Keras's config: pool_size, strides, padding. */
  @Override
  public Config config() {
    return Config.builder().put("pool_size", poolSize()).put("strides", strides())
        .put("padding", padding().kerasName()).build();
  }

  /** {@code base} with the pooling settings of {@code c} (fromConfig of the subclasses). */
  static <P extends Pooling2D<P>> P configured(P base, Config c) {
    int[] s = c.getInts("strides", base.strides());
    return base.strides(s[0], s.length > 1 ? s[1] : s[0])
        .padding(Padding.of(c.getString("padding", base.padding().kerasName())));
  }

  static int[] poolSize(Config c, String type) {
    int[] p = c.getInts("pool_size", new int[] {2, 2});
    if (p.length == 0 || p.length > 2) {
      throw Checks.invalid(type, "config pool_size", "one or two whole numbers",
          c.get("pool_size"), null);
    }
    return p.length == 1 ? new int[] {p[0], p[0]} : p;
  }

  @Override
  public String toString() {
    return type() + "(" + window.describe("pool_size") + (name == null ? "" : ", name=" + name)
        + ")";
  }
}
