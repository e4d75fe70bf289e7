package io.kava.layers;

import io.kava.internal.Checks;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * 2-D pooling that keeps the maximum of each window, Keras's {@code MaxPooling2D}.
 *
 * <p>Input shape {@code (h, w, c)}; output {@code (h', w', c)}. Defaults: strides equal to
 * the pool size, padding VALID. No weights.
 *
 * <pre>{@code
 * jshell> MaxPooling2D.of(2)
 * jshell> MaxPooling2D.of(3).strides(2).padding(Padding.SAME)
 * }</pre>
 */
public final class MaxPooling2D implements Layer {
  private final Window window;
  private final String name;

  private MaxPooling2D(Window window, String name) {
    this.window = window;
    this.name = name;
  }

  /** A square {@code poolSize x poolSize} pool. */
  public static MaxPooling2D of(int poolSize) {
    return of(poolSize, poolSize);
  }

  public static MaxPooling2D of(int poolHeight, int poolWidth) {
    if (poolHeight <= 0 || poolWidth <= 0) {
      throw Checks.invalid("MaxPooling2D", "pool size", "> 0",
          poolHeight <= 0 ? poolHeight : poolWidth, null);
    }
    return new MaxPooling2D(new Window(poolHeight, poolWidth, poolHeight, poolWidth,
        Padding.VALID), null);
  }

  public MaxPooling2D strides(int stride) {
    return strides(stride, stride);
  }

  public MaxPooling2D strides(int strideHeight, int strideWidth) {
    return new MaxPooling2D(Window.of(subject(), window.height(), window.width(), strideHeight,
        strideWidth, window.padding()), name);
  }

  public MaxPooling2D padding(Padding padding) {
    return new MaxPooling2D(Window.of(subject(), window.height(), window.width(),
        window.strideH(), window.strideW(), padding), name);
  }

  public MaxPooling2D name(String name) {
    return new MaxPooling2D(window, Checks.name("MaxPooling2D", name));
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
    return "MaxPooling2D";
  }

  @Override
  public String defaultName() {
    return "max_pooling2d";
  }

  @Override
  public Shape outputShape(Shape inputShape) {
    long[] hw = window.outputSize(subject(), inputShape);
    return Shape.of(hw[0], hw[1], inputShape.get(2));
  }

  @Override
  public Operand<TFloat32> call(LayerContext ctx, Operand<TFloat32> input) {
    var tf = ctx.tf();
    // The attribute form (MaxPool), not TF-Java's MaxPoolV2 (window as tensors): oneDNN
    // rewrites only MaxPool and its gradient, and that gradient was the step's costliest op.
    var op = tf.scope().opBuilder("MaxPool", "MaxPool")
        .addInput(input.asOutput())
        .setAttr("ksize", window.ksize().stream().mapToLong(Long::longValue).toArray())
        .setAttr("strides", window.strides().stream().mapToLong(Long::longValue).toArray())
        .setAttr("padding", window.paddingName())
        .build();
    return op.output(0);
  }

  private String subject() {
    return Checks.subject("MaxPooling2D", name);
  }

  @Override
  public String toString() {
    return "MaxPooling2D(" + window.describe("pool_size") + (name == null ? "" : ", name=" + name)
        + ")";
  }
}
