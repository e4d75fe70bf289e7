package io.kava;

import static io.kava.TestArrays.array;
import static io.kava.TestArrays.flat;
import static io.kava.TestArrays.shape;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhdf.HdfFile;
import io.kava.metrics.Classes;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.FloatNdArray;

/**
 * Real model files written by Python Keras ({@code shared/fixtures/keras}, see its SOURCE.txt):
 * imported models must predict what Keras predicted.
 */
class KerasFixturesTest {
  static final Path FIXTURES = Path.of("../../shared/fixtures/keras");
  static final Path LENET = FIXTURES.resolve("lenet-tensorspace");
  static final Path MLP = FIXTURES.resolve("mnist-mlp-dl4j");
  static final Path CNN = FIXTURES.resolve("small-cnn-keras2circom/model.h5");
  static final Path MNIST = Path.of("../../shared/data/mnist-10k");

  /** The bundled digit: 784 floats in [0, 1] as a JSON array. */
  static FloatNdArray digit5() throws IOException {
    String text = Files.readString(LENET.resolve("digit_5.json")).trim();
    String[] parts = text.substring(1, text.length() - 1).split(",");
    float[] v = new float[parts.length];
    for (int i = 0; i < v.length; i++) {
      v[i] = Float.parseFloat(parts[i].trim());
    }
    assertEquals(784, v.length);
    return array(shape(1, 28, 28), v);
  }

  @Test
  void lenetFullModelPredictsTheDigitAsFiveAndIsCompiledFromItsTrainingConfig()
      throws IOException {
    try (Model m = Model.loadKeras(LENET.resolve("lenet_full_model.h5"))) {
      Sequential s = assertInstanceOf(Sequential.class, m);
      assertEquals(List.of("reshape_1", "padding_1", "conv_1", "maxpool_1", "conv_2",
          "maxpool_2", "flatten", "dense_1", "dense_2", "softmax"), s.layerNames());
      float[] p = flat(m.predict(digit5()));
      assertEquals(5, Classes.of(array(shape(1, 10), p))[0]);
      assertTrue(p[5] >= 0.9999, "p(5) = " + p[5]);
      // training_config: Adam(lr 0.001), sparse_categorical_crossentropy, accuracy.
      assertEquals(0.001, m.learningRate(), 1e-9);
      assertTrue(m.toString().contains("optimizer=Adam"), m.toString());
      assertTrue(m.toString().contains("loss=sparse_categorical_crossentropy"), m.toString());
    }
  }

  @Test
  void lenetArchitectureJsonPlusWeightsGivesTheFullModelsOutputs() throws IOException {
    Path full = LENET.resolve("lenet_full_model.h5");
    String config;
    try (HdfFile f = new HdfFile(full)) {
      config = (String) f.getAttribute("model_config").getData();
    }
    try (Model a = Model.loadKeras(full); Model b = Model.fromKerasJson(config)) {
      b.loadKerasWeights(full);
      assertArrayEquals(flat(a.predict(digit5())), flat(b.predict(digit5())), 0f);
    }
  }

  @Test
  void lenetWeightsOnlyFilePlusTopologyJsonPredictsFive() throws IOException {
    try (Model m = Model.fromKerasJson(Files.readString(LENET.resolve("lenet_topology.json")))) {
      assertInstanceOf(Sequential.class, m);
      m.loadKerasWeights(LENET.resolve("lenet_weights_only.h5"));
      float[] p = flat(m.predict(digit5()));
      assertEquals(5, Classes.of(array(shape(1, 10), p))[0], java.util.Arrays.toString(p));
      assertEquals(List.of("Conv2D_1/kernel", "Conv2D_1/bias", "Conv2D_2/kernel",
          "Conv2D_2/bias", "Dense_1/kernel", "Dense_1/bias", "Dense_2/kernel", "Dense_2/bias",
          "Softmax/kernel", "Softmax/bias"), m.weightNames());
    }
  }

