package io.kava.layers;

import io.kava.internal.Checks;
import io.kava.saving.Config;
import java.util.Arrays;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * Gives each sample a new shape with the same elements in the same (row-major) order, Keras's
 * {@code Reshape}. One dimension may be {@code -1}: it is inferred from the others.
 *
 * <p>Input shape: any; output shape: the target shape (batch kept). The target must hold
 * exactly the input's elements. No weights.
 *
 * <pre>{@code
 * jshell> Reshape.of(1, 1, -1).outputShape(Shape.of(256))   // [1, 1, 256]
 * jshell> Reshape.of(7, 7, 64)
 * $2 ==> Reshape(target_shape=(7, 7, 64))
 * }</pre>
 */
public final class Reshape implements Layer {
  private final long[] targetShape;
  private final String name;

  private Reshape(long[] targetShape, String name) {
    this.targetShape = targetShape;
    this.name = name;
  }

  /** Each sample becomes {@code targetShape}; at most one dimension is {@code -1}. */
  public static Reshape of(long... targetShape) {
    if (targetShape == null || targetShape.length == 0) {
      throw Checks.invalid("Reshape", "target shape", "at least one dimension", "()", null);
    }
    int inferred = 0;
    boolean positive = true;
    for (long d : targetShape) {
      positive &= d > 0 || d == -1;
      inferred += d == -1 ? 1 : 0;
    }
    if (!positive || inferred > 1) {
      throw Checks.invalid("Reshape", "target shape", "dimensions > 0 with at most one -1"
          + " (inferred)", Arrays.toString(targetShape), null);
    }
    return new Reshape(targetShape.clone(), null);
  }

  public Reshape name(String name) {
    return new Reshape(targetShape, Checks.name("Reshape", name));
  }

  /** The target shape as given, {@code -1} included. */
  public long[] targetShape() {
    return targetShape.clone();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String type() {
    return "Reshape";
  }

  @Override
  public String defaultName() {
    return "reshape";
  }

  @Override
  public Shape outputShape(Shape inputShape) {
    long size = inputShape.size();
    long known = 1;
    int inferred = -1;
    for (int i = 0; i < targetShape.length; i++) {
      if (targetShape[i] == -1) {
        inferred = i;
      } else {
        known *= targetShape[i];
      }
    }
    long[] out = targetShape.clone();
    if (inferred >= 0 && size % known == 0) {
      out[inferred] = size / known;
    }
    if (Shape.of(out).size() != size) {
      throw new IllegalArgumentException(Checks.subject("Reshape", name) + ": target shape "
          + describe(targetShape) + " must hold the " + size + " elements of input shape "
          + Checks.shape(inputShape) + "; got " + (inferred >= 0 ? "no whole size for -1."
          : Shape.of(out).size() + " elements."));
    }
    return Shape.of(out);
  }

  @Override
  public boolean supportsLowPrecision() {
    return true;
  }

  @Override
  public Operand<TFloat32> call(LayerContext ctx, Operand<TFloat32> input) {
    long[] sample = Arrays.copyOfRange(input.shape().asArray(), 1, input.shape().numDimensions());
    long[] dims = outputShape(Shape.of(sample)).prepend(-1).asArray();
    return ctx.tf().reshape(input, ctx.tf().constant(dims));
  }

  /** Keras's config: target_shape. */
  @Override
  public Config config() {
    return Config.builder().put("target_shape", targetShape).build();
  }

  /** Rebuilds a Reshape from {@link #config()}. */
  public static Reshape fromConfig(Config c) {
    long[] t = c.getLongs("target_shape", null);
    if (t == null) {
      throw Checks.invalid("Reshape", "config target_shape", "a list of whole numbers", null,
          null);
    }
    return of(t);
  }

  private static String describe(long[] dims) {
    return Checks.shape(Shape.of(dims));
  }

  @Override
  public String toString() {
    return "Reshape(target_shape=" + describe(targetShape) + (name == null ? ""
        : ", name=" + name) + ")";
  }
}
