package io.kava.layers;

import io.kava.internal.Checks;
import io.kava.saving.Config;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * Multiplies two or more inputs of the same shape element by element, Keras's
 * {@code Multiply}: a learned gate. No weights.
 *
 * <p>Input shapes: two or more, all equal (Keras also broadcasts, e.g. {@code (1, 1, c)}
 * against {@code (h, w, c)}; Kava does not yet). Output shape: the same.
 *
 * <pre>{@code
 * jshell> Node gated = Multiply.of().apply(Dense.of(16).apply(x),
 *    ...>     Dense.of(16).activation(Activation.SIGMOID).apply(x))
 * }</pre>
 */
public final class Multiply implements Layer {
  private final String name;

  private Multiply(String name) {
    this.name = name;
  }

  public static Multiply of() {
    return new Multiply(null);
  }

  /** Rebuilds a Multiply from {@link #config()} (it has no settings). */
  public static Multiply fromConfig(Config config) {
    return of();
  }

  public Multiply name(String name) {
    return new Multiply(Checks.name("Multiply", name));
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String type() {
    return "Multiply";
  }

  @Override
  public String defaultName() {
    return "multiply";
  }

  @Override
  public Shape outputShape(Shape inputShape) {
    throw new IllegalArgumentException(Merge.oneInput("Multiply"));
  }

  @Override
  public Shape outputShape(List<Shape> inputShapes) {
    return Merge.sameShapes(Checks.subject("Multiply", name), inputShapes);
  }

  @Override
  public boolean supportsLowPrecision() {
    return true;
  }

  @Override
  public Operand<TFloat32> call(LayerContext ctx, Operand<TFloat32> input) {
    throw new IllegalArgumentException(Merge.oneInput("Multiply"));
  }

  @Override
  public Operand<TFloat32> call(LayerContext ctx, List<Operand<TFloat32>> inputs) {
    Operand<TFloat32> product = inputs.get(0);
    for (int i = 1; i < inputs.size(); i++) {
      product = ctx.tf().math.mul(product, inputs.get(i));
    }
    return product;
  }

  @Override
  public String toString() {
    return name == null ? "Multiply()" : "Multiply(name=" + name + ")";
  }
}
