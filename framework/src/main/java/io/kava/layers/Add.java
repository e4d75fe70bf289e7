package io.kava.layers;

import io.kava.internal.Checks;
import io.kava.saving.Config;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * Adds two or more inputs of the same shape element by element, Keras's {@code Add}: the merge
 * of a residual connection. No weights.
 *
 * <p>Input shapes: two or more, all equal. Output shape: the same.
 *
 * <pre>{@code
 * jshell> Node x = Conv2D.of(16, 3).padding(Padding.SAME).apply(img)
 * jshell> Node y = Conv2D.of(16, 3).padding(Padding.SAME).apply(x)
 * jshell> Node res = Add.of().apply(x, y)
 * }</pre>
 */
public final class Add implements Layer {
  private final String name;

  private Add(String name) {
    this.name = name;
  }

  public static Add of() {
    return new Add(null);
  }

  /** Rebuilds an Add from {@link #config()} (it has no settings). */
  public static Add fromConfig(Config config) {
    return of();
  }

  public Add name(String name) {
    return new Add(Checks.name("Add", name));
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String type() {
    return "Add";
  }

  @Override
  public String defaultName() {
    return "add";
  }

  @Override
  public Shape outputShape(Shape inputShape) {
    throw new IllegalArgumentException(Merge.oneInput("Add"));
  }

  @Override
  public Shape outputShape(List<Shape> inputShapes) {
    return Merge.sameShapes(Checks.subject("Add", name), inputShapes);
  }

  @Override
  public boolean supportsLowPrecision() {
    return true;
  }

  @Override
  public Operand<TFloat32> call(LayerContext ctx, Operand<TFloat32> input) {
    throw new IllegalArgumentException(Merge.oneInput("Add"));
  }

  @Override
  public Operand<TFloat32> call(LayerContext ctx, List<Operand<TFloat32>> inputs) {
    return ctx.tf().math.addN(inputs);
  }

  @Override
  public String toString() {
    return name == null ? "Add()" : "Add(name=" + name + ")";
  }
}
