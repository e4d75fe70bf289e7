package io.kava.layers;

import io.kava.saving.Config;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * 2-D pooling that keeps the mean of each window (padding cells excluded, as in Keras),
 * Keras's {@code AveragePooling2D}.
 *
 * <p>Input shape {@code (h, w, c)}; output {@code (h', w', c)}. Defaults: strides equal to
 * the pool size, padding VALID. No weights.
 *
 * <pre>{@code
 * jshell> AveragePooling2D.of(2)
 * jshell> AveragePooling2D.of(3).strides(2).padding(Padding.SAME)
 * }</pre>
 */
public final class AveragePooling2D extends Pooling2D<AveragePooling2D> {

  private AveragePooling2D(Window window, String name) {
    super(window, name);
  }

  /** A square {@code poolSize x poolSize} pool. */
  public static AveragePooling2D of(int poolSize) {
    return of(poolSize, poolSize);
  }

  public static AveragePooling2D of(int poolHeight, int poolWidth) {
    return new AveragePooling2D(window("AveragePooling2D", poolHeight, poolWidth), null);
  }

  @Override
  AveragePooling2D copy(Window window, String name) {
    return new AveragePooling2D(window, name);
  }

  @Override
  Operand<TFloat32> pool(Ops tf, Operand<TFloat32> input) {
    return tf.nn.avgPool(input, window.ksize(), window.strides(), window.paddingName());
  }

  @Override
  public String type() {
    return "AveragePooling2D";
  }

  @Override
  public String defaultName() {
    return "average_pooling2d";
  }

  /** Rebuilds a AveragePooling2D from {@link #config()}. */
  public static AveragePooling2D fromConfig(Config c) {
    int[] p = poolSize(c, "AveragePooling2D");
    return configured(of(p[0], p[1]), c);
  }
}
