package io.kava;

import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.kava.internal.Checks;
import io.kava.layers.Layer;
import io.kava.layers.WeightSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.tensorflow.ndarray.Shape;

/**
 * The weights of a Keras {@code .h5} file, read into memory with jHDF, and their assignment to
 * a Kava model's layers. Two layouts: Keras 1/2 ({@code save_weights} files and the
 * {@code model_weights} group of full-model files: a {@code layer_names} attribute, one group
 * per layer with a {@code weight_names} attribute) and Keras 3 ({@code .weights.h5} and the
 * weights inside {@code .keras}: {@code layers/<snake_case class>[_n]/vars/0..n}).
 */
final class KerasWeights {
  private KerasWeights() {}

  /** An HDF5 file that reads fine but is not laid out as Keras writes weights. */
  static final class NotKeras extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotKeras(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * One stored weight: its short name ({@code kernel}; Keras 3 stores an index), its name as
   * stored ({@code conv_1/kernel:0}) and its data.
   */
  record Stored(String name, String path, long[] shape, float[] values) {
    String shapeText() {
      return Checks.shape(Shape.of(shape));
    }
  }

  /**
   * What an HDF5 file holds: root attributes that are strings, and the weights per layer key
   * (a layer name for the Keras 2 layout, a {@code layers/...} path for Keras 3), in file order.
   */
  record Contents(Map<String, String> attributes, boolean keras3,
      Map<String, List<Stored>> layers, Optimizer optimizer) {}

  /**
   * Keras 3's {@code optimizer/vars}: the iteration count (read exactly, as Keras stores it
   * as an integer) and every variable, the count included, in order.
   */
  record Optimizer(long iteration, List<Stored> vars) {}

  /** Reads everything needed from an open file; jHDF's exceptions pass through. */
  static Contents read(HdfFile f) {
    Map<String, String> attrs = new LinkedHashMap<>();
    for (Map.Entry<String, Attribute> a : f.getAttributes().entrySet()) {
      if (a.getValue().getData() instanceof String s) {
        attrs.put(a.getKey(), s);
      }
    }
    Map<String, List<Stored>> layers = new LinkedHashMap<>();
    Group legacy = hasLayerNames(f) ? f
        : f.getChildren().get("model_weights") instanceof Group g && hasLayerNames(g) ? g
        : null;
    if (legacy != null) {
      for (String layer : strings(legacy, "layer_names")) {
        Group g = (Group) legacy.getChild(layer);
        if (g == null) {
          throw new NotKeras("layer_names lists '" + layer + "' but the file has"
              + " no group for it");
        }
        List<Stored> ws = new ArrayList<>();
        for (String w : strings(g, "weight_names")) {
          Node n = g.getByPath(w);
          if (!(n instanceof Dataset d)) {
            throw new NotKeras("weight " + layer + "/" + w + " is listed but not"
                + " stored");
          }
          ws.add(stored(shortName(w), w, d));
        }
        layers.put(layer, ws);
      }
      return new Contents(attrs, false, layers, null);
    }
    // Keras 2.13-2.15 wrote the same layout under _layer_checkpoint_dependencies.
    Node layersGroup = f.getChildren().containsKey("layers") ? f.getChild("layers")
        : f.getChild("_layer_checkpoint_dependencies");
    if (layersGroup instanceof Group root) {
      keras3(root, "", layers);
      return new Contents(attrs, true, layers, optimizer(f));
    }
    throw new NotKeras("it holds no Keras weights (neither a layer_names"
        + " attribute, as Keras 2 writes, nor a layers group, as Keras 3 writes)");
  }

  /**
   * Every {@code <path>/vars} group below {@code group}, keyed by its path below the file's
   * {@code layers} group: {@code dense}, or {@code functional/layers/conv2d} for a layer of a
   * nested model (whose 2.13-2.15 name, {@code _layer_checkpoint_dependencies}, reads as
   * {@code layers}, as Keras 3's loader reads it).
   */
  private static void keras3(Group group, String prefix, Map<String, List<Stored>> out) {
    for (Node n : group.getChildren().values()) {
      if (!(n instanceof Group g)) {
        continue;
      }
      String path = prefix + g.getName();
      if (g.getChildren().get("vars") instanceof Group vars) {
        List<Node> ds = new ArrayList<>(vars.getChildren().values());
        ds.sort(Comparator.comparingInt(d -> index(d.getName())));
        List<Stored> ws = new ArrayList<>();
        for (Node d : ds) {
          if (d instanceof Dataset data) {
            ws.add(stored(d.getName(), d.getName(), data));
          }
        }
        out.put(path, ws);
      }
      Node inner = g.getChildren().containsKey("layers") ? g.getChild("layers")
          : g.getChildren().get("_layer_checkpoint_dependencies");
      if (inner instanceof Group innerLayers) {
        keras3(innerLayers, path + "/layers/", out);
      }
    }
  }

  private static Optimizer optimizer(HdfFile f) {
    if (!(f.getChildren().get("optimizer") instanceof Group o)
        || !(o.getChildren().get("vars") instanceof Group vars) || vars.getChildren().isEmpty()) {
      return null;
    }
    List<Node> ds = new ArrayList<>(vars.getChildren().values());
    ds.sort(Comparator.comparingInt(d -> index(d.getName())));
    List<Stored> out = new ArrayList<>();
    for (Node d : ds) {
      if (d instanceof Dataset data) {
        out.add(stored(d.getName(), d.getName(), data));
      }
    }
    Object first = ((Dataset) ds.get(0)).getData();
    long iteration = first instanceof Number n ? n.longValue()
        : Math.round(out.get(0).values()[0]);
    return new Optimizer(iteration, out);
  }

  private static int index(String name) {
    try {
      return Integer.parseInt(name);
    } catch (NumberFormatException e) {
      return Integer.MAX_VALUE;
    }
  }

  private static boolean hasLayerNames(Group g) {
    return g.getAttributes().containsKey("layer_names")
        || g.getAttributes().containsKey("layer_names0");
  }

  /**
   * A list attribute; Keras splits one too large for an HDF5 object header into
   * {@code name0}, {@code name1}...
   */
  private static List<String> strings(Group g, String name) {
    Map<String, Attribute> attrs = g.getAttributes();
    if (attrs.containsKey(name)) {
      return strings(attrs.get(name));
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; attrs.containsKey(name + i); i++) {
      out.addAll(strings(attrs.get(name + i)));
    }
    return out;
  }

  private static List<String> strings(Attribute a) {
    Object d = a.getData();
    if (d == null) {
      return List.of(); // Keras writes an empty list as an empty attribute
    }
    if (d instanceof String s) {
      return List.of(s);
    }
    return Arrays.stream((Object[]) d).map(String::valueOf).toList();
  }

  /** {@code conv_1/kernel:0} -> {@code kernel}; Keras 1's {@code dense_1_W} stays as it is. */
  private static String shortName(String weightName) {
    String s = weightName.substring(weightName.lastIndexOf('/') + 1);
    int colon = s.lastIndexOf(':');
    return colon > 0 ? s.substring(0, colon) : s;
  }

  private static Stored stored(String name, String path, Dataset d) {
    int[] dims = d.getDimensions();
    long[] shape = Arrays.stream(dims).asLongStream().toArray();
    Object flat = d.isScalar() ? d.getData() : d.getDataFlat();
    float[] v;
    if (flat instanceof float[] f) {
      v = f;
    } else if (flat instanceof double[] x) {
      v = new float[x.length];
      for (int i = 0; i < x.length; i++) {
        v[i] = (float) x[i];
      }
    } else if (flat instanceof Number n) {
      v = new float[] {n.floatValue()};
    } else {
      throw new NotKeras("weight '" + d.getPath() + "' must hold floats; it holds "
          + d.getJavaType().getSimpleName());
    }
    return new Stored(name, path, shape, v);
  }

  // ------------------------------------------------------------------ assignment

  /**
   * The values of every weight of {@code t}, in model order, from {@code c}. Keras 2 files are
   * matched by layer name when the file and the model name the same layers, else by the order
   * of layers with weights (as Keras's {@code load_weights}); Keras 3 files by their paths,
   * which count layers of each class in Keras's layer order.
   */
  static List<float[]> match(Topology t, Contents c, KerasLayout layout, String where) {
    if (layout != null && layout.nested()) {
      return nested(t, c, layout, where);
    }
    Map<String, List<Stored>> byLayer = c.keras3() ? keras3(t, c, where) : c.layers();
    List<Integer> weighted = new ArrayList<>();
    for (int i = 0; i < t.layers().size(); i++) {
      if (!t.weights(i).isEmpty()) {
        weighted.add(i);
      }
    }
    Map<String, List<Stored>> fileWeighted = new LinkedHashMap<>();
    byLayer.forEach((k, v) -> {
      if (!v.isEmpty()) {
        fileWeighted.put(k, v);
      }
    });
    Set<String> modelNames = new TreeSet<>();
    weighted.forEach(i -> modelNames.add(t.layerNames().get(i)));
    boolean byName = modelNames.equals(new TreeSet<>(fileWeighted.keySet()));
    if (!byName && (c.keras3() || fileWeighted.size() != weighted.size())) {
      throw new IllegalArgumentException(where + ": the file's weights must fit the model;"
          + " the file has weights for " + fileWeighted.size() + " layers "
          + fileWeighted.keySet() + ", the model has " + weighted.size() + " layers with"
          + " weights " + modelNames + ".");
    }
    List<String> fileOrder = new ArrayList<>(fileWeighted.keySet());
    List<float[]> values = new ArrayList<>();
    for (int k = 0; k < weighted.size(); k++) {
      int i = weighted.get(k);
      String name = t.layerNames().get(i);
      List<Stored> stored = fileWeighted.get(byName ? name : fileOrder.get(k));
      values.addAll(layer(t.layers().get(i), name, t.weights(i), stored, where));
    }
    return values;
  }

  /**
   * The values of a model that nests models, found where {@code layout} says Keras keeps each
   * layer's weights; every weighted layer must find its weights, and every weight in the file
   * its layer.
   */
  private static List<float[]> nested(Topology t, Contents c, KerasLayout layout,
      String where) {
    Map<String, List<Stored>> byLayer = new LinkedHashMap<>();
    Set<String> unused = new TreeSet<>();
    c.layers().forEach((key, w) -> {
      if (!w.isEmpty()) {
        unused.add(key);
      }
    });
    if (c.keras3()) {
      layout.keras3Paths().forEach((name, path) -> {
        if (c.layers().containsKey(path)) {
          byLayer.put(name, c.layers().get(path));
          unused.remove(path);
        }
      });
    } else {
      byLayer.putAll(layout.keras2(c.layers(), where));
      layout.items().forEach(i -> unused.remove(i.kerasName()));
    }
    Map<String, String> paths = layout.keras3Paths();
    List<float[]> values = new ArrayList<>();
    for (int i = 0; i < t.layers().size(); i++) {
      if (t.weights(i).isEmpty()) {
        continue;
      }
      String name = t.layerNames().get(i);
      List<Stored> stored = byLayer.get(name);
      if (stored == null) {
        throw new IllegalArgumentException(where + ": the file must hold the weights of layer '"
            + name + "' (" + t.layers().get(i).type() + "); it has none "
            + (c.keras3() ? "under layers/" + paths.get(name) : "for it") + ".");
      }
      values.addAll(layer(t.layers().get(i), name, t.weights(i), stored, where));
    }
    if (!unused.isEmpty()) {
      throw new IllegalArgumentException(where + ": the file's weights must fit the model; it"
          + " has weights " + (c.keras3() ? "under layers/" : "for layers ") + unused
          + ", which the model does not have.");
    }
    return values;
  }

  /** One layer's values in Kava's order: by weight name if the names match, else in order. */
  private static List<float[]> layer(Layer layer, String name, List<WeightSpec> specs,
      List<Stored> stored, String where) {
    String subject = "layer '" + name + "' (" + layer.type() + ")";
    List<String> want = specs.stream().map(WeightSpec::name).toList();
    List<String> have = stored.stream().map(Stored::name).toList();
    if (stored.size() != specs.size()) {
      throw new IllegalArgumentException(where + ": " + subject + " needs " + specs.size()
          + " weights " + want + "; the file has " + stored.size() + " " + have + ".");
    }
    boolean byName = new TreeSet<>(want).equals(new TreeSet<>(have));
    List<float[]> out = new ArrayList<>();
    for (int j = 0; j < specs.size(); j++) {
      WeightSpec spec = specs.get(j);
      Stored s = byName ? stored.get(have.indexOf(spec.name())) : stored.get(j);
      if (!Arrays.equals(s.shape(), spec.shape().asArray())) {
        throw new IllegalArgumentException(where + ": " + subject + " weight '" + spec.name()
            + "' must have shape " + Checks.shape(spec.shape()) + "; the file's '" + s.name()
            + "' has shape " + s.shapeText() + ".");
      }
      out.add(s.values());
    }
    return out;
  }

  /**
   * Keras 3 paths as the model's layers: Keras 3 saves each layer under its class name in
   * snake case, numbered per class in layer order ({@code dense}, {@code dense_1}; see
   * {@code keras/src/saving/saving_lib.py}). A file whose paths do not fit that count but are
   * exactly the names of the model's layers with weights is matched by name.
   */
  private static Map<String, List<Stored>> keras3(Topology t, Contents c, String where) {
    Map<String, List<Stored>> out = new LinkedHashMap<>();
    Set<String> inFile = new TreeSet<>();
    c.layers().forEach((path, w) -> {
      if (!w.isEmpty()) {
        inFile.add(path);
      }
    });
    Set<String> weightedNames = new TreeSet<>();
    for (int i = 0; i < t.layers().size(); i++) {
      if (!t.weights(i).isEmpty()) {
        weightedNames.add(t.layerNames().get(i));
      }
    }
    Map<String, String> pathOf = new LinkedHashMap<>();
    Map<String, Integer> used = new LinkedHashMap<>();
    for (int i = 0; i < t.layers().size(); i++) {
      String base = snakeCase(t.layers().get(i).type());
      int n = used.merge(base, 1, Integer::sum) - 1;
      if (!t.weights(i).isEmpty()) {
        pathOf.put(t.layerNames().get(i), n == 0 ? base : base + "_" + n);
      }
    }
    if (!inFile.equals(new TreeSet<>(pathOf.values())) && inFile.equals(weightedNames)) {
      return c.layers();
    }
    if (!inFile.equals(new TreeSet<>(pathOf.values()))) {
      throw new IllegalArgumentException(where + ": the file's weights must fit the model; the"
          + " file has weights under layers/" + inFile + ", the model's layers with weights "
          + pathOf.keySet() + " are saved by Keras 3 under layers/" + pathOf.values() + ".");
    }
    pathOf.forEach((name, path) -> out.put(name, c.layers().get(path)));
    return out;
  }

  /** Keras's {@code naming.to_snake_case}: {@code BatchNormalization} -> batch_normalization. */
  static String snakeCase(String className) {
    String s = className.replaceAll("\\W+", "");
    s = s.replaceAll("(.)([A-Z][a-z]+)", "$1_$2");
    return s.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
  }
}
