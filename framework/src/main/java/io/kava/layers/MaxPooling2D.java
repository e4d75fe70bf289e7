package io.kava.layers;

import io.kava.saving.Config;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
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
public final class MaxPooling2D extends Pooling2D<MaxPooling2D> {

  private MaxPooling2D(Window window, String name) {
    super(window, name);
  }

  /** A square {@code poolSize x poolSize} pool. */
  public static MaxPooling2D of(int poolSize) {
    return of(poolSize, poolSize);
  }

  public static MaxPooling2D of(int poolHeight, int poolWidth) {
    return new MaxPooling2D(window("MaxPooling2D", poolHeight, poolWidth), null);
  }

  @Override
  MaxPooling2D copy(Window window, String name) {
    return new MaxPooling2D(window, name);
  }

  @Override
  Operand<TFloat32> pool(Ops tf, Operand<TFloat32> input) {
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

  @Override
  public String type() {
    return "MaxPooling2D";
  }

  @Override
  public String defaultName() {
    return "max_pooling2d";
  }

  /** Rebuilds a MaxPooling2D from {@link #config()}. */
  public static MaxPooling2D fromConfig(Config c) {
    int[] p = poolSize(c, "MaxPooling2D");
    return configured(of(p[0], p[1]), c);
  }
}
