package io.kava;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.kava.layers.Activation;
import io.kava.layers.Add;
import io.kava.layers.BatchNormalization;
import io.kava.layers.Concatenate;
import io.kava.layers.Conv2D;
import io.kava.layers.Dense;
import io.kava.layers.FillMode;
import io.kava.layers.Flatten;
import io.kava.layers.GlobalAveragePooling2D;
import io.kava.layers.Input;
import io.kava.layers.Interpolation;
import io.kava.layers.MaxPooling2D;
import io.kava.layers.RandomFlip;
import io.kava.layers.RandomRotation;
import io.kava.layers.RandomTranslation;
import io.kava.layers.RandomZoom;
import io.kava.layers.ReLU;
import io.kava.losses.CategoricalCrossentropy;
import io.kava.losses.Loss;
import io.kava.losses.MeanSquaredError;
import io.kava.metrics.Accuracy;
import io.kava.optimizers.Adam;
import io.kava.optimizers.SGD;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;

/** {@link Model#saveKeras}: Keras 3's layout, and round trips through {@link Model#loadKeras}. */
class KerasSaveTest {
  @TempDir
  Path dir;

  /** Sets every weight to values from {@code seed}, positive so variances stay valid. */
  static void randomize(Model m, long seed) {
    Random r = new Random(seed);
    List<FloatNdArray> w = new ArrayList<>();
    for (FloatNdArray a : m.getWeights()) {
      a.scalars().forEach(s -> s.setFloat(0.05f + r.nextFloat()));
      w.add(a);
    }
    m.setWeights(w);
  }

  static Map<String, FloatNdArray> byName(Model m) {
    Map<String, FloatNdArray> out = new java.util.TreeMap<>();
    List<FloatNdArray> w = m.getWeights();
    for (int i = 0; i < w.size(); i++) {
      out.put(m.weightNames().get(i), w.get(i));
    }
    return out;
  }

  static FloatNdArray random(long seed, long... shape) {
    Random r = new Random(seed);
    FloatNdArray a = NdArrays.ofFloats(Shape.of(shape));
    a.scalars().forEach(s -> s.setFloat((float) r.nextGaussian()));
    return a;
  }

  /**
   * Two inputs, two outputs; a Dense shared by both branches, a frozen bias-free Conv2D, a
   * BatchNormalization with its four weights, Concatenate and Add.
   */
  static Model twoHeads() {
    Input img = Input.of(8, 8, 3).name("image");
    Input meta = Input.of(5).name("meta");
    Node c = Conv2D.of(4, 3).useBias(false).name("conv").apply(img);
    c = BatchNormalization.of().name("bn").apply(c);
    c = ReLU.of().apply(c);
    c = MaxPooling2D.of(2).apply(c);
    Node f = GlobalAveragePooling2D.of().apply(c);
    Dense shared = Dense.of(4).activation(Activation.TANH).name("shared");
    Node a = shared.apply(f);
    Node b = shared.apply(Dense.of(4).name("meta_dense").apply(meta));
    Node joined = Concatenate.of().apply(a, b);
    Node cls = Dense.of(3).activation(Activation.SOFTMAX).name("cls").apply(joined);
    Node reg = Dense.of(1).name("reg").apply(Add.of().apply(a, b));
    return Model.of(List.of(img, meta), List.of(cls, reg)).name("two_heads");
  }

