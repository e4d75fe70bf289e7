package io.kava;

import io.kava.layers.Layer;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.ndarray.Shape;

/**
 * A node of a model's graph as {@link Model#output(String)} hands it out: the node itself, and
 * the model it came from, so that a model built on it starts from that model's weights (as in
 * Keras, where weights belong to the layers). Building a model treats it as the node it wraps.
 */
final class ModelNode implements Node {
  private final Node node;
  private final Model source;

  private ModelNode(Node node, Model source) {
    this.node = node;
    this.source = source;
  }

  /**
   * The output of call {@code call} (from 0, in graph order) of layer or input {@code layer} of
   * {@code source}, whose topology is {@code t}.
   */
  static Node output(Model source, Topology t, String layer, int call) {
    String subject = source.subject();
    int inputIndex = t.inputNames().indexOf(layer);
    int layerIndex = t.layerNames().indexOf(layer);
    if (inputIndex < 0 && layerIndex < 0) {
      List<String> names = new ArrayList<>(t.inputNames());
      names.addAll(t.layerNames());
      throw new IllegalArgumentException(subject + ": layer name must be one of " + names
          + "; got '" + layer + "'.");
    }
    List<Integer> calls = new ArrayList<>();
    if (inputIndex >= 0) {
      calls.add(inputIndex);
    } else {
      int first = t.inputs().size();
      for (int s = 0; s < t.steps().size(); s++) {
        if (t.steps().get(s).layer() == layerIndex) {
          calls.add(first + s);
        }
      }
    }
    if (call < 0 || call >= calls.size()) {
      throw new IllegalArgumentException(subject + ": call of layer '" + layer + "' must be in"
          + " [0, " + calls.size() + "); got " + call + ". The layer is called " + calls.size()
          + (calls.size() == 1 ? " time." : " times, on "
          + calls.stream().map(c -> appliedTo(t, c)).toList() + "."));
    }
    return new ModelNode(t.node(calls.get(call)), source);
  }

  /** The nodes that {@code node}'s layer was applied to, as Keras's summary names them. */
  private static String appliedTo(Topology t, int node) {
    int[] in = t.steps().get(node - t.inputs().size()).inputs();
    return java.util.Arrays.stream(in).mapToObj(t::reference).toList().toString();
  }

  /** The node of the source model's graph. */
  Node node() {
    return node;
  }

  /** The model the node came from. */
  Model source() {
    return source;
  }

  @Override
  public Layer layer() {
    return node.layer();
  }

  @Override
  public List<Node> inputs() {
    return node.inputs();
  }

  @Override
  public Shape shape() {
    return node.shape();
  }

  @Override
  public String toString() {
    return node + " of " + source.subject();
  }
}
