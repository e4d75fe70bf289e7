package io.kava.layers;

import io.kava.internal.Checks;
import java.util.Arrays;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * Declares the per-sample input shape of a model, like Keras's {@code keras.Input(shape)}.
 * It must come first in a {@link io.kava.Sequential}; every later shape is inferred from it.
 * Without it, the model takes its input shape from the first data it sees.
 *
 * <pre>{@code
 * jshell> new Sequential(Input.of(28, 28, 1), Flatten.of(), Dense.of(10))
 * }</pre>
 */
public final class Input implements Layer {
  private final Shape shape;
  private final String name;

  private Input(Shape shape, String name) {
    this.shape = shape;
    this.name = name;
  }

  /** The per-sample shape, e.g. {@code Input.of(28, 28, 1)} for MNIST images (NHWC). */
  public static Input of(long... dims) {
    if (dims == null || dims.length == 0) {
      throw Checks.invalid("Input", "shape", "at least one dimension", "()", null);
    }
    for (long d : dims) {
      if (d <= 0) {
        throw Checks.invalid("Input", "every dimension", "> 0", Arrays.toString(dims), null);
      }
    }
    return new Input(Shape.of(dims.clone()), null);
  }

  public Input name(String name) {
    return new Input(shape, Checks.name("Input", name));
  }

  /** The declared per-sample shape. */
  public Shape shape() {
    return shape;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String type() {
    return "InputLayer";
  }

  @Override
  public String defaultName() {
    return "input_layer";
  }

  @Override
  public Shape outputShape(Shape inputShape) {
    if (!inputShape.equals(shape)) {
      throw new IllegalArgumentException(Checks.subject("Input", name) + ": input shape must be "
          + Checks.shape(shape) + "; got " + Checks.shape(inputShape) + ".");
    }
    return shape;
  }

  @Override
  public Operand<TFloat32> call(LayerContext ctx, Operand<TFloat32> input) {
    return input;
  }

  @Override
  public String toString() {
    return "Input(shape=" + Checks.shape(shape) + (name == null ? "" : ", name=" + name) + ")";
  }
}
