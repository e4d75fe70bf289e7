package io.kava;

import static io.kava.KerasFixturesTest.LENET;
import static io.kava.KerasFixturesTest.MLP;
import static io.kava.TestArrays.array;
import static io.kava.TestArrays.flat;
import static io.kava.TestArrays.shape;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keras 3 files ({@code .weights.h5}, {@code .keras}) written here in Keras 3's layout, the
 * training-config mapping, and the errors for files that do not fit.
 */
class KerasFilesTest {
  @TempDir
  Path dir;

  /** Keras 3's config.json of x(2) -> Dense(3, relu) -> BatchNormalization -> Dense(2, softmax). */
  static String keras3Sequential(String compileConfig) {
    String dtype = "\"dtype\": {\"module\": \"keras\", \"class_name\": \"DTypePolicy\","
        + " \"config\": {\"name\": \"float32\"}, \"registered_name\": null}";
    return "{\"module\": \"keras\", \"class_name\": \"Sequential\", \"config\": {\"name\":"
        + " \"tiny\", \"trainable\": true, " + dtype + ", \"layers\": ["
        + "{\"module\": \"keras.layers\", \"class_name\": \"InputLayer\", \"config\":"
        + " {\"batch_shape\": [null, 2], \"dtype\": \"float32\", \"sparse\": false, \"name\":"
        + " \"input_layer\"}, \"registered_name\": null},"
        + "{\"module\": \"keras.layers\", \"class_name\": \"Dense\", \"config\": {\"name\":"
        + " \"hidden\", \"trainable\": true, " + dtype + ", \"units\": 3,"
        + " \"activation\": \"relu\", \"use_bias\": true}, \"registered_name\": null,"
        + " \"build_config\": {\"input_shape\": [null, 2]}},"
        + "{\"module\": \"keras.layers\", \"class_name\": \"BatchNormalization\", \"config\":"
        + " {\"name\": \"bn\", " + dtype + ", \"axis\": -1, \"momentum\": 0.99, \"epsilon\": 0.5,"
        + " \"center\": true, \"scale\": true}, \"registered_name\": null},"
        + "{\"module\": \"keras.layers\", \"class_name\": \"Dense\", \"config\": {\"name\":"
        + " \"out\", " + dtype + ", \"units\": 2, \"activation\": \"softmax\"},"
        + " \"registered_name\": null}], \"build_input_shape\": [null, 2]},"
        + " \"registered_name\": null"
        + (compileConfig == null ? "" : ", \"compile_config\": " + compileConfig) + "}";
  }

  static final float[][] K1 = {{1, -1, 0.5f}, {0.25f, 2, -1}};
  static final float[] B1 = {0.1f, 0, -0.2f};
  static final float[] GAMMA = {1, 2, 0.5f};
  static final float[] BETA = {0, 0.1f, -0.1f};
  static final float[] MEAN = {0.5f, 0.25f, 0};
  static final float[] VAR = {1, 0.5f, 2};
  static final float[][] K2 = {{1, -1}, {0.5f, 0.5f}, {-2, 1}};
  static final float[] B2 = {0, 0.3f};

  /** Keras 3's weights layout: layers/<snake_case class>[_n]/vars/<i>. */
  static void writeKeras3Weights(Path file) {
    try (WritableHdfFile f = HdfFile.write(file)) {
      WritableGroup layers = f.putGroup("layers");
      layers.putGroup("input_layer").putGroup("vars");
      WritableGroup d = layers.putGroup("dense").putGroup("vars");
      d.putDataset("0", K1);
      d.putDataset("1", B1);
      WritableGroup bn = layers.putGroup("batch_normalization").putGroup("vars");
      bn.putDataset("0", GAMMA);
      bn.putDataset("1", BETA);
      bn.putDataset("2", MEAN);
      bn.putDataset("3", VAR);
      WritableGroup d1 = layers.putGroup("dense_1").putGroup("vars");
      d1.putDataset("0", K2);
      d1.putDataset("1", B2);
      // Keras 3 also writes top-level "optimizer" and "vars" groups; jHDF 0.9.4 writes a file
      // it cannot read back when the root gets more groups after this one, so they are left out.
    }
  }

  /** The tiny model's output for {@code x}, computed here by hand. */
  static float[] expected(float[] x) {
    double[] h = new double[3];
    for (int j = 0; j < 3; j++) {
      double z = B1[j] + x[0] * K1[0][j] + x[1] * K1[1][j];
      z = Math.max(0, z);
      h[j] = GAMMA[j] * (z - MEAN[j]) / Math.sqrt(VAR[j] + 0.5) + BETA[j];
    }
    double[] o = new double[2];
    for (int k = 0; k < 2; k++) {
      o[k] = B2[k];
      for (int j = 0; j < 3; j++) {
        o[k] += h[j] * K2[j][k];
      }
    }
    double m = Math.max(o[0], o[1]);
    double e0 = Math.exp(o[0] - m);
    double e1 = Math.exp(o[1] - m);
    return new float[] {(float) (e0 / (e0 + e1)), (float) (e1 / (e0 + e1))};
  }

