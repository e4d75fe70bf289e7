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
 * <p>Every layer is translated before anything is built, so a model with unsupported content
 * fails with one error listing all of it and never yields a partial model.
 */
final class KerasModel {
  private final String where;
  private final List<String> problems = new ArrayList<>();
  private int layerCount;

  private KerasModel(String where) {
    this.where = where;
  }

  /** The model of {@code root} ({@code {"class_name": ..., "config": ...}}). */
  static Model build(JsonNode root, String where) {
    return new KerasModel(where).model(root);
  }

  private Model model(JsonNode root) {
    String cls = root.path("class_name").asText();
    JsonNode config = root.path("config");
    Model m = switch (cls) {
      case "Sequential" -> sequential(config);
      case "Functional", "Model" -> functional(config);
      default -> throw new IllegalArgumentException(where + ": the model's class_name must be"
          + " Sequential, Functional or Model; got '" + cls + "'. Subclassed Keras models keep"
          + " their architecture in Python code, so only their weights can be loaded.");
    };
    String name = config.path("name").asText("");
    if (!name.isEmpty()) {
      try {
        m.name(name);
      } catch (IllegalArgumentException e) {
        // A name Kava does not accept ("my model") leaves Kava's default name.
      }
    }
    freezeUntrainable(m, config.isArray() ? config : config.path("layers"));
    return m;
  }

  /** Layers saved with {@code "trainable": false} stay frozen, as they were in Keras. */
  private static void freezeUntrainable(Model m, JsonNode layers) {
    Topology t = m.topology();
    if (t == null) {
      return;
    }
    List<String> frozen = new ArrayList<>();
    for (JsonNode l : layers) {
      String name = l.path("config").path("name").asText(l.path("name").asText(""));
      if (!l.path("config").path("trainable").asBoolean(true)
          && t.layerNames().contains(name)) {
        frozen.add(name);
      }
    }
    if (!frozen.isEmpty()) {
      m.freeze(frozen.toArray(String[]::new));
    }
  }

  /** A config layer: its position, Keras class, name, config and inbound nodes. */
  private record Entry(int index, String cls, String name, JsonNode config, JsonNode inbound) {
    String describe() {
      return "layers[" + index + "] '" + name + "' (" + cls + ")";
    }
  }

  private List<Entry> entries(JsonNode layers) {
    if (!layers.isArray() || layers.isEmpty()) {
      throw new IllegalArgumentException(where + ": the model config must list its layers;"
          + " got " + (layers.isMissingNode() ? "none" : layers.toString()) + ".");
    }
    List<Entry> out = new ArrayList<>();
    for (JsonNode l : layers) {
      JsonNode c = l.path("config");
      String name = c.path("name").asText(l.path("name").asText("layer_" + out.size()));
      out.add(new Entry(out.size(), l.path("class_name").asText("?"), name, c,
          l.path("inbound_nodes")));
    }
    layerCount = out.size();
    return out;
  }

