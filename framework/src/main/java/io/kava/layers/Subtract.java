package io.kava.layers;

import io.kava.internal.Checks;
import io.kava.saving.Config;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * Subtracts its second input from its first, element by element, Keras's {@code Subtract}.
 * No weights.
 *
 * <p>Input shapes: exactly two, equal. Output shape: the same. {@code apply(a, b)} gives
 * {@code a - b}.
 *
 * <pre>{@code
 * jshell> Node diff = Subtract.of().apply(Dense.of(8).apply(a), Dense.of(8).apply(b))
 * }</pre>
 */
public final class Subtract implements Layer {
  private final String name;

  private Subtract(String name) {
    this.name = name;
  }

  public static Subtract of() {
    return new Subtract(null);
  }

  /** Rebuilds a Subtract from {@link #config()} (it has no settings). */
  public static Subtract fromConfig(Config config) {
    return of();
  }

  public Subtract name(String name) {
    return new Subtract(Checks.name("Subtract", name));
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String type() {
    return "Subtract";
  }

  @Override
  public String defaultName() {
    return "subtract";
  }

  @Override
  public Shape outputShape(Shape inputShape) {
    throw new IllegalArgumentException(Merge.oneInput("Subtract", "a, b"));
  }

  @Override
  public Shape outputShape(List<Shape> inputShapes) {
    String subject = Checks.subject("Subtract", name);
    if (inputShapes.size() != 2) {
      throw Checks.invalid(subject, "number of inputs", "2 (apply(a, b) gives a - b)",
          inputShapes.size(), null);
    }
    return Merge.sameShapes(subject, inputShapes);
  }

  @Override
  public boolean supportsLowPrecision() {
    return true;
  }

  @Override
  public Operand<TFloat32> call(LayerContext ctx, Operand<TFloat32> input) {
    throw new IllegalArgumentException(Merge.oneInput("Subtract", "a, b"));
  }

  @Override
  public Operand<TFloat32> call(LayerContext ctx, List<Operand<TFloat32>> inputs) {
    return ctx.tf().math.sub(inputs.get(0), inputs.get(1));
  }

  @Override
  public String toString() {
    return name == null ? "Subtract()" : "Subtract(name=" + name + ")";
  }
}