  @Test
  void keras3WeightsFileLoadsIntoTheModelOfItsConfig() throws Exception {
    Path w = dir.resolve("tiny.weights.h5");
    writeKeras3Weights(w);
    float[] x = {0.7f, -0.3f};
    try (Model m = Model.fromKerasJson(keras3Sequential(null))) {
      m.loadKerasWeights(w);
      assertArrayEquals(expected(x), flat(m.predict(array(shape(1, 2), x))), 1e-6f);
      assertEquals(List.of("hidden/kernel", "hidden/bias", "bn/gamma", "bn/beta",
          "bn/moving_mean", "bn/moving_variance", "out/kernel", "out/bias"), m.weightNames());
    }
  }

  @Test
  void keras2ChunkedNameListsAndKeras213LayoutAlsoLoad() throws Exception {
    // Keras 2 splits a layer_names list too large for one HDF5 header into layer_names0, 1...
    Path chunked = dir.resolve("chunked.h5");
    try (WritableHdfFile f = HdfFile.write(chunked)) {
      f.putAttribute("layer_names0", new String[] {"input_layer", "hidden"});
      f.putAttribute("layer_names1", new String[] {"bn", "out"});
      f.putGroup("input_layer"); // Keras writes an empty weight_names; jHDF cannot
      WritableGroup h = f.putGroup("hidden");
      h.putAttribute("weight_names", new String[] {"hidden/kernel:0", "hidden/bias:0"});
      h.putGroup("hidden").putDataset("kernel:0", K1);
      ((WritableGroup) h.getChild("hidden")).putDataset("bias:0", B1);
      WritableGroup bn = f.putGroup("bn");
      bn.putAttribute("weight_names0", new String[] {"bn/gamma:0", "bn/beta:0"});
      bn.putAttribute("weight_names1", new String[] {"bn/moving_mean:0", "bn/moving_variance:0"});
      WritableGroup bnInner = bn.putGroup("bn");
      bnInner.putDataset("gamma:0", GAMMA);
      bnInner.putDataset("beta:0", BETA);
      bnInner.putDataset("moving_mean:0", MEAN);
      bnInner.putDataset("moving_variance:0", VAR);
      WritableGroup o = f.putGroup("out");
      o.putAttribute("weight_names", new String[] {"out/kernel:0", "out/bias:0"});
      WritableGroup oInner = o.putGroup("out");
      oInner.putDataset("kernel:0", K2);
      oInner.putDataset("bias:0", B2);
    }
    // Keras 2.13-2.15 .keras weights: Keras 3's layout under _layer_checkpoint_dependencies.
    Path k213 = dir.resolve("k213.weights.h5");
    try (WritableHdfFile f = HdfFile.write(k213)) {
      WritableGroup layers = f.putGroup("_layer_checkpoint_dependencies");
      WritableGroup d = layers.putGroup("dense").putGroup("vars");
      d.putDataset("0", K1);
      d.putDataset("1", B1);
      WritableGroup bn = layers.putGroup("batch_normalization").putGroup("vars");
      bn.putDataset("0", GAMMA);
      bn.putDataset("1", BETA);
      bn.putDataset("2", MEAN);
      bn.putDataset("3", VAR);
      WritableGroup d1 = layers.putGroup("dense_1").putGroup("vars");
      d1.putDataset("0", K2);
      d1.putDataset("1", B2);
    }
    float[] x = {0.2f, 0.9f};
    for (Path w : List.of(chunked, k213)) {
      try (Model m = Model.fromKerasJson(keras3Sequential(null))) {
        m.loadKerasWeights(w);
        assertArrayEquals(expected(x), flat(m.predict(array(shape(1, 2), x))), 1e-6f,
            w.toString());
      }
    }
  }

