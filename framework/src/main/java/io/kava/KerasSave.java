package io.kava;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import io.kava.internal.AtomicFiles;
import io.kava.layers.Layer;
import io.kava.layers.WeightSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Array;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.tensorflow.ndarray.Shape;

/**
 * A Kava model as a Keras 3 {@code .keras} zip, laid out as Keras 3's
 * {@code keras/src/saving/saving_lib.py} writes it: {@code metadata.json}, {@code config.json}
 * (the model serialized as {@code serialization_lib.serialize_keras_object} does, with each
 * layer's {@code get_config} keys and defaults, a {@code DTypePolicy} object, a
 * {@code build_config}, and the model's {@code compile_config} when compiled) and
 * {@code model.weights.h5} (each layer's variables at {@code layers/<snake_case class>[_n]/
 * vars/<i>}, and, once a compiled model has trained, its optimizer's at
 * {@code optimizer/vars/<i>}, see {@link KerasOptimizerState}). Behind
 * {@link Model#saveKeras}.
 */
final class KerasSave {
  /** The Keras release whose layout (and layer config keys) the files follow. */
  static final String KERAS_VERSION = "3.6.0";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Model model;
  private final Topology t;
  private final String where;
  private final List<String> problems = new ArrayList<>();

  private KerasSave(Model model, Topology t, String where) {
    this.model = model;
    this.t = t;
    this.where = where;
  }

  /** Writes {@code m} to {@code file}, atomically. */
  static void save(Model m, Path file) {
    String where = m.subject() + ".saveKeras: " + file;
    if (file == null) {
      throw new IllegalArgumentException(m.subject() + ".saveKeras: the path must be"
          + " non-null.");
    }
    if (Files.isDirectory(file)) {
      throw new IllegalArgumentException(where + ": the path must be a file (a .keras zip);"
          + " it is a directory.");
    }
    KerasSave s = new KerasSave(m, m.requireTopology("saveKeras"), where);
    List<Integer> order = s.kerasOrder();
    ObjectNode config = s.modelConfig(order);
    if (!s.problems.isEmpty()) {
      throw new IllegalArgumentException(where + ": the model cannot be saved as a Keras file; "
          + s.problems.size() + " of its " + s.t.layers().size() + " layers "
          + (s.problems.size() == 1 ? "has" : "have") + " no Keras 3 counterpart:\n  "
          + String.join("\n  ", s.problems));
    }
    List<String> layerOrder = order.stream().filter(op -> op >= 0)
        .map(op -> s.t.layerNames().get(op)).toList();
    byte[] weights = s.weights(order, m.built("saveKeras").weights().get(),
        KerasOptimizerState.values(m, layerOrder, where));
    ObjectNode metadata = MAPPER.createObjectNode().put("keras_version", KERAS_VERSION)
        .put("date_saved", LocalDateTime.now().format(
            DateTimeFormatter.ofPattern("yyyy-MM-dd@HH:mm:ss", Locale.ROOT)));
    byte[] meta = json(metadata);
    byte[] conf = json(config);
    AtomicFiles.write(file, out -> {
      try (ZipOutputStream z = new ZipOutputStream(out)) {
        put(z, "metadata.json", meta);
        put(z, "config.json", conf);
        put(z, "model.weights.h5", weights);
      }
    });
  }

  private static void put(ZipOutputStream z, String name, byte[] data) throws IOException {
    z.putNextEntry(new ZipEntry(name));
    z.write(data);
    z.closeEntry();
  }