  @Test
  void mnistMlpReproducesTheHundredStoredKerasPredictions() throws IOException {
    float[] inputs;
    float[] expected;
    try (HdfFile f = new HdfFile(MLP.resolve("mnist_mlp_tf_keras_2_inputs_and_outputs.h5"))) {
      inputs = (float[]) f.getDatasetByPath("inputs/dense_1_input").getDataFlat();
      expected = (float[]) f.getDatasetByPath("predictions/dense_3").getDataFlat();
    }
    String json = Files.readString(MLP.resolve("mnist_mlp_tf_keras_2_config.json"));
    try (Model m = Model.fromKerasJson(json)) {
      assertEquals(List.of("dense_1_input"), m.inputNames());
      m.loadKerasWeights(MLP.resolve("mnist_mlp_tf_keras_2_weights.h5"));
      float[] got = flat(m.predict(array(shape(100, 784), inputs)));
      assertEquals(1000, got.length);
      float worst = 0;
      for (int i = 0; i < got.length; i++) {
        worst = Math.max(worst, Math.abs(got[i] - expected[i]));
      }
      assertTrue(worst <= 1e-5, "largest difference from Keras: " + worst);
    }
  }

  @Test
  void smallFunctionalCnnScoresItsReportedMnistAccuracy() throws IOException {
    try (Model m = Model.loadKeras(CNN)) {
      assertFalse(m instanceof Sequential);
      assertEquals(List.of("input_1"), m.inputNames());
      assertEquals(List.of("dense"), m.outputNames());
      assertEquals(1078, m.countParams());
      assertEquals(List.of("conv2d/kernel", "batch_normalization/gamma",
          "batch_normalization/beta", "batch_normalization/moving_mean",
          "batch_normalization/moving_variance", "conv2d_1/kernel", "conv2d_1/bias",
          "dense/kernel", "dense/bias"), m.weightNames());
      // The authors' notebook scales pixels by 1/255 (models/model.ipynb).
      float[] pixels = idx(MNIST.resolve("images-idx3-ubyte.gz"), 16);
      float[] labels = idx(MNIST.resolve("labels-idx1-ubyte.gz"), 8);
      int n = labels.length;
      for (int i = 0; i < pixels.length; i++) {
        pixels[i] /= 255f;
      }
      int[] predicted = m.predictClasses(array(shape(n, 28, 28, 1), pixels));
      int right = 0;
      for (int i = 0; i < n; i++) {
        right += predicted[i] == (int) labels[i] ? 1 : 0;
      }
      double accuracy = right / (double) n;
      System.out.println("small-cnn-keras2circom MNIST accuracy: " + accuracy);
      // Reported: 0.9757 on MNIST's test set; these 10,000 digits are another MNIST sample.
      assertEquals(0.9757, accuracy, 0.015, "accuracy " + accuracy);
      // Compiled from training_config: Adam, categorical_crossentropy, metric acc.
      assertTrue(m.toString().contains("loss=categorical_crossentropy"), m.toString());
    }
  }

  @Test
  void anImportedModelTrainsSavesAndLoadsLikeAnyKavaModel(@TempDir Path dir) throws IOException {
    int n = 256;
    float[] pixels = Arrays.copyOf(idx(MNIST.resolve("images-idx3-ubyte.gz"), 16), n * 784);
    float[] labels = idx(MNIST.resolve("labels-idx1-ubyte.gz"), 8);
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] /= 255f;
    }
    int[] classes = new int[n];
    for (int i = 0; i < n; i++) {
      classes[i] = (int) labels[i];
    }
    FloatNdArray x = array(shape(n, 28, 28, 1), pixels);
    try (Model m = Model.loadKeras(CNN)) {
      History h = m.fit(x, TestArrays.oneHot(10, classes),
          FitOptions.defaults().epochs(1).batchSize(64).verbose(0).seed(1));
      assertTrue(Double.isFinite(h.last("loss")), h.toString());
      float[] before = flat(m.predict(x));
      m.save(dir.resolve("saved"));
      try (Model again = Model.load(dir.resolve("saved"))) {
        assertArrayEquals(before, flat(again.predict(x)), 0f);
        assertEquals(m.weightNames(), again.weightNames());
      }
    }
  }

  /** The unsigned bytes of a gzipped IDX file after its {@code header} bytes. */
  static float[] idx(Path file, int header) throws IOException {
    try (DataInputStream in = new DataInputStream(new GZIPInputStream(
        Files.newInputStream(file)))) {
      in.skipNBytes(header);
      byte[] b = in.readAllBytes();
      float[] f = new float[b.length];
      for (int i = 0; i < b.length; i++) {
        f[i] = b[i] & 0xff;
      }
      return f;
    }
  }
}