  private Path kerasZip(String config, Path weights) throws IOException {
    Path zip = dir.resolve("model.whatever");
    try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(zip))) {
      z.putNextEntry(new ZipEntry("metadata.json"));
      z.write("{\"keras_version\": \"3.6.0\"}".getBytes(StandardCharsets.UTF_8));
      z.putNextEntry(new ZipEntry("config.json"));
      z.write(config.getBytes(StandardCharsets.UTF_8));
      if (weights != null) {
        z.putNextEntry(new ZipEntry("model.weights.h5"));
        z.write(Files.readAllBytes(weights));
      }
    }
    return zip;
  }

  @Test
  void kerasZipLoadsCompiledFromItsCompileConfig() throws Exception {
    Path w = dir.resolve("w.h5");
    writeKeras3Weights(w);
    String compile = "{\"optimizer\": {\"module\": \"keras.optimizers\", \"class_name\": \"SGD\","
        + " \"config\": {\"name\": \"SGD\", \"learning_rate\": 0.05, \"weight_decay\": null,"
        + " \"clipnorm\": null, \"global_clipnorm\": null, \"clipvalue\": null, \"use_ema\":"
        + " false, \"momentum\": 0.9, \"nesterov\": false}, \"registered_name\": null},"
        + " \"loss\": {\"module\": \"keras.losses\", \"class_name\":"
        + " \"SparseCategoricalCrossentropy\", \"config\": {\"name\":"
        + " \"sparse_categorical_crossentropy\", \"reduction\": \"sum_over_batch_size\","
        + " \"from_logits\": false, \"ignore_class\": null}, \"registered_name\": null},"
        + " \"loss_weights\": null, \"metrics\": [\"accuracy\"], \"weighted_metrics\": null,"
        + " \"run_eagerly\": false, \"steps_per_execution\": 1, \"jit_compile\": false}";
    float[] x = {-1f, 2f};
    try (Model m = Model.loadKeras(kerasZip(keras3Sequential(compile), w))) {
      Sequential s = assertInstanceOf(Sequential.class, m);
      assertEquals("tiny", s.name());
      assertArrayEquals(expected(x), flat(m.predict(array(shape(1, 2), x))), 1e-6f);
      assertEquals(0.05, m.learningRate(), 1e-9);
      assertTrue(m.toString().endsWith("optimizer=SGD, loss=sparse_categorical_crossentropy)"),
          m.toString());
    }
  }

  @Test
  void anUnmappableTrainingConfigLeavesTheModelUncompiledWithAOneLineWarning() throws Exception {
    Path w = dir.resolve("w.h5");
    writeKeras3Weights(w);
    String compile = "{\"optimizer\": \"nadam\", \"loss\": {\"class_name\":"
        + " \"CategoricalCrossentropy\", \"config\": {\"from_logits\": true}}, \"metrics\":"
        + " [\"accuracy\", \"auc\"]}";
    Path zip = kerasZip(keras3Sequential(compile), w);
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try (Model m = Model.loadKeras(zip)) {
      assertThrows(IllegalStateException.class, m::learningRate);
    } finally {
      System.setErr(err);
    }
    assertEquals("WARNING: Model.loadKeras: " + zip + ": loaded uncompiled; its compile_config"
        + " has no Kava equivalent for: optimizer nadam (Kava has Adam, SGD, RMSprop, Adagrad),"
        + " loss CategoricalCrossentropy with from_logits=true, metric auc. Call compile(...)"
        + " before fit or evaluate.\n", captured.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aKerasZipWithoutWeightsNamesWhatIsMissing() throws Exception {
    Path zip = kerasZip(keras3Sequential(null), null);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Model.loadKeras(zip));
    assertEquals("Model.loadKeras: " + zip + ": the .keras zip must contain model.weights.h5;"
        + " it does not (it holds [metadata.json, config.json]).", e.getMessage());
  }

  @Test
  void truncatedAndForeignFilesNameTheFileAndTheProblem() throws IOException {
    byte[] full = Files.readAllBytes(LENET.resolve("lenet_full_model.h5"));
    Path truncated = dir.resolve("truncated.h5");
    Files.write(truncated, Arrays.copyOf(full, 4096));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Model.loadKeras(truncated));
    assertEquals("Model.loadKeras: " + truncated + ": the file is truncated: it has 4096 bytes;"
        + " its HDF5 superblock says 782784.", e.getMessage());

    byte[] damaged = full.clone();
    Arrays.fill(damaged, 96, 1096, (byte) 0x55); // the root group's object header
    Path corrupt = dir.resolve("corrupt.h5");
    Files.write(corrupt, damaged);
    IllegalArgumentException c = assertThrows(IllegalArgumentException.class,
        () -> Model.loadKeras(corrupt));
    assertTrue(c.getMessage().startsWith("Model.loadKeras: " + corrupt + ": not a readable"
        + " Keras HDF5 file: "), c.getMessage());
    assertTrue(c.getMessage().endsWith(". The file may be truncated or corrupt."),
        c.getMessage());

    // Cut after the model's weights (Adam's slots follow them): still refused.
    Path late = dir.resolve("late.h5");
    Files.write(late, Arrays.copyOf(full, 400_000));
    IllegalArgumentException l = assertThrows(IllegalArgumentException.class,
        () -> Model.loadKeras(late));
    assertEquals("Model.loadKeras: " + late + ": the file is truncated: it has 400000 bytes;"
        + " its HDF5 superblock says 782784.", l.getMessage());

    Path otherHdf5 = dir.resolve("data.h5");
    try (WritableHdfFile f = HdfFile.write(otherHdf5)) {
      f.putDataset("x", new float[] {1, 2});
    }
    IllegalArgumentException o = assertThrows(IllegalArgumentException.class,
        () -> Model.loadKeras(otherHdf5));
    assertEquals("Model.loadKeras: " + otherHdf5 + ": not a Keras model or weights file: it"
        + " holds no Keras weights (neither a layer_names attribute, as Keras 2 writes, nor a"
        + " layers group, as Keras 3 writes).", o.getMessage());

    Path text = dir.resolve("model.h5");
    Files.writeString(text, "{\"class_name\": \"Sequential\"}");
    IllegalArgumentException f = assertThrows(IllegalArgumentException.class,
        () -> Model.loadKeras(text));
    assertEquals("Model.loadKeras: " + text + ": the file must be a Keras model, an HDF5 file"
        + " (.h5) or a zip (.keras); it starts with neither signature (first bytes [123, 34, 99,"
        + " 108, 97, 115, 115, 95]). For an architecture JSON use Model.fromKerasJson.",
        f.getMessage());

    Path corruptZip = dir.resolve("model.keras");
    Files.write(corruptZip, new byte[] {'P', 'K', 3, 4, 1, 2, 3});
    IllegalArgumentException z = assertThrows(IllegalArgumentException.class,
        () -> Model.loadKeras(corruptZip));
    assertTrue(z.getMessage().startsWith("Model.loadKeras: " + corruptZip + ": the .keras zip"
        + " is corrupt or truncated: "), z.getMessage());
  }

  @Test
  void aWeightsOnlyFileIsNotAFullModel() {
    Path w = LENET.resolve("lenet_weights_only.h5");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Model.loadKeras(w));
    assertEquals("Model.loadKeras: " + w + ": the file holds weights only (no model_config"
        + " attribute); build the model with Model.fromKerasJson(...) and call"
        + " loadKerasWeights on it.", e.getMessage());
  }

  @Test
  void weightsOfTheWrongShapeNameTheLayerTheWeightAndBothShapes() throws IOException {
    // The topology has no ZeroPadding2D: its Dense_1 reads 4*4*16 values, the file's 5*5*16.
    Path full = LENET.resolve("lenet_full_model.h5");
    try (Model m = Model.fromKerasJson(Files.readString(LENET.resolve("lenet_topology.json")))) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> m.loadKerasWeights(full));
      assertEquals("Sequential 'sequential'.loadKerasWeights: " + full + ": layer 'Dense_1'"
          + " (Dense) weight 'kernel' must have shape (256, 120); the file's 'kernel' has shape"
          + " (400, 120).", e.getMessage());
    }
  }

  @Test
  void weightsForOtherLayersAreRefusedWithBothLists() throws IOException {
    Path w = LENET.resolve("lenet_weights_only.h5");
    String json = Files.readString(MLP.resolve("mnist_mlp_tf_keras_2_config.json"));
    try (Model m = Model.fromKerasJson(json)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> m.loadKerasWeights(w));
      assertEquals("Sequential 'sequential'.loadKerasWeights: " + w + ": the file's weights"
          + " must fit the model; the file has weights for 5 layers [Conv2D_1, Conv2D_2,"
          + " Dense_1, Dense_2, Softmax], the model has 3 layers with weights [dense_1,"
          + " dense_2, dense_3].", e.getMessage());
    }
  }

  @Test
  void keras3WeightsThatDoNotFitAreRefused() throws Exception {
    Path w = dir.resolve("w.weights.h5");
    writeKeras3Weights(w);
    String json = Files.readString(MLP.resolve("mnist_mlp_tf_keras_2_config.json"));
    try (Model m = Model.fromKerasJson(json)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> m.loadKerasWeights(w));
      assertEquals("Sequential 'sequential'.loadKerasWeights: " + w + ": the file's weights"
          + " must fit the model; the file has weights under layers/[batch_normalization,"
          + " dense, dense_1], the model's layers with weights [dense_1, dense_2, dense_3] are"
          + " saved by Keras 3 under layers/[dense, dense_1, dense_2].", e.getMessage());
    }
    try (Model m = Model.fromKerasJson(keras3Sequential(null).replace("\"units\": 3",
        "\"units\": 4"))) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> m.loadKerasWeights(w));
      assertEquals("Sequential 'tiny'.loadKerasWeights: " + w + ": layer 'hidden' (Dense)"
          + " weight 'kernel' must have shape (2, 4); the file's '0' has shape (2, 3).",
          e.getMessage());
    }
  }
}