  private static byte[] json(ObjectNode n) {
    try {
      return MAPPER.writeValueAsString(n).getBytes(StandardCharsets.UTF_8);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private boolean sequential() {
    return model instanceof Sequential;
  }

  // ------------------------------------------------------------------ layer order

  /**
   * The model's operations in Keras's order ({@code keras/src/ops/function.py map_graph}):
   * by depth from the outputs, deepest first, ties in the order a depth-first walk from the
   * outputs meets them. Inputs are {@code -1 - i}, layers their index. Keras's config lists
   * layers in this order and its weights file numbers them in it.
   */
  List<Integer> kerasOrder() {
    int nIn = t.inputs().size();
    if (sequential()) {
      List<Integer> order = new ArrayList<>(List.of(-1));
      for (int i = 0; i < t.layers().size(); i++) {
        order.add(i);
      }
      return order;
    }
    Map<Integer, Integer> opIndex = new LinkedHashMap<>();
    List<Integer> nodes = new ArrayList<>();
    java.util.Set<Integer> finished = new java.util.HashSet<>();
    for (int out : t.outputs()) {
      walk(out, nIn, opIndex, nodes, finished);
    }
    Map<Integer, Integer> nodeDepth = new HashMap<>();
    Map<Integer, Integer> opDepth = new LinkedHashMap<>();
    for (int k = nodes.size() - 1; k >= 0; k--) {
      int node = nodes.get(k);
      int op = op(node, nIn);
      int depth = Math.max(nodeDepth.getOrDefault(node, 0), opDepth.getOrDefault(op, 0));
      opDepth.put(op, depth);
      nodeDepth.put(node, depth);
      for (int p : parents(node, nIn)) {
        nodeDepth.put(p, Math.max(depth + 1, nodeDepth.getOrDefault(p, 0)));
      }
    }
    for (int i = 0; i < nIn; i++) {
      if (!opDepth.containsKey(-1 - i)) {
        opDepth.put(-1 - i, 0);
        opIndex.put(-1 - i, -1);
      }
    }
    List<Integer> ops = new ArrayList<>(opDepth.keySet());
    ops.sort(java.util.Comparator.comparingInt((Integer o) -> -opDepth.get(o))
        .thenComparingInt(opIndex::get));
    return ops;
  }

  private void walk(int node, int nIn, Map<Integer, Integer> opIndex, List<Integer> nodes,
      java.util.Set<Integer> finished) {
    if (finished.contains(node)) {
      return;
    }
    opIndex.putIfAbsent(op(node, nIn), opIndex.size());
    for (int p : parents(node, nIn)) {
      walk(p, nIn, opIndex, nodes, finished);
    }
    finished.add(node);
    nodes.add(node);
  }

  private int op(int node, int nIn) {
    return node < nIn ? -1 - node : t.steps().get(node - nIn).layer();
  }

  private int[] parents(int node, int nIn) {
    return node < nIn ? new int[0] : t.steps().get(node - nIn).inputs();
  }

  // ------------------------------------------------------------------ config.json

  private ObjectNode modelConfig(List<Integer> order) {
    ObjectNode root = MAPPER.createObjectNode();
    ObjectNode config = MAPPER.createObjectNode();
    config.put("name", model.name());
    config.put("trainable", true);
    ArrayNode layers = MAPPER.createArrayNode();
    if (sequential()) {
      root.put("module", "keras");
      root.put("class_name", "Sequential");
      config.set("dtype", dtype(t.policy()));
      for (int op : order) {
        layers.add(op < 0 ? inputLayer(-1 - op) : layer(op));
      }
      config.set("layers", layers);
      config.set("build_input_shape", batchShape(t.nodeShape(0)));
      root.set("config", config);
      root.putNull("registered_name");
      root.putObject("build_config").set("input_shape", batchShape(t.nodeShape(0)));
    } else {
      root.put("module", "keras.src.models.functional");
      root.put("class_name", "Functional");
      Map<Integer, List<Integer>> uses = new HashMap<>();
      for (int s = 0; s < t.steps().size(); s++) {
        uses.computeIfAbsent(t.steps().get(s).layer(), k -> new ArrayList<>()).add(s);
      }
      for (int op : order) {
        ObjectNode l;
        if (op < 0) {
          l = inputLayer(-1 - op);
          l.put("name", t.inputNames().get(-1 - op));
          l.putArray("inbound_nodes");
        } else {
          l = layer(op);
          l.put("name", t.layerNames().get(op));
          ArrayNode inbound = l.putArray("inbound_nodes");
          for (int s : uses.getOrDefault(op, List.of())) {
            inbound.add(node(t.steps().get(s)));
          }
        }
        layers.add(l);
      }
      config.set("layers", layers);
      // One input or output is written as the tensor itself, as Keras writes a model built
      // from single tensors; several as a list of tensors.
      ArrayNode ins = MAPPER.createArrayNode();
      for (String in : t.inputNames()) {
        ins.addArray().add(in).add(0).add(0);
      }
      config.set("input_layers", ins.size() == 1 ? ins.get(0) : ins);
      ArrayNode outs = MAPPER.createArrayNode();
      int nIn = t.inputs().size();
      for (int o : t.outputs()) {
        outs.addArray().add(t.producer(o)).add(o < nIn ? 0 : t.steps().get(o - nIn).use())
            .add(0);
      }
      config.set("output_layers", outs.size() == 1 ? outs.get(0) : outs);
      root.set("config", config);
      root.put("registered_name", "Functional");
      root.putObject("build_config").putNull("input_shape");
    }
    Compile c = model.compiled().compile();
    if (c != null) {
      List<String> custom = KerasCompileConfig.customParts(c);
      if (custom.isEmpty()) {
        root.set("compile_config", KerasCompileConfig.of(c, model.learningRate(),
            t.outputNames()));
      } else {
        System.err.println("WARNING: " + where + ": saved without its compile settings; Keras"
            + " has no counterpart for: " + String.join(", ", custom) + ". Compile the loaded"
            + " model before fit or evaluate.");
      }
    }
    return root;
  }

  /** One call of a layer as Keras 3 serializes a node: its tensors under {@code args}. */
  private ObjectNode node(Topology.Step step) {
    ObjectNode n = MAPPER.createObjectNode();
    ArrayNode args = n.putArray("args");
    int nIn = t.inputs().size();
    ArrayNode target = step.inputs().length == 1 ? args : args.addArray();
    for (int in : step.inputs()) {
      ObjectNode tensor = target.addObject();
      tensor.put("class_name", "__keras_tensor__");
      ObjectNode tc = tensor.putObject("config");
      tc.set("shape", batchShape(t.nodeShape(in)));
      tc.put("dtype", "float32");
      tc.putArray("keras_history").add(t.producer(in))
          .add(in < nIn ? 0 : t.steps().get(in - nIn).use()).add(0);
    }
    n.putObject("kwargs");
    return n;
  }

  private ObjectNode inputLayer(int i) {
    ObjectNode l = MAPPER.createObjectNode();
    l.put("module", "keras.layers");
    l.put("class_name", "InputLayer");
    ObjectNode c = l.putObject("config");
    c.set("batch_shape", batchShape(t.nodeShape(i)));
    c.put("dtype", "float32");
    c.put("sparse", false);
    c.put("name", t.inputNames().get(i));
    l.putNull("registered_name");
    return l;
  }

  private static ArrayNode batchShape(Shape s) {
    ArrayNode a = MAPPER.createArrayNode().addNull();
    for (long d : s.asArray()) {
      a.add(d);
    }
    return a;
  }

  private static ObjectNode dtype(DTypePolicy policy) {
    return ModelJson.dtypePolicy(policy);
  }

  /** Layer {@code i} as Keras 3 serializes it, or an empty node after recording a problem. */
  private ObjectNode layer(int i) {
    Layer layer = t.layers().get(i);
    String name = t.layerNames().get(i);
    ObjectNode l = MAPPER.createObjectNode();
    l.put("module", "keras.layers");
    l.put("class_name", layer.type());
    ObjectNode c = l.putObject("config");
    c.put("name", name);
    c.put("trainable", !t.frozen(i));
    c.set("dtype", dtype(t.policy(i)));
    String problem = layer.getClass().getPackageName().equals("io.kava.layers")
        ? KerasLayerConfigs.fill(layer, c) : "a custom layer (" + layer.getClass().getName() + ");"
            + " Keras could not rebuild it from a .keras file without its Python class";
    if (problem != null) {
      problems.add("layers[" + i + "] '" + name + "' (" + layer.type() + "): " + problem);
    }
    l.putNull("registered_name");
    List<Shape> in = t.layerInputShapes(i);
    ObjectNode build = l.putObject("build_config");
    if (in.size() == 1) {
      build.set("input_shape", batchShape(in.get(0)));
    } else {
      ArrayNode shapes = build.putArray("input_shape");
      in.forEach(s -> shapes.add(batchShape(s)));
    }
    return l;
  }

  // ------------------------------------------------------------------ model.weights.h5

  /**
   * The weights file: {@code layers/<path>/vars/<i>}, paths numbered per class in Keras's
   * layer order (layers without weights count but get no group). Keras also writes empty
   * {@code vars} groups for the model itself and for layers without weights, which its loader
   * does without (a missing entry reads as empty); they are left out because jHDF 0.9.4 writes
   * a file it cannot read back when empty groups sit among groups holding datasets, or the
   * root holds a second group. The file is read back before use, so such a bug cannot go
   * unnoticed.
   */
  private byte[] weights(List<Integer> order, List<float[]> values, List<Object> optimizer) {
    Map<String, List<float[]>> byLayer = new HashMap<>();
    List<ModelGraph.Weight> list = model.built("saveKeras").weights().list();
    for (int i = 0; i < list.size(); i++) {
      byLayer.computeIfAbsent(list.get(i).layer(), k -> new ArrayList<>()).add(values.get(i));
    }
    Path tmp = null;
    Map<String, Integer> expected = new LinkedHashMap<>();
    try {
      tmp = Files.createTempFile("kava-keras-", ".weights.h5");
      try (WritableHdfFile f = HdfFile.write(tmp)) {
        WritableGroup layers = f.putGroup("layers");
        Map<String, Integer> used = new HashMap<>();
        for (int op : order) {
          if (op < 0 && sequential()) {
            continue; // a Sequential's layers list leaves its InputLayer out
          }
          String base = KerasWeights.snakeCase(op < 0 ? "InputLayer" : t.layers().get(op)
              .type());
          int n = used.merge(base, 1, Integer::sum) - 1;
          List<WeightSpec> specs = op < 0 ? List.of() : t.weights(op);
          if (specs.isEmpty()) {
            continue;
          }
          String path = n == 0 ? base : base + "_" + n;
          expected.put(path, specs.size());
          WritableGroup vars = layers.putGroup(path).putGroup("vars");
          List<float[]> v = byLayer.getOrDefault(t.layerNames().get(op), List.of());
          for (int j = 0; j < specs.size(); j++) {
            vars.putDataset(Integer.toString(j), nested(v.get(j), specs.get(j).shape()));
          }
        }
        if (optimizer != null) {
          WritableGroup vars = f.putGroup("optimizer").putGroup("vars");
          for (int i = 0; i < optimizer.size(); i++) {
            vars.putDataset(Integer.toString(i), optimizer.get(i));
          }
        }
      }
      byte[] bytes = Files.readAllBytes(tmp);
      check(bytes, expected, optimizer == null ? 0 : optimizer.size());
      return bytes;
    } catch (IOException e) {
      throw new UncheckedIOException(where + ": cannot write the weights: " + e.getMessage(), e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException e) {
          // a leftover temporary file is harmless
        }
      }
    }
  }

  /** Reads the written file's layout back: every layer group with its number of weights. */
  private void check(byte[] h5, Map<String, Integer> expected, int optimizerVars) {
    Map<String, Integer> found = new LinkedHashMap<>();
    int optimizerFound;
    try (HdfFile f = HdfFile.fromBytes(h5)) {
      optimizerFound = f.getChildren().get("optimizer") instanceof io.jhdf.api.Group o
          ? ((io.jhdf.api.Group) o.getChild("vars")).getChildren().size() : 0;
      io.jhdf.api.Group layers = (io.jhdf.api.Group) f.getChild("layers");
      for (io.jhdf.api.Node n : layers.getChildren().values()) {
        found.put(n.getName(), ((io.jhdf.api.Group) ((io.jhdf.api.Group) n).getChild("vars"))
            .getChildren().size());
      }
    } catch (RuntimeException e) {
      throw new IllegalStateException(where + ": the HDF5 writer (jHDF) produced a weights file"
          + " that does not read back: " + e.getMessage(), e);
    }
    if (!found.equals(expected) || optimizerFound != optimizerVars) {
      throw new IllegalStateException(where + ": the HDF5 writer (jHDF) produced a weights file"
          + " with " + found + " and " + optimizerFound + " optimizer variables; expected "
          + expected + " and " + optimizerVars + ".");
    }
  }

  /** Row-major {@code flat} as a Java array of {@code shape}'s rank, as jHDF writes them. */
  static Object nested(float[] flat, Shape shape) {
    long[] dims = shape.asArray();
    if (dims.length <= 1) {
      return flat.clone();
    }
    int[] d = new int[dims.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = Math.toIntExact(dims[i]);
    }
    Object out = Array.newInstance(float.class, d);
    fill(out, flat, d, 0, 0);
    return out;
  }

  private static int fill(Object array, float[] flat, int[] d, int depth, int offset) {
    if (depth == d.length - 1) {
      System.arraycopy(flat, offset, array, 0, d[depth]);
      return offset + d[depth];
    }
    for (int i = 0; i < d[depth]; i++) {
      offset = fill(Array.get(array, i), flat, d, depth + 1, offset);
    }
    return offset;
  }
}
