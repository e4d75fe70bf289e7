package io.kava.layers;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * One step of a {@link io.kava.Sequential} model. A layer is an immutable description: it says
 * what weights it needs for a given input shape, what shape it outputs, and how it adds its
 * graph ops. The model creates the weights, names the layer and builds the graph; the layer
 * never holds graph state, so one layer object can be used in several models.
 *
 * <p>Shapes here are per sample, without the batch dimension: {@code (28, 28, 1)}.
 *
 * <pre>{@code
 * jshell> Layer l = Conv2D.of(32, 3).activation(Activation.RELU)
 * jshell> l.outputShape(Shape.of(28, 28, 1))   // [26, 26, 32]
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

  /** Adds this layer's ops on {@code input} ({@code [batch, ...inputShape]}). */
  Operand<TFloat32> call(LayerContext ctx, Operand<TFloat32> input);
}
