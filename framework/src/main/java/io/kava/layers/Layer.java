package io.kava.layers;

import io.kava.Node;
import io.kava.internal.Checks;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * One step of a model. A layer is an immutable description: it says what weights it needs for
 * given input shapes, what shape it outputs, and how it adds its graph ops. The model creates
 * the weights, names the layer and builds the graph; the layer never holds graph state. In a
 * {@link io.kava.Sequential} each position is its own layer; in a functional model a layer
 * object applied twice ({@link #apply}) is one layer whose weights both uses share.
 *
 * <p>Shapes here are per sample, without the batch dimension: {@code (28, 28, 1)}. Most layers
 * take one input and implement the single-input methods; merge layers ({@link Add},
 * {@link Concatenate}) override the list forms.
 *
 * <p>A user's own layer implements this interface (shape function, weights, call) and, to be
 * saved and loaded, {@link #config()} plus a {@code public static fromConfig(Config)} factory
 * (or a registration in {@link io.kava.saving.Registry}); nothing in Kava has to change.
 *
 * <pre>{@code
 * jshell> Layer l = Conv2D.of(32, 3).activation(Activation.RELU)
 * jshell> l.outputShape(Shape.of(28, 28, 1))   // [26, 26, 32]
 * jshell> Node h = l.apply(Input.of(28, 28, 1))
 * }</pre>
 */
public interface Layer {

  /** The name given with {@code .name(...)}, or {@code null}: the model then names it. */
  String name();

  /** Keras's class name, shown by {@code summary()}: {@code Conv2D}. */
  String type();

  /** Base of automatic names ({@code conv2d}, {@code conv2d_1}...): Keras's snake case. */
  String defaultName();

  /**
   * The output shape for an input shape, both per sample. Pure; throws
   * {@link IllegalArgumentException} naming the layer when the input does not fit.
   */
  Shape outputShape(Shape inputShape);

  /** The weights this layer needs for that input shape, in a fixed order. */
  default List<WeightSpec> weights(Shape inputShape) {
    return List.of();
  }

  /**
   * Whether {@link #call} works on bfloat16 and float16 inputs and weights, so that under a
   * mixed {@link io.kava.DTypePolicy} the model hands it its inputs and weight reads in the
   * compute type (Keras's autocast). A layer that returns false computes in float32 under any
   * policy: its inputs are cast back to float32. The default is false, the safe answer for a
   * layer that builds float32 constants; a layer whose ops take their type from the input
   * (matmul, convolution, pooling, reshapes) returns true.
   */
  default boolean supportsLowPrecision() {
    return false;
  }

  /** Adds this layer's ops on {@code input} ({@code [batch, ...inputShape]}). */
  Operand<TFloat32> call(LayerContext ctx, Operand<TFloat32> input);

  /** The output shape for several inputs; single-input layers take exactly one. */
  default Shape outputShape(List<Shape> inputShapes) {
    return outputShape(single(inputShapes));
  }

  /** The weights for several inputs; none unless a merge layer declares some. */
  default List<WeightSpec> weights(List<Shape> inputShapes) {
    return inputShapes.size() == 1 ? weights(inputShapes.get(0)) : List.of();
  }

  /** Adds this layer's ops on several inputs; single-input layers take exactly one. */
  default Operand<TFloat32> call(LayerContext ctx, List<Operand<TFloat32>> inputs) {
    return call(ctx, single(inputs));
  }

  /**
   * This layer's settings as Keras's {@code get_config()}: ordered, JSON-ready values under
   * Keras's names where Keras has them. The layer is rebuilt from it when a model is loaded.
   * The default is empty: right for a layer without settings.
   */
  default io.kava.saving.Config config() {
    return io.kava.saving.Config.EMPTY;
  }

  /**
   * A symbolic node of this layer applied to {@code inputs} (several for merge layers), for
   * functional models. The same layer object applied twice shares its weights.
   */
  default Node apply(Node... inputs) {
    return Node.of(this, inputs);
  }

  private <T> T single(List<T> inputs) {
    if (inputs.size() != 1) {
      throw Checks.invalid(Checks.subject(type(), name()), "number of inputs", "1",
          inputs.size(), "Merge several nodes with Add or Concatenate first.");
    }
    return inputs.get(0);
  }
}
