package io.kava;

import io.kava.layers.Input;
import io.kava.layers.Layer;
import java.util.List;
import org.tensorflow.ndarray.Shape;

/**
 * A symbolic tensor of a functional model, as Keras's {@code KerasTensor}: what an
 * {@link Input} is and what {@code layer.apply(...)} returns. A node knows the layer that made
 * it, the nodes it was made from and its per-sample shape (inferred when the layer is applied,
 * so a shape that does not fit fails there, naming the layer). Nodes are immutable, so a
 * graph of them can have no cycle; {@link Model#of(Input, Node)} turns one into a model.
 *
 * <pre>{@code
 * jshell> Input img = Input.of(28, 28, 1).name("image")
 * jshell> Node h = Conv2D.of(8, 3).activation(Activation.RELU).apply(img)
 * h ==> Node(Conv2D(filters=8, kernel_size=(3, 3), activation=relu) -> (None, 26, 26, 8))
 * jshell> Model m = Model.of(img, Dense.of(10).apply(Flatten.of().apply(h)))
 * }</pre>
 */
public interface Node {

  /** The layer that produced this node (an {@link Input} is its own layer). */
  Layer layer();

  /** The nodes the layer was applied to; empty for an {@link Input}. */
  List<Node> inputs();

  /** The per-sample shape, without the batch dimension. */
  Shape shape();

  /**
   * The node of {@code layer} applied to {@code inputs}: what {@link Layer#apply} returns.
   * Infers the output shape now; a layer that does not fit its inputs throws
   * {@link IllegalArgumentException} naming the layer and the shapes.
   */
  static Node of(Layer layer, Node... inputs) {
    return AppliedNode.of(layer, inputs);
  }
}
