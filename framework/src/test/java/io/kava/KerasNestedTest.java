package io.kava;

import static io.kava.KerasModelTest.INPUT;
import static io.kava.KerasModelTest.k3;
import static io.kava.TestArrays.flat;
import static io.kava.TestArrays.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import io.kava.layers.Activation;
import io.kava.layers.Add;
import io.kava.layers.BatchNormalization;
import io.kava.layers.Dense;
import io.kava.layers.Input;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.FloatNdArray;

/**
 * Keras files whose config uses a model as a layer: the nested model's layers are flattened
 * into the Kava graph, and its weights are found where Keras nests them.
 */
class KerasNestedTest {
  @TempDir
  Path dir;

  static final float[][] K1 = {{1, -1, 0.5f}, {0.25f, 2, -1}, {0.5f, 0, 1}, {-1, 1, 0.5f}};
  static final float[] B1 = {0.1f, 0, -0.2f};
  static final float[][] K2 = {{0.5f, 0, 1}, {1, -1, 0.5f}, {0, 0.5f, -0.5f}, {2, 0, 1}};
  static final float[] B2 = {0, 0.3f, 0.1f};
  static final float[] GAMMA = {1, 2, 0.5f};
  static final float[] BETA = {0, 0.1f, -0.1f};
  static final float[] MEAN = {0.5f, 0.25f, 0};
  static final float[] VAR = {1, 0.5f, 2};
  static final float[][] KH = {{1, -1}, {0.5f, 0.5f}, {-2, 1}};
  static final float[] BH = {0, 0.3f};

  /** The same computation without nesting: d1 and d2 on the input, added, normalized, head. */
  static Model flatModel() {
    Input in = Input.of(4).name("in");
    Node d1 = Dense.of(3).activation(Activation.RELU).name("d1").apply(in);
    Node d2 = Dense.of(3).name("d2").apply(in);
    Node bn = BatchNormalization.of().name("bn").apply(Add.of().name("sum").apply(d1, d2));
    Model m = Model.of(in, Dense.of(2).activation(Activation.SOFTMAX).name("head").apply(bn));
    m.setWeights(List.of(TestArrays.matrix(K1), TestArrays.vector(B1), TestArrays.matrix(K2),
        TestArrays.vector(B2), TestArrays.vector(GAMMA), TestArrays.vector(BETA),
        TestArrays.vector(MEAN), TestArrays.vector(VAR), TestArrays.matrix(KH),
        TestArrays.vector(BH)));
    return m;
  }

  static void assertSamePredictions(Model expected, Model actual) {
    FloatNdArray x = uniform(7, -2, 2, 5, 4);
    assertArrayEquals(flat(expected.predict(x)), flat(actual.predict(x)), 1e-6f);
  }

  /** Keras 3's Functional "base" (x -> d1, d2 -> sum -> bn), in Keras 3's serialization. */
  static String keras3Base() {
    String dense = "\"units\": 3, \"use_bias\": true";
    return "{\"module\": \"keras.src.models.functional\", \"class_name\": \"Functional\","
        + " \"config\": {\"name\": \"base\", \"trainable\": true, \"layers\": [" + INPUT + ", "
        + k3("Dense", "d1", dense + ", \"activation\": \"relu\"", "x") + ", "
        + k3("Dense", "d2", dense + ", \"activation\": \"linear\"", "x") + ", "
        + k3("Add", "sum", "", "d1", "d2") + ", "
        + k3("BatchNormalization", "bn", "\"axis\": -1, \"epsilon\": 0.001", "sum")
        + "], \"input_layers\": [\"x\", 0, 0], \"output_layers\": [\"bn\", 0, 0]},"
        + " \"registered_name\": \"Functional\", \"build_config\": {\"input_shape\":"
        + " [null, 4]}}";
  }

