package io.kava.layers;

import io.kava.internal.Checks;
import io.kava.saving.Config;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * Joins two or more inputs along one axis, Keras's {@code Concatenate}. The axis counts the
 * batch dimension as Keras does: {@code -1} (the default) is the last axis, {@code 1} the first
 * per-sample axis. No weights.
 *
 * <p>Input shapes: two or more of the same rank, equal except along the axis. Output shape:
 * the same, with the axis sizes summed.
 *
 * <pre>{@code
 * jshell> Node both = Concatenate.of().apply(Flatten.of().apply(img), meta)
 * }</pre>
 */
public final class Concatenate implements Layer {
  private final int axis;
  private final String name;

  private Concatenate(int axis, String name) {
    this.axis = axis;
    this.name = name;
  }

  /** Concatenation along the last axis. */
  public static Concatenate of() {
    return new Concatenate(-1, null);
  }

  /** Rebuilds a Concatenate from {@link #config()}. */
  public static Concatenate fromConfig(Config config) {
    return of().axis(config.getInt("axis", -1));
  }

  /** The axis, batch included: negative counts from the end; 0 (the batch) is not allowed. */
  public Concatenate axis(int axis) {
    if (axis == 0) {
      throw Checks.invalid(subject(), "axis", "a per-sample axis (not 0, the batch)", axis,
          "Use -1 for the last axis.");
    }
    return new Concatenate(axis, name);
  }

  public Concatenate name(String name) {
    return new Concatenate(axis, Checks.name("Concatenate", name));
  }

  public int axis() {
    return axis;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String type() {
    return "Concatenate";
  }

  @Override
  public String defaultName() {
    return "concatenate";
  }

  @Override
  public Config config() {
    return Config.builder().put("axis", axis).build();
  }

  @Override
  public Shape outputShape(Shape inputShape) {
    throw new IllegalArgumentException(Merge.oneInput("Concatenate"));
  }

  @Override
  public Shape outputShape(List<Shape> inputShapes) {
    Merge.requireSeveral(subject(), inputShapes);
    int rank = inputShapes.get(0).numDimensions();
    int a = sampleAxis(rank);
    long[] out = inputShapes.get(0).asArray().clone();
    out[a] = 0;
    for (Shape s : inputShapes) {
      boolean fits = s.numDimensions() == rank;
      for (int d = 0; fits && d < rank; d++) {
        fits = d == a || s.get(d) == out[d];
      }
      if (!fits) {
        throw new IllegalArgumentException(subject() + ": inputs must have equal shapes except"
            + " along axis " + axis + "; got " + Merge.shapes(inputShapes) + ".");
      }
      out[a] += s.get(a);
    }
    return Shape.of(out);
  }

  /** The per-sample index of the axis for inputs of {@code rank} per-sample dimensions. */
  private int sampleAxis(int rank) {
    int a = axis < 0 ? rank + axis : axis - 1;
    if (a < 0 || a >= rank) {
      throw Checks.invalid(subject(), "axis", "within the inputs' " + (rank + 1) + " dimensions"
          + " (batch included)", axis, null);
    }
    return a;
  }

  @Override
  public boolean supportsLowPrecision() {
    return true;
  }

  @Override
  public Operand<TFloat32> call(LayerContext ctx, Operand<TFloat32> input) {
    throw new IllegalArgumentException(Merge.oneInput("Concatenate"));
  }

  @Override
  public Operand<TFloat32> call(LayerContext ctx, List<Operand<TFloat32>> inputs) {
    int rank = inputs.get(0).shape().numDimensions() - 1;
    return ctx.tf().concat(inputs, ctx.tf().constant(sampleAxis(rank) + 1));
  }

  private String subject() {
    return Checks.subject("Concatenate", name);
  }

  @Override
  public String toString() {
    return "Concatenate(" + (axis == -1 ? "" : "axis=" + axis + (name == null ? "" : ", "))
        + (name == null ? "" : "name=" + name) + ")";
  }
}