  /** The Kava layer of {@code e}, or null after recording why it cannot be one. */
  private KerasLayers.Made translate(Entry e, JsonNode layerJson) {
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

  // ------------------------------------------------------------------ Sequential

  private Sequential sequential(JsonNode config) {
    JsonNode layersJson = config.isArray() ? config : config.path("layers");
    List<Entry> entries = entries(layersJson);
    Input input = null;
    List<Entry> kept = new ArrayList<>();
    List<KerasLayers.Made> made = new ArrayList<>();
    for (Entry e : entries) {
      if (e.cls().equals("InputLayer")) {
        if (e.index() == 0) {
          input = input(e, e.config(), e.name());
        } else {
          problems.add(e.describe() + ": an InputLayer must come first in a Sequential");
        }
        continue;
      }
      KerasLayers.Made m = translate(e, layersJson.get(e.index()));
      if (input == null && kept.isEmpty() && (e.config().has("batch_input_shape")
          || e.config().has("batch_shape"))) {
        input = input(e, e.config(), e.name() + "_input");
      }
      kept.add(e);
      made.add(m);
    }
    if (input == null && config.path("build_input_shape").isArray()) {
      com.fasterxml.jackson.databind.node.ObjectNode holder =
          com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
      holder.set("batch_shape", config.get("build_input_shape"));
      input = input(entries.get(0), holder, "input_layer");
    }
    failOnProblems();
    Sequential s = input == null ? new Sequential() : new Sequential(input);
    Shape shape = input == null ? null : input.shape();
    for (int i = 0; i < kept.size(); i++) {
      Entry e = kept.get(i);
      try {
        if (shape != null) {
          checkChannels(e, made.get(i), List.of(shape));
          shape = made.get(i).layer().outputShape(shape);
        }
        s.add(made.get(i).layer(), e.name());
      } catch (IllegalArgumentException x) {
        throw new IllegalArgumentException(where + ": " + e.describe() + " does not fit its"
            + " input: " + x.getMessage());
      }
    }
    return s;
  }

  private void checkChannels(Entry e, KerasLayers.Made m, List<Shape> in) {
    if (m.channelsRank() >= 0 && in.get(0).numDimensions() != m.channelsRank()) {
      throw new IllegalArgumentException("its axis " + m.channelsRank() + " must be the last"
          + " axis of its input " + Checks.batchShape(in.get(0)) + "; Kava normalizes over the"
          + " last (channels) axis only.");
    }
  }

  // ------------------------------------------------------------------ functional

  private Model functional(JsonNode config) {
    JsonNode layersJson = config.path("layers");
    List<Entry> entries = entries(layersJson);
    Map<String, Input> inputs = new LinkedHashMap<>();
    Map<String, KerasLayers.Made> made = new LinkedHashMap<>();
    List<Entry> layers = new ArrayList<>();
    for (Entry e : entries) {
      if (e.cls().equals("InputLayer")) {
        Input in = input(e, e.config(), e.name());
        if (in != null) {
          inputs.put(e.name(), in);
        }
      } else {
        KerasLayers.Made m = translate(e, layersJson.get(e.index()));
        if (m != null) {
          made.put(e.name(), m);
        }
        layers.add(e);
      }
    }
    failOnProblems();
    Map<String, List<Node>> nodes = new LinkedHashMap<>();
    inputs.forEach((n, in) -> nodes.put(n, new ArrayList<>(List.of(in))));
    Map<Layer, String> names = new IdentityHashMap<>();
    List<Layer> order = new ArrayList<>();
    Map<String, List<List<Ref>>> pending = new LinkedHashMap<>();
    for (Entry e : layers) {
      Layer l = made.get(e.name()).layer();
      names.put(l, e.name());
      order.add(l);
      nodes.put(e.name(), new ArrayList<>());
      List<List<Ref>> calls = new ArrayList<>();
      for (JsonNode call : e.inbound()) {
        calls.add(refs(e, call));
      }
      pending.put(e.name(), calls);
    }
    wire(layers, made, nodes, pending);
    List<Input> ins = new ArrayList<>();
    for (Ref r : refs(null, config.path("input_layers"))) {
      if (!inputs.containsKey(r.layer())) {
        throw new IllegalArgumentException(where + ": input_layers must name InputLayers; got '"
            + r.layer() + "'.");
      }
      ins.add(inputs.get(r.layer()));
    }
    List<Node> outs = new ArrayList<>();
    for (Ref r : refs(null, config.path("output_layers"))) {
      outs.add(node(nodes, r, "output_layers"));
    }
    try {
      return new Model("functional", Topology.functional("Model", ins, outs, names)
          .orderLayers(order));
    } catch (IllegalArgumentException x) {
      throw new IllegalArgumentException(where + ": " + x.getMessage());
    }
  }

  /** A reference to output {@code tensor} of call {@code call} of layer {@code layer}. */
  private record Ref(String layer, int call, int tensor) {}

  /** Applies every layer to its inbound nodes, each call once the nodes it reads exist. */
  private void wire(List<Entry> layers, Map<String, KerasLayers.Made> made,
      Map<String, List<Node>> nodes, Map<String, List<List<Ref>>> pending) {
    boolean progress = true;
    while (progress) {
      progress = false;
      for (Entry e : layers) {
        List<Node> done = nodes.get(e.name());
        List<List<Ref>> calls = pending.get(e.name());
        while (done.size() < calls.size() && ready(nodes, calls.get(done.size()))) {
          List<Node> args = new ArrayList<>();
          for (Ref r : calls.get(done.size())) {
            args.add(node(nodes, r, e.describe()));
          }
          KerasLayers.Made m = made.get(e.name());
          try {
            checkChannels(e, m, args.stream().map(Node::shape).toList());
            done.add(m.layer().apply(args.toArray(new Node[0])));
          } catch (IllegalArgumentException x) {
            throw new IllegalArgumentException(where + ": " + e.describe() + " does not fit"
                + " its inputs: " + x.getMessage());
          }
          progress = true;
        }
      }
    }
    for (Entry e : layers) {
      List<List<Ref>> calls = pending.get(e.name());
      int done = nodes.get(e.name()).size();
      if (done < calls.size()) {
        throw new IllegalArgumentException(where + ": " + e.describe() + " reads "
            + calls.get(done) + ", which no layer of the model produces (or a cycle).");
      }
    }
  }

  private static boolean ready(Map<String, List<Node>> nodes, List<Ref> refs) {
    for (Ref r : refs) {
      List<Node> made = nodes.get(r.layer());
      if (made == null || made.size() <= r.call()) {
        return false;
      }
    }
    return true;
  }

  private Node node(Map<String, List<Node>> nodes, Ref r, String reader) {
    List<Node> made = nodes.get(r.layer());
    if (made == null || r.call() >= made.size()) {
      throw new IllegalArgumentException(where + ": " + reader + " refers to call " + r.call()
          + " of layer '" + r.layer() + "', which the model does not have.");
    }
    if (r.tensor() != 0) {
      throw new IllegalArgumentException(where + ": " + reader + " reads output " + r.tensor()
          + " of layer '" + r.layer() + "'; Kava layers have one output.");
    }
    return made.get(r.call());
  }

  /**
   * The tensors a call reads (or, with {@code e} null, the model's input or output list):
   * Keras 1/2 {@code [name, call, tensor(, kwargs)]} lists, Keras 3 {@code __keras_tensor__}
   * objects with a {@code keras_history}, in the order they appear.
   */
  private List<Ref> refs(Entry e, JsonNode n) {
    List<Ref> out = new ArrayList<>();
    collect(e, n, out);
    return out;
  }

  private void collect(Entry e, JsonNode n, List<Ref> out) {
    if (n.isArray() && n.size() >= 3 && n.get(0).isTextual() && n.get(1).isNumber()) {
      out.add(new Ref(n.get(0).asText(), n.get(1).asInt(), n.get(2).asInt()));
    } else if (n.isObject() && n.has("keras_history")) {
      collect(e, n.get("keras_history"), out);
    } else if (n.isObject() && "__keras_tensor__".equals(n.path("class_name").asText())) {
      collect(e, n.path("config"), out);
    } else if (n.isObject() && n.has("args")) {
      collect(e, n.get("args"), out);
      List<Ref> inKwargs = new ArrayList<>();
      collect(e, n.path("kwargs"), inKwargs);
      if (!inKwargs.isEmpty()) {
        throw new IllegalArgumentException(where + ": " + (e == null ? "the model"
            : e.describe()) + " is called with tensors as keyword arguments " + inKwargs
            + " (masks and the like); Kava layers take their inputs only.");
      }
    } else if (n.isArray() || n.isObject()) {
      // Lists, Keras 3's {"class_name": "__tuple__", "config": {"value": [...]}} wrappers,
      // inputs or outputs keyed by name: their tensors in order.
      n.forEach(x -> collect(e, x, out));
    }
  }
}