  static JsonNode entry(Path keras, String name) throws IOException {
    try (ZipFile z = new ZipFile(keras.toFile());
        InputStream in = z.getInputStream(z.getEntry(name))) {
      return new ObjectMapper().readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void functionalModelWithSharedFrozenAndBatchNormLayersRoundTrips() throws Exception {
    Path file = dir.resolve("two_heads.keras");
    Map<String, FloatNdArray> x = Map.of("image", random(1, 2, 8, 8, 3), "meta",
        random(2, 2, 5));
    Map<String, FloatNdArray> before;
    Map<String, FloatNdArray> weights;
    try (Model m = twoHeads()) {
      m.freeze("conv");
      Map<String, Loss> losses = Map.of("cls", new CategoricalCrossentropy(), "reg",
          new MeanSquaredError());
      m.compile(new Adam(0.002), losses, Map.of("reg", 0.5), new Accuracy());
      randomize(m, 7);
      before = m.predict(x);
      weights = byName(m);
      m.saveKeras(file);
    }
    try (Model back = Model.loadKeras(file)) {
      assertFalse(back instanceof Sequential);
      assertEquals("two_heads", back.name());
      assertEquals(List.of("image", "meta"), back.inputNames());
      assertEquals(List.of("cls", "reg"), back.outputNames());
      assertEquals(List.of("conv"), back.frozenLayers());
      // Keras orders layers by depth (meta_dense before shared), so compare by name.
      assertEquals(weights, byName(back));
      assertEquals(before, back.predict(x));
      assertEquals(0.002, back.learningRate(), 1e-9);
    }
    try (ZipFile z = new ZipFile(file.toFile())) {
      assertEquals(List.of("metadata.json", "config.json", "model.weights.h5"),
          z.stream().map(ZipEntry::getName).toList());
    }
  }

  @Test
  void configFollowsKeras3Serialization() throws Exception {
    Path file = dir.resolve("m.keras");
    try (Model m = twoHeads()) {
      m.freeze("conv");
      m.compile(new SGD(0.1), Map.of("cls", new CategoricalCrossentropy(), "reg",
          new MeanSquaredError()), new Accuracy());
      m.saveKeras(file);
    }
    assertEquals(KerasSave.KERAS_VERSION, entry(file, "metadata.json").path("keras_version")
        .asText());
    JsonNode root = entry(file, "config.json");
    assertEquals("Functional", root.path("class_name").asText());
    assertEquals("keras.src.models.functional", root.path("module").asText());
    assertEquals("Functional", root.path("registered_name").asText());
    JsonNode config = root.path("config");
    assertEquals("[[\"image\",0,0],[\"meta\",0,0]]", config.path("input_layers").toString());
    assertEquals("[[\"cls\",0,0],[\"reg\",0,0]]", config.path("output_layers").toString());
    List<String> names = new ArrayList<>();
    config.path("layers").forEach(l -> names.add(l.path("name").asText()));
    // Keras's map_graph order: by depth from the outputs, deepest first.
    assertEquals(List.of("image", "conv", "bn", "re_lu", "max_pooling2d", "meta",
        "global_average_pooling2d", "meta_dense", "shared", "concatenate", "add", "cls", "reg"),
        names);
    JsonNode conv = config.path("layers").get(1);
    assertEquals("keras.layers", conv.path("module").asText());
    assertEquals("Conv2D", conv.path("class_name").asText());
    assertTrue(conv.path("registered_name").isNull());
    JsonNode cc = conv.path("config");
    assertFalse(cc.path("trainable").asBoolean(true));
    assertFalse(cc.path("use_bias").asBoolean(true));
    assertEquals("[3,3]", cc.path("kernel_size").toString());
    assertEquals("channels_last", cc.path("data_format").asText());
    assertEquals("{\"module\":\"keras\",\"class_name\":\"DTypePolicy\",\"config\":{\"name\":"
        + "\"float32\"},\"registered_name\":null}", cc.path("dtype").toString());
    assertEquals("{\"module\":\"keras.initializers\",\"class_name\":\"GlorotUniform\","
        + "\"config\":{\"seed\":null},\"registered_name\":null}",
        cc.path("kernel_initializer").toString());
    assertEquals("{\"input_shape\":[null,8,8,3]}", conv.path("build_config").toString());
    assertEquals("[{\"args\":[{\"class_name\":\"__keras_tensor__\",\"config\":{\"shape\":"
        + "[null,8,8,3],\"dtype\":\"float32\",\"keras_history\":[\"image\",0,0]}}],"
        + "\"kwargs\":{}}]", conv.path("inbound_nodes").toString());
    JsonNode shared = config.path("layers").get(8);
    assertEquals(2, shared.path("inbound_nodes").size());
    assertEquals("[\"meta_dense\",0,0]", shared.path("inbound_nodes").get(1).path("args")
        .get(0).path("config").path("keras_history").toString());
    JsonNode add = config.path("layers").get(10);
    assertEquals("[[\"shared\",0,0], [\"shared\",1,0]]", add.path("inbound_nodes").get(0)
        .path("args").get(0).findValues("keras_history").toString());
    JsonNode input = config.path("layers").get(0);
    assertEquals("{\"batch_shape\":[null,8,8,3],\"dtype\":\"float32\",\"sparse\":false,"
        + "\"name\":\"image\"}", input.path("config").toString());
    JsonNode compile = root.path("compile_config");
    assertEquals("SGD", compile.path("optimizer").path("class_name").asText());
    assertEquals(0.1, compile.path("optimizer").path("config").path("learning_rate")
        .asDouble(), 1e-9);
    assertEquals("CategoricalCrossentropy", compile.path("loss").path("cls").path("class_name")
        .asText());
    assertEquals("[\"accuracy\"]", compile.path("metrics").toString());

    // Weights at saving_lib's paths: layers/<snake_case class>[_n]/vars/<i>.
    byte[] h5;
    try (ZipFile z = new ZipFile(file.toFile());
        InputStream in = z.getInputStream(z.getEntry("model.weights.h5"))) {
      h5 = in.readAllBytes();
    }
    try (HdfFile f = HdfFile.fromBytes(h5)) {
      assertEquals(List.of(4), List.of(((Dataset) f.getByPath("layers/batch_normalization/vars/3"))
          .getDimensions()[0]));
      assertArrayEquals(new int[] {3, 3, 3, 4},
          ((Dataset) f.getByPath("layers/conv2d/vars/0")).getDimensions());
      assertEquals(1, ((io.jhdf.api.Group) f.getByPath("layers/conv2d/vars")).getChildren()
          .size());
      assertArrayEquals(new int[] {5, 4},
          ((Dataset) f.getByPath("layers/dense/vars/0")).getDimensions()); // meta_dense
      assertArrayEquals(new int[] {4, 4},
          ((Dataset) f.getByPath("layers/dense_1/vars/0")).getDimensions()); // shared
      assertArrayEquals(new int[] {8, 3},
          ((Dataset) f.getByPath("layers/dense_2/vars/0")).getDimensions()); // cls
      assertEquals(java.util.Set.of("conv2d", "batch_normalization", "dense", "dense_1",
          "dense_2", "dense_3"), ((io.jhdf.api.Group) f.getChild("layers")).getChildren()
          .keySet());
    }
  }

  @Test
  void sequentialRoundTripsAsSequentialAndReplacesAnOlderFile() throws Exception {
    Path file = dir.resolve("seq.keras");
    Files.writeString(file, "old");
    FloatNdArray x = random(3, 4, 6, 6, 1);
    FloatNdArray before;
    try (Sequential s = new Sequential(Input.of(6, 6, 1))) {
      s.add(Conv2D.of(2, 3).activation(Activation.RELU));
      s.add(BatchNormalization.of().center(false));
      s.add(Flatten.of());
      s.add(Dense.of(3).activation(Activation.SWISH));
      s.add(Dense.of(2).activation(Activation.SOFTMAX));
      s.name("small");
      s.compile(new Adam(), new CategoricalCrossentropy(), Accuracy.categorical());
      randomize(s, 11);
      before = s.predict(x);
      s.saveKeras(file);
    }
    try (Model back = Model.loadKeras(file)) {
      Sequential s = assertInstanceOf(Sequential.class, back);
      assertEquals("small", s.name());
      assertEquals(before, s.predict(x));
      assertEquals(0.001, s.learningRate(), 1e-9);
    }
    JsonNode root = entry(file, "config.json");
    assertEquals("Sequential", root.path("class_name").asText());
    assertEquals("[null,6,6,1]", root.path("config").path("build_input_shape").toString());
    assertEquals("InputLayer", root.path("config").path("layers").get(0).path("class_name")
        .asText());
    assertEquals("silu", root.path("config").path("layers").get(4).path("config")
        .path("activation").asText());
    assertEquals("[\"categorical_accuracy\"]", root.path("compile_config").path("metrics")
        .toString());
    try (var files = Files.list(dir)) {
      assertEquals(List.of("seq.keras"), files.map(p -> p.getFileName().toString()).toList());
    }
  }

  @Test
  void oneInputAndOneOutputAreWrittenAsTensorsAsKerasDoes() throws Exception {
    Input in = Input.of(3);
    Path file = dir.resolve("one.keras");
    try (Model m = Model.of(in, Dense.of(2).name("out").apply(in))) {
      m.saveKeras(file);
    }
    JsonNode config = entry(file, "config.json").path("config");
    assertEquals("[\"input_layer\",0,0]", config.path("input_layers").toString());
    assertEquals("[\"out\",0,0]", config.path("output_layers").toString());
    try (Model back = Model.loadKeras(file)) {
      assertEquals(List.of("out"), back.outputNames());
    }
  }

  @Test
  void augmentationLayersAreWrittenWithKeras3ConfigsAndReadBack() throws Exception {
    Input in = Input.of(8, 8, 3);
    Node h = RandomFlip.of(RandomFlip.Mode.HORIZONTAL).name("flip").apply(in);
    h = RandomRotation.of(0.1).fillMode(FillMode.NEAREST).name("rot").apply(h);
    h = RandomZoom.of(0.2).heightRange(-0.3, 0.1).name("zoom").apply(h);
    h = RandomTranslation.of(0.1, 0.2).fillValue(0.5).interpolation(Interpolation.NEAREST)
        .name("shift").apply(h);
    Node out = Dense.of(2).apply(Flatten.of().apply(h));
    Path file = dir.resolve("augment.keras");
    FloatNdArray x = random(3, 2, 8, 8, 3);
    List<String> layers;
    FloatNdArray before;
    try (Model m = Model.of(in, out)) {
      randomize(m, 5);
      before = m.predict(x);
      layers = m.topology().layers().stream().map(Object::toString).toList();
      m.saveKeras(file);
    }
    JsonNode config = entry(file, "config.json").path("config").path("layers");
    ObjectMapper json = new ObjectMapper();
    String dtype = "\"dtype\": {\"module\": \"keras\", \"class_name\": \"DTypePolicy\","
        + " \"config\": {\"name\": \"float32\"}, \"registered_name\": null}";
    assertEquals(json.readTree("{\"name\": \"flip\", \"trainable\": true, " + dtype + ","
        + " \"seed\": null, \"mode\": \"horizontal\", \"data_format\": \"channels_last\"}"),
        config.get(1).get("config"));
    assertEquals(json.readTree("{\"name\": \"rot\", \"trainable\": true, " + dtype + ","
        + " \"factor\": [-0.1, 0.1], \"data_format\": \"channels_last\", \"fill_mode\":"
        + " \"nearest\", \"fill_value\": 0.0, \"interpolation\": \"bilinear\", \"seed\": null}"),
        config.get(2).get("config"));
    assertEquals(json.readTree("{\"name\": \"zoom\", \"trainable\": true, " + dtype + ","
        + " \"height_factor\": [-0.3, 0.1], \"width_factor\": null, \"fill_mode\":"
        + " \"reflect\", \"interpolation\": \"bilinear\", \"seed\": null, \"fill_value\": 0.0,"
        + " \"data_format\": \"channels_last\"}"), config.get(3).get("config"));
    assertEquals(json.readTree("{\"name\": \"shift\", \"trainable\": true, " + dtype + ","
        + " \"height_factor\": 0.1, \"width_factor\": 0.2, \"fill_mode\": \"reflect\","
        + " \"interpolation\": \"nearest\", \"seed\": null, \"fill_value\": 0.5,"
        + " \"data_format\": \"channels_last\"}"), config.get(4).get("config"));
    try (Model back = Model.loadKeras(file)) {
      // Every setting comes back; a loaded model keeps the names, not its layers.
      assertEquals(layers.stream().map(l -> l.replaceAll(", name=\\w+", "")).toList(),
          back.topology().layers().stream().map(Object::toString).toList());
      assertEquals(List.of("flip", "rot", "zoom", "shift"),
          back.topology().layerNames().subList(0, 4));
      assertEquals(before, back.predict(x));
    }
  }

  @Test
  void layersKerasCannotRebuildAreAllListed() {
    Input in = Input.of(4, 4, 1);
    Node h = new CustomLayerTest.Square(2).apply(in);
    h = new CustomLayerTest.Square(3).apply(h);
    Node out = Dense.of(2).apply(Flatten.of().apply(h));
    Path file = dir.resolve("bad.keras");
    try (Model m = Model.of(in, out)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> m.saveKeras(file));
      assertTrue(e.getMessage().startsWith("Model 'functional'.saveKeras: " + file + ": the"
          + " model cannot be saved as a Keras file; 2 of its 4 layers have no Keras 3"
          + " counterpart:\n  layers[0] 'square' (Square): a custom layer"
          + " (io.kava.CustomLayerTest$Square)"), e.getMessage());
      assertTrue(e.getMessage().contains("\n  layers[1] 'square_1' (Square): a custom layer"),
          e.getMessage());
    }
    assertFalse(Files.exists(file));
  }
}
