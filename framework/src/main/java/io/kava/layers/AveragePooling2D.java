package io.kava.layers;

import io.kava.internal.Checks;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * 2-D pooling that keeps the mean (padding cells excluded, as in Keras) of each window, Keras's {@code AveragePooling2D}.
 *
 * <p>Input shape {@code (h, w, c)}; output {@code (h', w', c)}. Defaults: strides equal to
 * the pool size, padding VALID. No weights.
 *
 * <pre>{@code
 * jshell> AveragePooling2D.of(2)
 * jshell> AveragePooling2D.of(3).strides(2).padding(Padding.SAME)
 * }</pre>
 */
public final class AveragePooling2D implements Layer {
  private final Window window;
  private final String name;

  private AveragePooling2D(Window window, String name) {
    this.window = window;
    this.name = name;
  }

  /** A square {@code poolSize x poolSize} pool. */
  public static AveragePooling2D of(int poolSize) {
    return of(poolSize, poolSize);
  }

  public static AveragePooling2D of(int poolHeight, int poolWidth) {
    if (poolHeight <= 0 || poolWidth <= 0) {
      throw Checks.invalid("AveragePooling2D", "pool size", "> 0",
          poolHeight <= 0 ? poolHeight : poolWidth, null);
    }
    return new AveragePooling2D(new Window(poolHeight, poolWidth, poolHeight, poolWidth,
        Padding.VALID), null);
  }

  public AveragePooling2D strides(int stride) {
    return strides(stride, stride);
  }

  public AveragePooling2D strides(int strideHeight, int strideWidth) {
    return new AveragePooling2D(Window.of(subject(), window.height(), window.width(), strideHeight,
        strideWidth, window.padding()), name);
  }

  public AveragePooling2D padding(Padding padding) {
    return new AveragePooling2D(Window.of(subject(), window.height(), window.width(),
        window.strideH(), window.strideW(), padding), name);
  }

  public AveragePooling2D name(String name) {
    return new AveragePooling2D(window, Checks.name("AveragePooling2D", name));
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
  public String type() {
    return "AveragePooling2D";
  }

  @Override
  public String defaultName() {
    return "average_pooling2d";
  }

  @Override
  public Shape outputShape(Shape inputShape) {
    long[] hw = window.outputSize(subject(), inputShape);
    return Shape.of(hw[0], hw[1], inputShape.get(2));
  }

  @Override
  public Operand<TFloat32> call(LayerContext ctx, Operand<TFloat32> input) {
    var tf = ctx.tf();
    return tf.nn.avgPool(input, window.ksize(), window.strides(), window.paddingName());
  }

  private String subject() {
    return Checks.subject("AveragePooling2D", name);
  }

  @Override
  public String toString() {
    return "AveragePooling2D(" + window.describe("pool_size") + (name == null ? "" : ", name=" + name)
        + ")";
  }
}
