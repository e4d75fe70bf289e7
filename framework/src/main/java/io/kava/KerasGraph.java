package io.kava;

import com.fasterxml.jackson.databind.JsonNode;
import io.kava.layers.Layer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One Keras model config, Sequential or functional, translated into Kava layers and callable on
 * nodes: the importer calls the top-level model on its inputs, and a model nested as a layer
 * ({@code class_name} Sequential, Functional or Model inside another model's layers) on the
 * nodes its inbound nodes name, once per Keras call, every call sharing the same layers, as
 * Keras's {@code Functional.call} reuses them. The nested model's layers are thereby flattened
 * into the outer graph; {@link #layout()} records where Keras's files keep their weights.
 */
final class KerasGraph {
  private final KerasModel importer;
  private final boolean sequential;
  private final String name;
  private final List<KerasModel.Entry> inputLayers = new ArrayList<>();
  private final List<KerasModel.Entry> layers = new ArrayList<>();
  private final List<KerasModel.Entry> all;
  /** Per layer name: a {@link KerasLayers.Made} or a nested {@link KerasGraph}. */
  private final Map<String, Object> made = new LinkedHashMap<>();
  private final JsonNode config;
  /** Per nested model: the config's index of its first call (see {@link #firstCall}). */
  private final Map<String, Integer> firstCall = new LinkedHashMap<>();

  /**
   * Translates {@code config} (the {@code config} of a model's {@code class_name} entry);
   * problems go to the importer's list. {@code owner} prefixes the layers' descriptions.
   */
  KerasGraph(KerasModel importer, boolean sequential, JsonNode config, String owner,
      boolean trainable) {
    this.importer = importer;
    this.sequential = sequential;
    this.config = config;
    this.name = config.path("name").asText("model");
    JsonNode layersJson = config.isArray() ? config : config.path("layers");
    this.all = importer.entries(layersJson, owner);
    for (KerasModel.Entry e : all) {
      if (e.cls().equals("InputLayer")) {
        inputLayers.add(e);
        continue;
      }
      layers.add(e);
      boolean on = trainable && e.config().path("trainable").asBoolean(true);
      if (KerasModel.isModel(e.cls())) {
        JsonNode inner = layersJson.get(e.index());
        KerasGraph g = new KerasGraph(importer, e.cls().equals("Sequential"),
            inner.path("config"), owner + "model '" + e.name() + "' > ", on);
        made.put(e.name(), g);
        firstCall.put(e.name(), firstCall(e.cls(), inner, g));
      } else {
        KerasLayers.Made m = importer.translate(e, layersJson.get(e.index()));
        if (m != null) {
          made.put(e.name(), m);
          importer.named(m.layer(), e.name(), on);
        }
      }
    }
  }

  String name() {
    return name;
  }

  /**
   * The node index a config gives a nested model's first call. A functional model starts with
   * a node of its own linking its inputs to its outputs, which configs leave out but count, so
   * its calls are numbered from 1 (Keras 3 {@code functional.py get_config}, Keras 2
   * {@code _should_skip_first_node}). Keras 2's Sequential is functional too, and starts with
   * such a node when built with an input; Keras 3's Sequential is not, and never does.
   */
  private static int firstCall(String cls, JsonNode entry, KerasGraph g) {
    if (!cls.equals("Sequential")) {
      return 1;
    }
    boolean keras3 = entry.has("module");
    return !keras3 && !g.inputLayers().isEmpty() && g.inputLayers().get(0).index() == 0 ? 1 : 0;
  }

  boolean sequential() {
    return sequential;
  }

  /** The InputLayers of the config, in config order. */
  List<KerasModel.Entry> inputLayers() {
    return inputLayers;
  }

  /** The layers other than InputLayers, in config order. */
  List<KerasModel.Entry> layers() {
    return layers;
  }

  /** The translated layer at {@code e}, or null when {@code e} is a nested model. */
  KerasLayers.Made made(KerasModel.Entry e) {
    return made.get(e.name()) instanceof KerasLayers.Made m ? m : null;
  }

  /** The nested model at {@code e}, or null when {@code e} is a plain layer. */
  KerasGraph nested(KerasModel.Entry e) {
    return made.get(e.name()) instanceof KerasGraph g ? g : null;
  }

  /** Where Keras keeps this model's layers' weights, in its layer order. */
  KerasLayout layout() {
    List<KerasLayout.Item> items = new ArrayList<>();
    for (KerasModel.Entry e : all) {
      Object m = made.get(e.name());
      if (e.cls().equals("InputLayer")) {
        // A functional model's layers include its InputLayers (a Sequential's do not); they
        // count among Keras 3's paths.
        if (!sequential) {
          items.add(new KerasLayout.Leaf(e.name(), e.cls(), null));
        }
      } else if (m instanceof KerasGraph g) {
        items.add(new KerasLayout.Nested(e.name(), e.cls(), g.layout()));
      } else if (m instanceof KerasLayers.Made l) {
        items.add(new KerasLayout.Leaf(e.name(), e.cls(), importer.kavaName(l.layer())));
      }
    }
    return new KerasLayout(items);
  }

  // ------------------------------------------------------------------ calling

  /** The model's outputs on {@code args} (its inputs, in {@code input_layers} order). */
  List<Node> call(List<Node> args, String caller) {
    if (sequential) {
      if (args.size() != 1) {
        throw new IllegalArgumentException(importer.where() + ": " + caller + " calls the"
            + " Sequential model '" + name + "' with " + args.size() + " tensors; it takes 1.");
      }
      Node x = args.get(0);
      for (KerasModel.Entry e : layers) {
        x = single(e, apply(e, List.of(x)));
      }
      return List.of(x);
    }
    List<Ref> ins = refs(null, config.path("input_layers"));
    if (ins.size() != args.size()) {
      throw new IllegalArgumentException(importer.where() + ": " + caller + " calls model '"
          + name + "' with " + args.size() + " tensors; its input_layers list " + ins.size()
          + ".");
    }
    Map<String, List<List<Node>>> nodes = new LinkedHashMap<>();
    for (int k = 0; k < ins.size(); k++) {
      nodes.put(ins.get(k).layer(), new ArrayList<>(List.of(List.of(args.get(k)))));
    }
    Map<String, List<List<Ref>>> pending = new LinkedHashMap<>();
    for (KerasModel.Entry e : layers) {
      nodes.put(e.name(), new ArrayList<>());
      List<List<Ref>> calls = new ArrayList<>();
      for (JsonNode call : e.inbound()) {
        calls.add(refs(e, call));
      }
      pending.put(e.name(), calls);
    }
    wire(nodes, pending);
    List<Node> outs = new ArrayList<>();
    for (Ref r : refs(null, config.path("output_layers"))) {
      outs.add(node(nodes, r, "output_layers of model '" + name + "'"));
    }
    return outs;
  }

  private List<Node> apply(KerasModel.Entry e, List<Node> args) {
    Object m = made.get(e.name());
    if (m instanceof KerasGraph g) {
      return g.call(args, e.describe());
    }
    KerasLayers.Made l = (KerasLayers.Made) m;
    try {
      importer.checkChannels(l, args.stream().map(Node::shape).toList());
      Layer layer = l.layer();
      return List.of(layer.apply(args.toArray(new Node[0])));
    } catch (IllegalArgumentException x) {
      throw new IllegalArgumentException(importer.where() + ": " + e.describe() + " does not"
          + " fit its inputs: " + x.getMessage());
    }
  }

  private Node single(KerasModel.Entry e, List<Node> outs) {
    if (outs.size() != 1) {
      throw new IllegalArgumentException(importer.where() + ": " + e.describe() + " has "
          + outs.size() + " outputs; a layer of a Sequential model must have one.");
    }
    return outs.get(0);
  }

  /** The position among the calls made here of the call {@code r} names. */
  private int call(Ref r) {
    return r.call() - firstCall.getOrDefault(r.layer(), 0);
  }

  /** A reference to output {@code tensor} of call {@code call} of layer {@code layer}. */
  record Ref(String layer, int call, int tensor) {}

  /** Applies every layer to its inbound nodes, each call once the nodes it reads exist. */
  private void wire(Map<String, List<List<Node>>> nodes, Map<String, List<List<Ref>>> pending) {
    boolean progress = true;
    while (progress) {
      progress = false;
      for (KerasModel.Entry e : layers) {
        List<List<Node>> done = nodes.get(e.name());
        List<List<Ref>> calls = pending.get(e.name());
        while (done.size() < calls.size() && ready(nodes, calls.get(done.size()))) {
          List<Node> args = new ArrayList<>();
          for (Ref r : calls.get(done.size())) {
            args.add(node(nodes, r, e.describe()));
          }
          done.add(apply(e, args));
          progress = true;
        }
      }
    }
    for (KerasModel.Entry e : layers) {
      List<List<Ref>> calls = pending.get(e.name());
      int done = nodes.get(e.name()).size();
      if (done < calls.size()) {
        throw new IllegalArgumentException(importer.where() + ": " + e.describe() + " reads "
            + calls.get(done) + ", which no layer of the model produces (or a cycle).");
      }
    }
  }

  private boolean ready(Map<String, List<List<Node>>> nodes, List<Ref> refs) {
    for (Ref r : refs) {
      List<List<Node>> made = nodes.get(r.layer());
      if (made == null || made.size() <= call(r)) {
        return false;
      }
    }
    return true;
  }

  private Node node(Map<String, List<List<Node>>> nodes, Ref r, String reader) {
    List<List<Node>> made = nodes.get(r.layer());
    int call = call(r);
    if (made == null || call < 0 || call >= made.size()) {
      throw new IllegalArgumentException(importer.where() + ": " + reader + " refers to call "
          + r.call() + " of layer '" + r.layer() + "', which the model does not have.");
    }
    List<Node> outs = made.get(call);
    if (r.tensor() < 0 || r.tensor() >= outs.size()) {
      throw new IllegalArgumentException(importer.where() + ": " + reader + " reads output "
          + r.tensor() + " of layer '" + r.layer() + "', which has " + outs.size() + " output"
          + (outs.size() == 1 ? "" : "s") + ".");
    }
    return outs.get(r.tensor());
  }

  /**
   * The tensors a call reads (or, with {@code e} null, the model's input or output list):
   * Keras 1/2 {@code [name, call, tensor(, kwargs)]} lists, Keras 3 {@code __keras_tensor__}
   * objects with a {@code keras_history}, in the order they appear.
   */
  List<Ref> refs(KerasModel.Entry e, JsonNode n) {
    List<Ref> out = new ArrayList<>();
    collect(e, n, out);
    return out;
  }

  private void collect(KerasModel.Entry e, JsonNode n, List<Ref> out) {
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
        throw new IllegalArgumentException(importer.where() + ": " + (e == null ? "the model"
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
