package io.kava;

import io.kava.internal.Checks;
import io.kava.layers.Input;
import io.kava.layers.Layer;
import io.kava.layers.WeightSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TFloating;

/**
 * A model's layers and how they connect, resolved to indices and names: what the graph
 * builder, the summary and the model files work from. Nodes are numbered inputs first, then
 * one per step (a layer applied to earlier nodes) in an order where every step comes after
 * the nodes it reads. A layer applied in several steps is one layer with shared weights.
 */
final class Topology {

  /** Layer {@code layer} applied to nodes {@code inputs}; {@code use} counts its uses. */
  record Step(int layer, int[] inputs, int use) {}

  private final List<Input> inputs;
  private final List<String> inputNames;
  private final List<Layer> layers;
  private final List<String> layerNames;
  private final List<List<Shape>> layerInputShapes;
  private final List<Step> steps;
  private final List<Shape> nodeShapes;
  private final List<Node> nodes;
  private final List<Integer> outputs;
  private final List<String> outputNames;
  private final Set<Integer> frozen;
  private final DTypePolicy policy;
  private final Map<Integer, DTypePolicy> layerPolicies;

  private Topology(List<Input> inputs, List<String> inputNames) {
    this.inputs = List.copyOf(inputs);
    this.inputNames = List.copyOf(inputNames);
    layers = new ArrayList<>();
    layerNames = new ArrayList<>();
    layerInputShapes = new ArrayList<>();
    steps = new ArrayList<>();
    nodeShapes = new ArrayList<>();
    nodes = new ArrayList<>(inputs);
    outputs = new ArrayList<>();
    outputNames = new ArrayList<>();
    frozen = Set.of();
    policy = DTypePolicy.FLOAT32;
    layerPolicies = Map.of();
    inputs.forEach(in -> nodeShapes.add(in.shape()));
  }

  /**
   * {@code t} with other frozen layers and dtype policies (the lists are complete, so they are
   * shared).
   */
  private Topology(Topology t, Set<Integer> frozen, DTypePolicy policy,
      Map<Integer, DTypePolicy> layerPolicies) {
    inputs = t.inputs;
    inputNames = t.inputNames;
    layers = t.layers;
    layerNames = t.layerNames;
    layerInputShapes = t.layerInputShapes;
    steps = t.steps;
    nodeShapes = t.nodeShapes;
    nodes = t.nodes;
    outputs = t.outputs;
    outputNames = t.outputNames;
    this.frozen = Set.copyOf(frozen);
    this.policy = policy;
    this.layerPolicies = Map.copyOf(layerPolicies);
  }

  /**
   * This topology with exactly the layers named {@code names} frozen: their weights are not
   * trained (they count as non-trainable) and {@link #frozen(int)} is true for them.
   */
  Topology withFrozen(String model, Set<String> names) {
    Set<Integer> indices = new HashSet<>();
    for (String n : names) {
      indices.add(layerIndex(model, "layers to freeze", n));
    }
    return new Topology(this, indices, policy, layerPolicies);
  }

  /**
   * This topology with {@code policy} for the model and {@code perLayer} overriding it for the
   * layers so named.
   */
  Topology withPolicies(String model, DTypePolicy policy, Map<String, DTypePolicy> perLayer) {
    Map<Integer, DTypePolicy> indices = new HashMap<>();
    perLayer.forEach((n, p) -> indices.put(layerIndex(model, "layers given a dtype policy", n),
        p));
    return new Topology(this, frozen, policy, indices);
  }

  private int layerIndex(String model, String what, String name) {
    int i = layerNames.indexOf(name);
    if (i < 0) {
      throw new IllegalArgumentException(model + ": " + what + " must be layers of the model "
          + layerNames + "; got '" + name + "'.");
    }
    return i;
  }

  /** The model's dtype policy (layers without their own follow it). */
  DTypePolicy policy() {
    return policy;
  }

  /** The dtype policy of layer {@code layer}: its own, else the model's. */
  DTypePolicy policy(int layer) {
    return layerPolicies.getOrDefault(layer, policy);
  }

  /** Whether any layer computes in a 16-bit type. */
  boolean mixed() {
    for (int l = 0; l < layers.size(); l++) {
      if (policy(l).isMixed()) {
        return true;
      }
    }
    return false;
  }

