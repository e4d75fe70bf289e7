package io.kava;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kava.layers.Input;
import io.kava.layers.Layer;
import io.kava.losses.Loss;
import io.kava.metrics.Metric;
import io.kava.optimizers.Optimizer;
import io.kava.saving.Config;
import io.kava.saving.Registry;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code kava.json}: a saved model's architecture, compile settings and training counters.
 * Every component is written as Keras writes it, {@code class_name} plus its own
 * {@code config()}, with the Java class as {@code registered_name}, and rebuilt through a
 * {@link Registry}; this class knows no component by name. Functional models add their
 * {@code nodes} (each layer use with the nodes it reads) and {@code outputs}.
 */
final class ModelJson {
  static final String FILE = "kava.json";
  static final int VERSION = 2;
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT);

  private ModelJson() {}

  /** The epochs completed that a {@code kava.json} records (0 where it records none). */
  static int epochsCompleted(String json, String source) {
    try {
      return MAPPER.readTree(json).path("training").path("epochs_completed").asInt(0);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(source + " must be the JSON that model.save writes;"
          + " got a parse error: " + e.getOriginalMessage(), e);
    }
  }

  /** What a saved model holds besides its weights. */
  record Saved(String name, boolean sequential, Topology topology, Compile compile,
      int epochsCompleted, long weightSeed) {}

  /** Keras 3's form: {@code {"class_name": "DTypePolicy", "config": {"name": ...}}}. */
  static ObjectNode dtypePolicy(DTypePolicy p) {
    ObjectNode d = MAPPER.createObjectNode().put("module", "keras")
        .put("class_name", "DTypePolicy");
    d.putObject("config").put("name", p.name());
    d.putNull("registered_name");
    return d;
  }

  static String write(Saved s) {
    Topology t = s.topology();
    ObjectNode root = MAPPER.createObjectNode();
    root.put("format", "kava-model");
    root.put("format_version", VERSION);
    root.put("class_name", s.sequential() ? "Sequential" : "Functional");
    root.put("name", s.name());
    if (t.policy() != DTypePolicy.FLOAT32) {
      root.put("dtype_policy", t.policy().name());
    }
    ArrayNode inputs = root.putArray("inputs");
    for (int i = 0; i < t.inputs().size(); i++) {
      ObjectNode in = inputs.addObject().put("name", t.inputNames().get(i));
      ArrayNode shape = in.putArray("shape");
      for (long d : t.nodeShape(i).asArray()) {
        shape.add(d);
      }
    }
    ArrayNode layers = root.putArray("layers");
    for (int l = 0; l < t.layers().size(); l++) {
      Layer layer = t.layers().get(l);
      ObjectNode n = component(layer, layer.type(), layer.config());
      n.put("name", t.layerNames().get(l));
      if (t.frozen(l)) {
        n.put("trainable", false);
      }
      if (t.policy(l) != t.policy()) {
        n.set("dtype", dtypePolicy(t.policy(l)));
      }
      layers.add(n);
    }
    if (!s.sequential()) {
      ArrayNode nodes = root.putArray("nodes");
      for (Topology.Step step : t.steps()) {
        ObjectNode n = nodes.addObject().put("layer", t.layerNames().get(step.layer()));
        ArrayNode inbound = n.putArray("inbound");
        for (int in : step.inputs()) {
          inbound.add(reference(t, in));
        }
      }
      ArrayNode outs = root.putArray("outputs");
      t.outputs().forEach(o -> outs.add(reference(t, o)));
    }
    if (s.compile() != null) {
      root.set("compile", compile(s.compile()));
    }
    ObjectNode training = root.putObject("training");
    training.put("epochs_completed", s.epochsCompleted());
    training.put("weight_seed", s.weightSeed());
    try {
      return MAPPER.writeValueAsString(root) + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ArrayNode reference(Topology t, int node) {
    int inputs = t.inputs().size();
    return MAPPER.createArrayNode().add(t.producer(node))
        .add(node < inputs ? 0 : t.steps().get(node - inputs).use());
  }

  private static ObjectNode compile(Compile c) {
    ObjectNode n = MAPPER.createObjectNode();
    n.set("optimizer", component(c.optimizer(), c.optimizer().name(), c.optimizer().config()));
    if (c.loss() != null) {
      n.set("loss", component(c.loss(), simpleName(c.loss()), c.loss().config()));
    } else {
      ObjectNode losses = n.putObject("losses");
      c.losses().forEach((k, v) -> losses.set(k, component(v, simpleName(v), v.config())));
      ObjectNode weights = n.putObject("loss_weights");
      c.lossWeights().forEach(weights::put);
    }
    ArrayNode metrics = n.putArray("metrics");
    c.metrics().forEach(m -> metrics.add(component(m, simpleName(m), m.config())));
    return n;
  }

  private static String simpleName(Object o) {
    return o.getClass().getSimpleName();
  }

  private static ObjectNode component(Object o, String className, Config config) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("class_name", className);
    n.put("registered_name", o.getClass().getName());
    n.set("config", MAPPER.valueToTree(plain(config)));
    return n;
  }

  /** A config as plain maps and lists, for Jackson. */
  private static Object plain(Object v) {
    if (v instanceof Config c) {
      Map<String, Object> m = new LinkedHashMap<>();
      c.asMap().forEach((k, x) -> m.put(k, plain(x)));
      return m;
    }
    if (v instanceof List<?> l) {
      return l.stream().map(ModelJson::plain).toList();
    }
    return v;
  }

  // ------------------------------------------------------------------ reading

  /** What {@link #read} rebuilt: an unbuilt model and its saved settings. */
  record Loaded(Model model, Saved saved) {}

  static Loaded read(String json, String source, Registry registry) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw bad(source, "is not valid JSON: " + e.getOriginalMessage());
    }
    if (root == null || !"kava-model".equals(root.path("format").asText())) {
      throw bad(source, "must have \"format\": \"kava-model\"");
    }
    int version = root.path("format_version").asInt();
    if (version != 1 && version != VERSION) {
      throw bad(source, "format_version must be 1 or " + VERSION + "; got "
          + root.path("format_version"));
    }
    Reader r = new Reader(source, registry, version);
    try {
      return r.read(root);
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw bad(source, e.getMessage().replaceAll("\\.$", ""));
    }
  }

  /** Rebuilds one file's model; version 1 files (Sequential only) name built-ins by Keras. */
  private static final class Reader {
    private final String source;
    private final Registry registry;
    private final int version;

    Reader(String source, Registry registry, int version) {
      this.source = source;
      this.registry = registry;
      this.version = version;
    }

    Loaded read(JsonNode root) {
      String name = root.path("name").asText("sequential");
      List<Input> inputs = new ArrayList<>();
      if (version == 1) {
        inputs.add(Input.of(longs(root.path("input_shape"))));
      } else {
        for (JsonNode in : root.path("inputs")) {
          inputs.add(Input.of(longs(in.path("shape"))).name(in.path("name").asText()));
        }
      }
      Map<String, Layer> layers = new LinkedHashMap<>();
      Map<Layer, String> names = new IdentityHashMap<>();
      List<String> frozen = new ArrayList<>();
      Map<String, DTypePolicy> policies = new LinkedHashMap<>();
      for (JsonNode l : root.path("layers")) {
        String layerName = l.path("name").asText();
        if (!l.path("trainable").asBoolean(true)) {
          frozen.add(layerName);
        }
        String dtype = KerasLayers.dtype(l.path("dtype"));
        if (dtype != null) {
          policies.put(layerName, DTypePolicy.of(dtype));
        }
        Layer layer = create(Layer.class, l, "io.kava.layers.");
        if (layers.put(layerName, layer) != null) {
          throw new IllegalArgumentException("layer names must be unique; got '" + layerName
              + "' twice");
        }
        names.put(layer, layerName);
      }
      boolean sequential = version == 1 || "Sequential".equals(root.path("class_name")
          .asText());
      Model model = sequential ? sequential(inputs.get(0), layers)
          : functional(root, inputs, layers, names);
      model.name(name);
      if (!frozen.isEmpty()) {
        model.freeze(frozen.toArray(String[]::new));
      }
      if (root.has("dtype_policy")) {
        model.dtypePolicy(DTypePolicy.of(root.path("dtype_policy").asText()));
      }
      policies.forEach(model::dtypePolicy);
      JsonNode c = root.path("compile");
      Compile compile = c.isMissingNode() ? null : compile(c);
      JsonNode t = root.path("training");
      Saved saved = new Saved(name, sequential, null, compile,
          t.path("epochs_completed").asInt(0), t.path("weight_seed").asLong(0));
      return new Loaded(model, saved);
    }

    private Sequential sequential(Input input, Map<String, Layer> layers) {
      Sequential s = new Sequential(input);
      layers.forEach((n, l) -> s.add(l, n));
      return s;
    }

    private Model functional(JsonNode root, List<Input> inputs, Map<String, Layer> layers,
        Map<Layer, String> names) {
      Map<String, List<Node>> uses = new LinkedHashMap<>();
      inputs.forEach(in -> uses.put(in.name(), List.of(in)));
      for (JsonNode n : root.path("nodes")) {
        String layerName = n.path("layer").asText();
        Layer layer = layers.get(layerName);
        if (layer == null) {
          throw new IllegalArgumentException("node layer '" + layerName + "' must be one of "
              + layers.keySet());
        }
        List<Node> args = new ArrayList<>();
        for (JsonNode ref : n.path("inbound")) {
          args.add(node(uses, ref));
        }
        uses.computeIfAbsent(layerName, k -> new ArrayList<>())
            .add(layer.apply(args.toArray(new Node[0])));
      }
      List<Node> outputs = new ArrayList<>();
      for (JsonNode ref : root.path("outputs")) {
        outputs.add(node(uses, ref));
      }
      return new Model("functional", Topology.functional("Model", inputs, outputs, names));
    }

    private static Node node(Map<String, List<Node>> uses, JsonNode ref) {
      List<Node> made = uses.get(ref.path(0).asText());
      int use = ref.path(1).asInt(-1);
      if (made == null || use < 0 || use >= made.size()) {
        throw new IllegalArgumentException("node reference " + ref + " must name an input or"
            + " an earlier use of a layer");
      }
      return made.get(use);
    }

    private Compile compile(JsonNode c) {
      Optimizer optimizer = create(Optimizer.class, c.path("optimizer"), "io.kava.optimizers.");
      Loss loss = null;
      Map<String, Loss> losses = null;
      Map<String, Double> weights = new LinkedHashMap<>();
      if (c.has("losses")) {
        losses = new LinkedHashMap<>();
        for (var e : iterable(c.path("losses").fields())) {
          losses.put(e.getKey(), create(Loss.class, e.getValue(), "io.kava.losses."));
        }
        for (var e : iterable(c.path("loss_weights").fields())) {
          weights.put(e.getKey(), e.getValue().asDouble());
        }
      } else {
        loss = create(Loss.class, c.path("loss"), "io.kava.losses.");
      }
      List<Metric> metrics = new ArrayList<>();
      for (JsonNode m : c.path("metrics")) {
        metrics.add(create(Metric.class, m, "io.kava.metrics."));
      }
      return new Compile(optimizer, loss, losses, weights, metrics);
    }

    /**
     * A component from {@code {"class_name", "registered_name", "config"}}. Version 1 wrote
     * losses and metrics as Keras's strings and optimizers' settings inline.
     */
    private <T> T create(Class<T> kind, JsonNode n, String builtIns) {
      if (n.isTextual()) {
        return fromKerasString(kind, n.asText(), builtIns);
      }
      String className = n.path("class_name").asText();
      if (className.isEmpty()) {
        throw new IllegalArgumentException(kind.getSimpleName().toLowerCase(Locale.ROOT)
            + " must have a class_name; got " + n);
      }
      JsonNode config = n.has("config") || version > 1 ? n.path("config")
          : ((ObjectNode) n.deepCopy()).without("class_name");
      String javaClass = n.path("registered_name").asText(builtIns + className);
      return registry.create(kind, className, javaClass, toConfig(config));
    }

    /** Keras's string forms: {@code categorical_crossentropy}, {@code binary_accuracy}. */
    private <T> T fromKerasString(Class<T> kind, String s, String builtIns) {
      Config config = Config.EMPTY;
      String className;
      if (kind == Metric.class) {
        className = "Accuracy";
        if (s.endsWith("_accuracy")) {
          config = Config.builder().put("kind", s.substring(0, s.length() - 9)).build();
        } else if (!s.equals("accuracy")) {
          throw new IllegalArgumentException("metric must be a Kava metric; got '" + s + "'");
        }
      } else {
        StringBuilder b = new StringBuilder();
        for (String part : s.split("_")) {
          b.append(part.isEmpty() ? "" : Character.toUpperCase(part.charAt(0))
              + part.substring(1));
        }
        className = b.toString();
      }
      return registry.create(kind, className, builtIns + className, config);
    }
  }

  private static <T> Iterable<T> iterable(java.util.Iterator<T> it) {
    return () -> it;
  }

  private static long[] longs(JsonNode a) {
    long[] d = new long[a.size()];
    for (int i = 0; i < d.length; i++) {
      d[i] = a.get(i).asLong();
    }
    return d;
  }

  /** JSON to a {@link Config}: objects to configs, arrays to lists, numbers kept exact. */
  static Config toConfig(JsonNode n) {
    if (n == null || n.isMissingNode() || n.isNull()) {
      return Config.EMPTY;
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> map = MAPPER.convertValue(n, Map.class);
    return Config.of(map);
  }

  private static IllegalArgumentException bad(String source, String what) {
    return new IllegalArgumentException(FILE + " " + source + ": " + what + ".");
  }
}
