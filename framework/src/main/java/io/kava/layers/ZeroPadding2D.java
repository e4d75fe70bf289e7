package io.kava.layers;

import io.kava.internal.Checks;
import io.kava.saving.Config;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * Adds rows and columns of zeros around each image, Keras's {@code ZeroPadding2D}: the
 * explicit padding before ResNet's 7x7 stem and MobileNet's strided depthwise convolutions.
 *
 * <p>Input shape {@code (h, w, c)}; output {@code (top + h + bottom, left + w + right, c)}.
 * No weights. Every amount must be {@code >= 0}.
 *
 * <pre>{@code
 * jshell> ZeroPadding2D.of(3)                  // 3 on every side
 * $1 ==> ZeroPadding2D(padding=((3, 3), (3, 3)))
 * jshell> ZeroPadding2D.of(0, 1, 0, 1)         // bottom and right only
 * }</pre>
 */
public final class ZeroPadding2D implements Layer {
  private final int top;
  private final int bottom;
  private final int left;
  private final int right;
  private final String name;

  private ZeroPadding2D(int top, int bottom, int left, int right, String name) {
    this.top = top;
    this.bottom = bottom;
    this.left = left;
    this.right = right;
    this.name = name;
  }

  /** {@code padding} rows and columns on every side. */
  public static ZeroPadding2D of(int padding) {
    return of(padding, padding);
  }

  /** {@code height} rows above and below, {@code width} columns left and right. */
  public static ZeroPadding2D of(int height, int width) {
    return of(height, height, width, width);
  }

  /** Rows {@code top} and {@code bottom}, columns {@code left} and {@code right}. */
  public static ZeroPadding2D of(int top, int bottom, int left, int right) {
    if (top < 0 || bottom < 0 || left < 0 || right < 0) {
      throw Checks.invalid("ZeroPadding2D", "padding (top, bottom, left, right)", ">= 0",
          new int[] {top, bottom, left, right}, null);
    }
    return new ZeroPadding2D(top, bottom, left, right, null);
  }

  public ZeroPadding2D name(String name) {
    return new ZeroPadding2D(top, bottom, left, right, Checks.name("ZeroPadding2D", name));
  }

  /** {@code {{top, bottom}, {left, right}}}, as Keras's {@code padding}. */
  public int[][] padding() {
    return new int[][] {{top, bottom}, {left, right}};
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String type() {
    return "ZeroPadding2D";
  }

  @Override
  public String defaultName() {
    return "zero_padding2d";
  }

  @Override
  public Shape outputShape(Shape inputShape) {
    Images.requireImage(Checks.subject("ZeroPadding2D", name), inputShape);
    return Shape.of(inputShape.get(0) + top + bottom, inputShape.get(1) + left + right,
        inputShape.get(2));
  }

  @Override
  public boolean supportsLowPrecision() {
    return true;
  }

  @Override
  public Operand<TFloat32> call(LayerContext ctx, Operand<TFloat32> input) {
    var tf = ctx.tf();
    return tf.pad(input, tf.constant(new int[][] {{0, 0}, {top, bottom}, {left, right}, {0, 0}}),
        tf.dtypes.cast(tf.constant(0f), input.type()));
  }

  /** Keras's config: padding as {@code [[top, bottom], [left, right]]}. */
  @Override
  public Config config() {
    return Config.builder().put("padding", List.of(new int[] {top, bottom},
        new int[] {left, right})).build();
  }

  /**
   * Rebuilds a ZeroPadding2D from {@link #config()}; {@code padding} may also be one number
   * or a symmetric {@code [height, width]} pair, as Keras accepts. Missing: Keras's default 1.
   */
  public static ZeroPadding2D fromConfig(Config c) {
    Object p = c.get("padding");
    if (p == null) {
      return of(1);
    }
    if (p instanceof List<?> list && list.size() == 2 && list.get(0) instanceof List<?>) {
      int[] tb = ints(list.get(0), p);
      int[] lr = ints(list.get(1), p);
      if (tb.length != 2 || lr.length != 2) {
        throw badPadding(p);
      }
      return of(tb[0], tb[1], lr[0], lr[1]);
    }
    int[] v = ints(p, p);
    return v.length == 1 ? of(v[0]) : of(v[0], v[1]);
  }

  /** One or two whole numbers from a config value. */
  private static int[] ints(Object value, Object whole) {
    List<?> list = value instanceof List<?> l ? l : List.of(value);
    if (list.isEmpty() || list.size() > 2) {
      throw badPadding(whole);
    }
    int[] out = new int[2];
    for (int i = 0; i < list.size(); i++) {
      if (!(list.get(i) instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
        throw badPadding(whole);
      }
      out[i] = n.intValue();
    }
    return list.size() == 1 ? new int[] {out[0]} : out;
  }

  private static IllegalArgumentException badPadding(Object got) {
    return Checks.invalid("ZeroPadding2D", "config padding", "a whole number, [height, width]"
        + " or [[top, bottom], [left, right]]", got, null);
  }

  @Override
  public String toString() {
    return "ZeroPadding2D(padding=((" + top + ", " + bottom + "), (" + left + ", " + right
        + "))" + (name == null ? "" : ", name=" + name) + ")";
  }
}