  /** Whether training scales the loss: some layer computes in float16. */
  boolean scalesLoss() {
    for (int l = 0; l < layers.size(); l++) {
      if (policy(l).scalesLoss()) {
        return true;
      }
    }
    return false;
  }

  /**
   * The type layer {@code layer} computes in: its policy's compute type, or float32 for a
   * layer that only supports float32.
   */
  Class<? extends TFloating> computeType(int layer) {
    return layers.get(layer).supportsLowPrecision() ? policy(layer).computeType()
        : TFloat32.class;
  }

  /** Whether layer {@code layer} is frozen (Keras's {@code trainable = False}). */
  boolean frozen(int layer) {
    return frozen.contains(layer);
  }

  /** The names of the frozen layers, in layer order. */
  List<String> frozenNames() {
    return frozen.stream().sorted().map(layerNames::get).toList();
  }

  /** {@code layer} and every layer it depends on, in layer order. */
  List<String> upstream(String model, String layer) {
    int start = layerNames.indexOf(layer);
    if (start < 0) {
      throw new IllegalArgumentException(model + ": layer must be a layer of the model "
          + layerNames + "; got '" + layer + "'.");
    }
    Set<Integer> seen = new HashSet<>();
    Set<Integer> visited = new HashSet<>();
    java.util.ArrayDeque<Integer> todo = new java.util.ArrayDeque<>();
    for (int s = 0; s < steps.size(); s++) {
      if (steps.get(s).layer() == start) {
        todo.add(s);
      }
    }
    while (!todo.isEmpty()) {
      int s = todo.pop();
      if (visited.add(s)) {
        seen.add(steps.get(s).layer());
        for (int node : steps.get(s).inputs()) {
          if (node >= inputs.size()) {
            todo.add(node - inputs.size());
          }
        }
      }
    }
    return seen.stream().sorted().map(layerNames::get).toList();
  }

  /** A chain: {@code layers.get(i)} applied to the output of layer {@code i - 1}. */
  static Topology chain(Input input, String inputName, List<Layer> layers, List<String> names) {
    Topology t = new Topology(List.of(input), List.of(inputName));
    for (int i = 0; i < layers.size(); i++) {
      Shape in = t.nodeShapes.get(i);
      t.addLayer(layers.get(i), names.get(i), List.of(in));
      t.steps.add(new Step(i, new int[] {i}, 0));
      t.nodeShapes.add(layers.get(i).outputShape(in));
      t.nodes.add(AppliedNode.of(layers.get(i), t.nodes.get(i)));
    }
    t.outputs.add(layers.size());
    t.outputNames.add("output_0");
    return t;
  }

  /** The graph from {@code inputs} to {@code outputs}, checked and named. */
  static Topology functional(String model, List<Input> inputs, List<Node> outputs) {
    return functional(model, inputs, outputs, Map.of());
  }

  /** As {@link #functional(String, List, List)}, with names for some layers (a loaded model's). */
  static Topology functional(String model, List<Input> inputs, List<Node> outputs,
      Map<Layer, String> given) {
    if (inputs == null || inputs.isEmpty() || outputs == null || outputs.isEmpty()) {
      throw new IllegalArgumentException(model + ": inputs and outputs must each hold at least"
          + " one node; got " + inputs + " and " + outputs + ".");
    }
    Names names = new Names(() -> model, given);
    List<String> inputNames = new ArrayList<>();
    Map<Node, Integer> index = new IdentityHashMap<>();
    for (Input in : inputs) {
      Checks.notNull(model, "input", in);
      if (index.put(in, index.size()) != null) {
        throw new IllegalArgumentException(model + ": inputs must be distinct; got " + in
            + " twice.");
      }
      inputNames.add(names.take(in));
    }
    Topology t = new Topology(inputs, inputNames);
    Builder b = t.new Builder(model, index, names);
    for (Node out : outputs) {
      Checks.notNull(model, "output", out);
      b.visit(out);
      int node = index.get(out);
      if (t.outputs.contains(node)) {
        throw new IllegalArgumentException(model + ": outputs must be distinct; got " + out
            + " twice.");
      }
      t.outputs.add(node);
      String name = node < inputs.size() ? inputNames.get(node)
          : t.layerNames.get(t.steps.get(node - inputs.size()).layer());
      if (t.outputNames.contains(name)) {
        throw new IllegalArgumentException(model + ": output names must be unique; two outputs"
            + " come from layer '" + name + "'. Give each output its own last layer.");
      }
      t.outputNames.add(name);
    }
    for (int i = 0; i < inputs.size(); i++) {
      if (!b.used.contains(i) && !t.outputs.contains(i)) {
        throw new IllegalArgumentException(model + ": input '" + inputNames.get(i) + "' "
            + Checks.batchShape(inputs.get(i).shape()) + " must lead to an output; no output"
            + " depends on it.");
      }
    }
    return t;
  }

