package io.kava;

import com.fasterxml.jackson.databind.JsonNode;
import io.kava.internal.Checks;
import io.kava.layers.Input;
import io.kava.layers.Layer;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.ndarray.Shape;

/**
 * A Keras model config ({@code model.to_json()}, an {@code .h5} file's {@code model_config},
 * a {@code .keras} file's {@code config.json}) as an unbuilt Kava model: a {@link Sequential}
 * for Keras's Sequential, else a functional {@link Model} wired as the config's inbound nodes
 * say. Reads the dialects of Keras 1 (a Sequential's config is the layer list), Keras 2
 * (nested-list {@code inbound_nodes}, {@code batch_input_shape}) and Keras 3
 * ({@code keras_history} tensors, {@code batch_shape}, dtype policy objects).
 *
 * <p>Models nested as layers (a {@code keras.applications} base inside a Sequential, a
 * functional model called in another) are flattened into one functional graph by
 * {@link KerasGraph}; the model remembers a {@link KerasLayout} so Keras's weight files, which
 * keep the nesting, still find their layers. Such a model is a functional {@link Model} even
 * when the outer Keras model is a Sequential, as its nested layers need not form a chain.
 *
 * <p>Every layer is translated before anything is built, so a model with unsupported content
 * fails with one error listing all of it and never yields a partial model.
 */
final class KerasModel {
  private final String where;
  private final List<String> problems = new ArrayList<>();
  private final Map<Layer, String> names = new IdentityHashMap<>();
  private final java.util.Set<String> taken = new java.util.HashSet<>();
  private final List<Layer> order = new ArrayList<>();
  private final List<String> frozen = new ArrayList<>();
  private int layerCount;

  private KerasModel(String where) {
    this.where = where;
  }

  /** The model of {@code root} ({@code {"class_name": ..., "config": ...}}). */
  static Model build(JsonNode root, String where) {
    return new KerasModel(where).model(root);
  }

  /** Whether Keras class {@code cls} is a model, which may sit among another's layers. */
  static boolean isModel(String cls) {
    return cls.equals("Sequential") || cls.equals("Functional") || cls.equals("Model");
  }

  String where() {
    return where;
  }

  private Model model(JsonNode root) {
    String cls = root.path("class_name").asText();
    JsonNode config = root.path("config");
    if (!isModel(cls)) {
      throw new IllegalArgumentException(where + ": the model's class_name must be"
          + " Sequential, Functional or Model; got '" + cls + "'. Subclassed Keras models keep"
          + " their architecture in Python code, so only their weights can be loaded.");
    }
    KerasGraph graph = new KerasGraph(this, cls.equals("Sequential"), config, "", true);
    boolean nested = graph.layers().stream().anyMatch(e -> graph.nested(e) != null);
    Model m = cls.equals("Sequential") && !nested ? sequential(graph, config)
        : functional(graph, config);
    if (nested) {
      m.kerasLayout(graph.layout());
    }
    String name = config.path("name").asText("");
    if (!name.isEmpty()) {
      try {
        m.name(name);
      } catch (IllegalArgumentException e) {
        // A name Kava does not accept ("my model") leaves Kava's default name.
      }
    }
    // Layers saved with "trainable": false (or inside a model saved so) stay frozen.
    Topology t = m.topology();
    List<String> stay = t == null ? List.of()
        : frozen.stream().filter(t.layerNames()::contains).toList();
    if (!stay.isEmpty()) {
      m.freeze(stay.toArray(String[]::new));
    }
    return m;
  }

  /** A config layer: its position, Keras class, name, config, inbound nodes and owner. */
  record Entry(int index, String cls, String name, JsonNode config, JsonNode inbound,
      String owner) {
    String describe() {
      return owner + "layers[" + index + "] '" + name + "' (" + cls + ")";
    }
  }

  List<Entry> entries(JsonNode layers, String owner) {
    if (!layers.isArray() || layers.isEmpty()) {
      throw new IllegalArgumentException(where + ": " + (owner.isEmpty() ? "the model config"
          : owner.replaceAll(" > $", "")) + " must list its layers; got "
          + (layers.isMissingNode() ? "none" : layers.toString()) + ".");
    }
    List<Entry> out = new ArrayList<>();
    for (JsonNode l : layers) {
      JsonNode c = l.path("config");
      String name = c.path("name").asText(l.path("name").asText("layer_" + out.size()));
      out.add(new Entry(out.size(), l.path("class_name").asText("?"), name, c,
          l.path("inbound_nodes"), owner));
    }
    layerCount += out.size();
    return out;
  }

  /** The Kava layer of {@code e}, or null after recording why it cannot be one. */
  KerasLayers.Made translate(Entry e, JsonNode layerJson) {
    String module = layerJson.path("module").asText("keras");
    String registered = layerJson.path("registered_name").asText(null);
    try {
      if (!module.contains("keras") || (registered != null && !registered.equals(e.cls()))) {
        throw new KerasLayers.Unsupported("a custom class ("
            + (registered != null ? registered : module + "." + e.cls()) + ")");
      }
      KerasLayers.Made m = KerasLayers.layer(e.cls(), e.config());
      Checks.name(e.cls(), e.name());
      return m;
    } catch (KerasLayers.Unsupported | IllegalArgumentException x) {
      problems.add(e.describe() + ": " + x.getMessage());
      return null;
    }
  }

  /**
   * Names {@code layer} in the Kava model: its Keras name, or, when a nested model's layer
   * shares it with another (Keras only asks names to be unique within one model), the name
   * with the first free {@code _<n>} suffix.
   */
  void named(Layer layer, String kerasName, boolean trainable) {
    String n = kerasName;
    for (int k = 1; !taken.add(n); k++) {
      n = kerasName + "_" + k;
    }
    names.put(layer, n);
    order.add(layer);
    if (!trainable) {
      frozen.add(n);
    }
  }

