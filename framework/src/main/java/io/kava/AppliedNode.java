package io.kava;

import io.kava.internal.Checks;
import io.kava.layers.Input;
import io.kava.layers.Layer;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.ndarray.Shape;

/**
 * A layer applied to nodes: the one {@link Node} implementation besides {@link Input}.
 * Identity matters (the same layer applied twice gives two nodes), so this is no record.
 */
final class AppliedNode implements Node {
  private final Layer layer;
  private final List<Node> inputs;
  private final Shape shape;

  private AppliedNode(Layer layer, List<Node> inputs, Shape shape) {
    this.layer = layer;
    this.inputs = inputs;
    this.shape = shape;
  }

  @Override
  public Layer layer() {
    return layer;
  }

  @Override
  public List<Node> inputs() {
    return inputs;
  }

  @Override
  public Shape shape() {
    return shape;
  }

  static Node of(Layer layer, Node... inputs) {
    if (layer == null) {
      throw Checks.invalid("Node", "layer", "non-null", null, null);
    }
    if (layer instanceof Input in) {
      throw new IllegalArgumentException(in + ": an Input is already a node; use it directly"
          + " instead of applying it.");
    }
    String subject = Checks.subject(layer.type(), layer.name());
    if (inputs == null || inputs.length == 0) {
      throw Checks.invalid(subject, "apply's inputs", "at least one node", "none", null);
    }
    List<Shape> shapes = new ArrayList<>(inputs.length);
    for (Node n : inputs) {
      Checks.notNull(subject, "apply's input node", n);
      shapes.add(n.shape());
    }
    Shape out = layer.outputShape(shapes);
    return new AppliedNode(layer, List.of(inputs), out);
  }

  @Override
  public String toString() {
    return "Node(" + layer + " -> " + Checks.batchShape(shape) + ")";
  }
}