  /** Walks the nodes from the outputs back, numbering them after the nodes they read. */
  private final class Builder {
    private final String model;
    private final Map<Node, Integer> index;
    private final Names names;
    private final Map<Layer, Integer> layerIndex = new IdentityHashMap<>();
    private final Set<Node> visiting = java.util.Collections.newSetFromMap(
        new IdentityHashMap<>());
    private final Set<Integer> used = new HashSet<>();

    Builder(String model, Map<Node, Integer> index, Names names) {
      this.model = model;
      this.index = index;
      this.names = names;
    }

    void visit(Node n) {
      if (index.containsKey(n)) {
        return;
      }
      if (n instanceof ModelNode m) {
        // Another model's node: the same node of the same graph, however often it was asked for.
        visit(m.node());
        index.put(n, index.get(m.node()));
        return;
      }
      if (n instanceof Input in) {
        throw new IllegalArgumentException(model + ": every output must be computed from the"
            + " model's inputs " + inputNames + "; got one that depends on " + in + ", which is"
            + " not among them (a node of another model, or a missing input).");
      }
      if (n.inputs() == null || n.inputs().isEmpty()) {
        throw new IllegalArgumentException(model + ": node " + n + " must be an Input or a"
            + " layer applied to nodes; it has no inputs.");
      }
      if (!visiting.add(n)) {
        throw new IllegalArgumentException(model + ": the graph must have no cycle; node " + n
            + " depends on itself.");
      }
      List<Shape> shapes = new ArrayList<>();
      int[] in = new int[n.inputs().size()];
      for (int i = 0; i < in.length; i++) {
        Node parent = n.inputs().get(i);
        visit(parent);
        in[i] = index.get(parent);
        used.add(in[i]);
        shapes.add(nodeShapes.get(in[i]));
      }
      visiting.remove(n);
      Layer layer = n.layer();
      Integer li = layerIndex.get(layer);
      int use = 0;
      if (li == null) {
        li = layers.size();
        layerIndex.put(layer, li);
        addLayer(layer, names.take(layer), shapes);
      } else {
        checkShared(li, shapes);
        for (Step s : steps) {
          use += s.layer() == li ? 1 : 0;
        }
      }
      steps.add(new Step(li, in, use));
      nodeShapes.add(layer.outputShape(shapes));
      nodes.add(n);
      index.put(n, nodeShapes.size() - 1);
    }

    private void checkShared(int li, List<Shape> shapes) {
      List<Shape> first = layerInputShapes.get(li);
      List<Shape> a = specShapes(layers.get(li).weights(first));
      List<Shape> b = specShapes(layers.get(li).weights(shapes));
      if (!a.equals(b)) {
        throw new IllegalArgumentException(model + ": shared layer '" + layerNames.get(li)
            + "' must be applied to inputs that fit its weights; it was applied to "
            + first.stream().map(Checks::shape).toList() + " and then "
            + shapes.stream().map(Checks::shape).toList() + ".");
      }
    }
  }

  /**
   * This topology with its layers listed in {@code order} (layers it does not name keep their
   * relative order, after those it names): an imported Keras model keeps Keras's layer order,
   * which its weights files and {@code get_weights()} follow. Steps keep their order.
   */
  Topology orderLayers(List<Layer> order) {
    Integer[] perm = new Integer[layers.size()];
    for (int i = 0; i < perm.length; i++) {
      perm[i] = i;
    }
    Map<Layer, Integer> rank = new IdentityHashMap<>();
    order.forEach(l -> rank.putIfAbsent(l, rank.size()));
    java.util.Arrays.sort(perm, java.util.Comparator.comparingInt(
        (Integer i) -> rank.getOrDefault(layers.get(i), Integer.MAX_VALUE)));
    int[] newIndex = new int[perm.length];
    List<Layer> l = new ArrayList<>();
    List<String> n = new ArrayList<>();
    List<List<Shape>> s = new ArrayList<>();
    for (int i = 0; i < perm.length; i++) {
      newIndex[perm[i]] = i;
      l.add(layers.get(perm[i]));
      n.add(layerNames.get(perm[i]));
      s.add(layerInputShapes.get(perm[i]));
    }
    layers.clear();
    layers.addAll(l);
    layerNames.clear();
    layerNames.addAll(n);
    layerInputShapes.clear();
    layerInputShapes.addAll(s);
    steps.replaceAll(st -> new Step(newIndex[st.layer()], st.inputs(), st.use()));
    return this;
  }