  @Test
  void keras3SequentialHoldingAFunctionalBaseLoadsFromLayersFunctionalLayers() throws Exception {
    // As Sequential([base, Dense(2)]) saves: the outer head is named as an inner layer (d1),
    // which Keras allows across models and Kava renames.
    String config = "{\"module\": \"keras\", \"class_name\": \"Sequential\", \"config\":"
        + " {\"name\": \"outer\", \"trainable\": true, \"layers\": [{\"module\": \"keras.layers\","
        + " \"class_name\": \"InputLayer\", \"config\": {\"batch_shape\": [null, 4], \"dtype\":"
        + " \"float32\", \"sparse\": false, \"name\": \"in\"}, \"registered_name\": null}, "
        + keras3Base() + ", {\"module\": \"keras.layers\", \"class_name\": \"Dense\","
        + " \"config\": {\"name\": \"d1\", \"trainable\": true, \"units\": 2, \"activation\":"
        + " \"softmax\", \"use_bias\": true}, \"registered_name\": null}],"
        + " \"build_input_shape\": [null, 4]}, \"registered_name\": null}";
    Path weights = dir.resolve("model.weights.h5");
    try (WritableHdfFile f = HdfFile.write(weights)) {
      WritableGroup layers = f.putGroup("layers");
      WritableGroup inner = layers.putGroup("functional").putGroup("layers");
      vars(inner, "dense", K1, B1);
      vars(inner, "dense_1", K2, B2);
      vars(inner, "batch_normalization", GAMMA, BETA, MEAN, VAR);
      vars(layers, "dense", KH, BH);
    }
    Path file = dir.resolve("nested.keras");
    try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(file))) {
      z.putNextEntry(new ZipEntry("config.json"));
      z.write(config.getBytes(StandardCharsets.UTF_8));
      z.putNextEntry(new ZipEntry("model.weights.h5"));
      z.write(Files.readAllBytes(weights));
    }
    try (Model expected = flatModel(); Model m = Model.loadKeras(file)) {
      assertEquals(List.of("d1", "d2", "sum", "bn", "d1_1"), m.topology().layerNames());
      assertSamePredictions(expected, m);
      // The same file's weights, and the Keras 3 .weights.h5 alone, load into the config.
      try (Model n = Model.fromKerasJson(config)) {
        n.loadKerasWeights(weights);
        assertSamePredictions(expected, n);
      }
    }
  }

  private static void vars(WritableGroup parent, String path, Object... values) {
    WritableGroup v = parent.putGroup(path).putGroup("vars");
    for (int i = 0; i < values.length; i++) {
      v.putDataset(Integer.toString(i), values[i]);
    }
  }

  /** Keras 2's functional outer model calling the frozen functional "base" (Keras 2 dialect). */
  static String keras2Outer() {
    String dense = "\"units\": 3, \"use_bias\": true, \"dtype\": \"float32\"";
    return "{\"class_name\": \"Functional\", \"config\": {\"name\": \"outer\", \"layers\": ["
        + "{\"class_name\": \"InputLayer\", \"config\": {\"batch_input_shape\": [null, 4],"
        + " \"dtype\": \"float32\", \"name\": \"in\"}, \"name\": \"in\", \"inbound_nodes\": []},"
        + " {\"class_name\": \"Functional\", \"config\": {\"name\": \"base\", \"trainable\":"
        + " false, \"layers\": [{\"class_name\": \"InputLayer\", \"config\":"
        + " {\"batch_input_shape\": [null, 4], \"name\": \"x\"}, \"name\": \"x\","
        + " \"inbound_nodes\": []},"
        + " {\"class_name\": \"Dense\", \"config\": {\"name\": \"d1\", " + dense + ","
        + " \"activation\": \"relu\"}, \"name\": \"d1\", \"inbound_nodes\": [[[\"x\", 0, 0, {}]]]},"
        + " {\"class_name\": \"Dense\", \"config\": {\"name\": \"d2\", " + dense + ","
        + " \"activation\": \"linear\"}, \"name\": \"d2\", \"inbound_nodes\":"
        + " [[[\"x\", 0, 0, {}]]]},"
        + " {\"class_name\": \"Add\", \"config\": {\"name\": \"sum\"}, \"name\": \"sum\","
        + " \"inbound_nodes\": [[[\"d1\", 0, 0, {}], [\"d2\", 0, 0, {}]]]},"
        + " {\"class_name\": \"BatchNormalization\", \"config\": {\"name\": \"bn\", \"axis\": [1],"
        + " \"epsilon\": 0.001}, \"name\": \"bn\", \"inbound_nodes\": [[[\"sum\", 0, 0, {}]]]}],"
        + " \"input_layers\": [[\"x\", 0, 0]], \"output_layers\": [[\"bn\", 0, 0]]},"
        + " \"name\": \"base\", \"inbound_nodes\": [[[\"in\", 0, 0, {}]]]},"
        // Keras 2 numbers a nested functional model's calls from 1: its node 0 is its own.
        + " {\"class_name\": \"Dense\", \"config\": {\"name\": \"head\", \"units\": 2,"
        + " \"activation\": \"softmax\"}, \"name\": \"head\", \"inbound_nodes\":"
        + " [[[\"base\", 1, 0, {}]]]}],"
        + " \"input_layers\": [[\"in\", 0, 0]], \"output_layers\": [[\"head\", 0, 0]]}}";
  }

  /** A Keras 2 full-model .h5: the nested model's weights in its group, named layer/weight. */
  private Path keras2File(String d1) {
    Path file = dir.resolve("nested.h5");
    try (WritableHdfFile f = HdfFile.write(file)) {
      f.putAttribute("model_config", keras2Outer());
      f.putAttribute("backend", "tensorflow");
      WritableGroup mw = f.putGroup("model_weights");
      mw.putAttribute("layer_names", new String[] {"base", "head"});
      WritableGroup base = mw.putGroup("base");
      // Keras 2 lists a model's trainable weights before its non-trainable ones.
      base.putAttribute("weight_names", new String[] {"base/" + d1 + "/kernel:0",
          "base/" + d1 + "/bias:0",
          "base/d2/kernel:0", "base/d2/bias:0", "base/bn/gamma:0", "base/bn/beta:0",
          "base/bn/moving_mean:0", "base/bn/moving_variance:0"});
      WritableGroup inner = base.putGroup("base");
      WritableGroup first = inner.putGroup(d1);
      first.putDataset("kernel:0", K1);
      first.putDataset("bias:0", B1);
      WritableGroup d2 = inner.putGroup("d2");
      d2.putDataset("kernel:0", K2);
      d2.putDataset("bias:0", B2);
      WritableGroup bn = inner.putGroup("bn");
      bn.putDataset("gamma:0", GAMMA);
      bn.putDataset("beta:0", BETA);
      bn.putDataset("moving_mean:0", MEAN);
      bn.putDataset("moving_variance:0", VAR);
      WritableGroup head = mw.putGroup("head");
      head.putAttribute("weight_names", new String[] {"head/kernel:0", "head/bias:0"});
      WritableGroup h = head.putGroup("head");
      h.putDataset("kernel:0", KH);
      h.putDataset("bias:0", BH);
    }
    return file;
  }

  @Test
  void keras2FunctionalCallingAFrozenFunctionalLoadsFromTheNestedModelsGroup() throws Exception {
    try (Model expected = flatModel(); Model m = Model.loadKeras(keras2File("d1"))) {
      assertSamePredictions(expected, m);
      assertEquals(List.of("d1", "d2", "sum", "bn"), m.frozenLayers());
    }
  }

  @Test
  void aNestedWeightNamingNoLayerOfItsModelIsRefused() throws IOException {
    Path file = keras2File("dx");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Model.loadKeras(file).close());
    assertEquals("Model.loadKeras: " + file + ": weight 'base/dx/kernel:0' of nested model"
        + " 'base' must name one of its layers as <layer>/<weight>; got layer 'dx', which the"
        + " model does not have (its layers: [d1, d2, sum, bn]).", e.getMessage());
  }
}
