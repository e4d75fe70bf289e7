package io.kava.layers;

import io.kava.internal.Checks;
import io.kava.saving.Config;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * Flattens each sample to one dimension, keeping the batch: {@code (h, w, c) -> (h*w*c)}.
 * No weights.
 *
 * <pre>{@code
 * jshell> Flatten.of().outputShape(Shape.of(13, 13, 32))   // [5408]
 * }</pre>
 */
public final class Flatten implements Layer {
  private final String name;

  private Flatten(String name) {
    this.name = name;
  }

  public static Flatten of() {
    return new Flatten(null);
  }

  public Flatten name(String name) {
    return new Flatten(Checks.name("Flatten", name));
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String type() {
    return "Flatten";
  }

  @Override
  public String defaultName() {
    return "flatten";
  }

  @Override
  public Shape outputShape(Shape inputShape) {
    return Shape.of(inputShape.size());
  }

  @Override
  public boolean supportsLowPrecision() {
    return true;
  }

  @Override
  public Operand<TFloat32> call(LayerContext ctx, Operand<TFloat32> input) {
    var tf = ctx.tf();
    return tf.reshape(input, tf.constant(new long[] {-1, outputSizeOf(input)}));
  }

  /** Elements per sample, from the static shape after the batch dimension. */
  private static long outputSizeOf(Operand<TFloat32> input) {
    long[] dims = input.shape().asArray();
    long n = 1;
    for (int i = 1; i < dims.length; i++) {
      n *= dims[i];
    }
    return n;
  }

  /** Rebuilds a Flatten (it has no settings). */
  public static Flatten fromConfig(Config c) {
    return of();
  }

  @Override
  public String toString() {
    return name == null ? "Flatten()" : "Flatten(name=" + name + ")";
  }
}