  private static List<Shape> specShapes(List<WeightSpec> specs) {
    return specs.stream().map(WeightSpec::shape).toList();
  }

  private void addLayer(Layer layer, String name, List<Shape> inputShapes) {
    layers.add(layer);
    layerNames.add(name);
    layerInputShapes.add(List.copyOf(inputShapes));
  }

  /** Keras's automatic names: explicit names must be unique, others get {@code _1}, {@code _2}. */
  static final class Names {
    private final java.util.function.Supplier<String> model;
    private final Map<Layer, String> given;
    /** The given names: automatic names avoid them, whichever layer comes first. */
    private final Set<String> reserved;
    private final Set<String> taken = new HashSet<>();

    Names(java.util.function.Supplier<String> model) {
      this(model, Map.of());
    }

    Names(java.util.function.Supplier<String> model, Map<Layer, String> given) {
      this.model = model;
      this.given = given;
      this.reserved = new HashSet<>(given.values());
    }

    String take(Layer l) {
      return take(l, given.get(l));
    }

    /** Takes {@code explicit}, or the layer's own name, or the next free automatic name. */
    String take(Layer l, String explicit) {
      String n = explicit != null ? explicit : l.name();
      if (n != null) {
        if (!taken.add(n)) {
          throw new IllegalArgumentException(model.get() + ": layer names must be unique; got '"
              + n + "' twice.");
        }
        return n;
      }
      n = l.defaultName();
      for (int i = 1; taken.contains(n) || reserved.contains(n); i++) {
        n = l.defaultName() + "_" + i;
      }
      taken.add(n);
      return n;
    }
  }

  // ---------------------------------------------------------------- reading

  List<Input> inputs() {
    return inputs;
  }

  List<String> inputNames() {
    return inputNames;
  }

  List<Layer> layers() {
    return layers;
  }

  List<String> layerNames() {
    return layerNames;
  }

  /** The input shapes of a layer's (first) application. */
  List<Shape> layerInputShapes(int layer) {
    return layerInputShapes.get(layer);
  }

  /** The weights of a layer; a frozen layer's are all non-trainable. */
  List<WeightSpec> weights(int layer) {
    List<WeightSpec> specs = layers.get(layer).weights(layerInputShapes.get(layer));
    return !frozen(layer) ? specs : specs.stream().map(w -> new WeightSpec(w.name(), w.shape(),
        w.initializer(), false, w.regularizer())).toList();
  }

  List<Step> steps() {
    return steps;
  }

  int nodeCount() {
    return nodeShapes.size();
  }

  Shape nodeShape(int node) {
    return nodeShapes.get(node);
  }

  /** The symbolic node numbered {@code node}: an {@link Input}, or a layer's application. */
  Node node(int node) {
    return nodes.get(node);
  }

  /** The name of the layer (or input) that produces {@code node}. */
  String producer(int node) {
    return node < inputs.size() ? inputNames.get(node)
        : layerNames.get(steps.get(node - inputs.size()).layer());
  }

  /** Keras's {@code name[use][0]} reference to {@code node}. */
  String reference(int node) {
    int use = node < inputs.size() ? 0 : steps.get(node - inputs.size()).use();
    return producer(node) + "[" + use + "][0]";
  }

  List<Integer> outputs() {
    return outputs;
  }

  List<String> outputNames() {
    return outputNames;
  }

  Shape outputShape(int i) {
    return nodeShapes.get(outputs.get(i));
  }

  long countParams() {
    long n = 0;
    for (int i = 0; i < layers.size(); i++) {
      for (WeightSpec w : weights(i)) {
        n += w.size();
      }
    }
    return n;
  }
}