  String kavaName(Layer layer) {
    return names.get(layer);
  }

  private Input input(Entry e, JsonNode shapeHolder, String name) {
    JsonNode shape = shapeHolder.has("batch_shape") ? shapeHolder.get("batch_shape")
        : shapeHolder.path("batch_input_shape");
    if (!shape.isArray() || shape.size() < 2) {
      problems.add(e.describe() + ": the input shape must be given as batch_shape or"
          + " batch_input_shape; got " + (shape.isMissingNode() ? "neither" : shape) + ".");
      return null;
    }
    long[] dims = new long[shape.size() - 1];
    for (int i = 0; i < dims.length; i++) {
      dims[i] = shape.get(i + 1).isNumber() ? shape.get(i + 1).asLong() : -1;
    }
    if (java.util.Arrays.stream(dims).anyMatch(d -> d <= 0)) {
      problems.add(e.describe() + ": input shape " + shape.toString().replace("null", "None")
          + " has unknown sizes; Kava needs every size but the batch's");
      return null;
    }
    try {
      taken.add(name);
      return Input.of(dims).name(name);
    } catch (IllegalArgumentException x) {
      problems.add(e.describe() + ": " + x.getMessage());
      return null;
    }
  }

  /** Throws the one error listing every problem found, if any. */
  private void failOnProblems() {
    if (problems.isEmpty()) {
      return;
    }
    throw new IllegalArgumentException(where + ": the model cannot be imported; "
        + problems.size() + " of its " + layerCount + " layers " + (problems.size() == 1
        ? "is" : "are") + " not supported:\n  " + String.join("\n  ", problems)
        + "\nKava imports these Keras layers: " + KerasLayers.supported() + ".");
  }

  void checkChannels(KerasLayers.Made m, List<Shape> in) {
    if (m.channelsRank() >= 0 && in.get(0).numDimensions() != m.channelsRank()) {
      throw new IllegalArgumentException("its axis " + m.channelsRank() + " must be the last"
          + " axis of its input " + Checks.batchShape(in.get(0)) + "; Kava normalizes over the"
          + " last (channels) axis only.");
    }
  }

  // ------------------------------------------------------------------ Sequential

  /**
   * A Sequential's input: its InputLayer, else the first layer's batch shape (Keras 1/2 keep
   * it there), else its build_input_shape, else a nested first model's input; null if none.
   */
  private Input sequentialInput(KerasGraph graph, JsonNode config) {
    List<Entry> inputs = graph.inputLayers();
    for (Entry e : inputs) {
      if (e.index() != 0) {
        problems.add(e.describe() + ": an InputLayer must come first in a Sequential");
      }
    }
    if (!inputs.isEmpty() && inputs.get(0).index() == 0) {
      return input(inputs.get(0), inputs.get(0).config(), inputs.get(0).name());
    }
    Entry first = graph.layers().get(0);
    if (first.config().has("batch_input_shape") || first.config().has("batch_shape")) {
      return input(first, first.config(), first.name() + "_input");
    }
    if (config.path("build_input_shape").isArray()) {
      com.fasterxml.jackson.databind.node.ObjectNode holder =
          com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
      holder.set("batch_shape", config.get("build_input_shape"));
      return input(first, holder, "input_layer");
    }
    KerasGraph inner = graph.nested(first);
    if (inner != null && inner.inputLayers().size() == 1) {
      Entry in = inner.inputLayers().get(0);
      return input(in, in.config(), in.name());
    }
    return null;
  }

  private Sequential sequential(KerasGraph graph, JsonNode config) {
    Input input = sequentialInput(graph, config);
    failOnProblems();
    Sequential s = input == null ? new Sequential() : new Sequential(input);
    Shape shape = input == null ? null : input.shape();
    for (Entry e : graph.layers()) {
      KerasLayers.Made made = graph.made(e);
      try {
        if (shape != null) {
          checkChannels(made, List.of(shape));
          shape = made.layer().outputShape(shape);
        }
        s.add(made.layer(), e.name());
      } catch (IllegalArgumentException x) {
        throw new IllegalArgumentException(where + ": " + e.describe() + " does not fit its"
            + " input: " + x.getMessage());
      }
    }
    return s;
  }

  // ------------------------------------------------------------------ functional

  private Model functional(KerasGraph graph, JsonNode config) {
    List<Input> ins = new ArrayList<>();
    if (graph.sequential()) {
      Input in = sequentialInput(graph, config);
      if (in == null && problems.isEmpty()) {
        problems.add(graph.layers().get(0).describe() + ": the Sequential model's input shape"
            + " must be known (an InputLayer, batch_input_shape or build_input_shape); it is"
            + " not");
      }
      ins.add(in);
    } else {
      Map<String, Input> byName = new LinkedHashMap<>();
      for (Entry e : graph.inputLayers()) {
        byName.put(e.name(), input(e, e.config(), e.name()));
      }
      failOnProblems();
      for (KerasGraph.Ref r : graph.refs(null, config.path("input_layers"))) {
        if (!byName.containsKey(r.layer())) {
          throw new IllegalArgumentException(where + ": input_layers must name InputLayers;"
              + " got '" + r.layer() + "'.");
        }
        ins.add(byName.get(r.layer()));
      }
    }
    failOnProblems();
    List<Node> outs = graph.call(new ArrayList<>(ins), "the model");
    try {
      return new Model("functional", Topology.functional("Model", ins, outs, names)
          .orderLayers(order));
    } catch (IllegalArgumentException x) {
      throw new IllegalArgumentException(where + ": " + x.getMessage());
    }
  }
}
