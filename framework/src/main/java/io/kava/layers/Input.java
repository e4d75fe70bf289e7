package io.kava.layers;

import io.kava.Node;
import io.kava.internal.Checks;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * Declares the per-sample input shape of a model, like Keras's {@code keras.Input(shape)}.
 * In a {@link io.kava.Sequential} it comes first; without it, the model takes its input shape
 * from the first data it sees. In a functional model an Input is the symbolic tensor the
 * layers are applied to, and its name keys the model's input in {@code fit}/{@code predict}
 * maps and in exported signatures.
 *
 * <pre>{@code
 * jshell> new Sequential(Input.of(28, 28, 1), Flatten.of(), Dense.of(10))
 * jshell> Input img = Input.of(32, 32, 3).name("image")
 * jshell> Node h = Conv2D.of(16, 3).apply(img)
 * }</pre>
 */
public final class Input implements Layer, Node {
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
  @Override
  public Shape shape() {
    return shape;
  }

  /** An Input is its own layer. */
  @Override
  public Layer layer() {
    return this;
  }

  @Override
  public List<Node> inputs() {
    return List.of();
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
