package io.kava;

import static io.kava.TestArrays.array;
import static io.kava.TestArrays.flat;
import static io.kava.TestArrays.shape;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kava.layers.Activation;
import io.kava.layers.Conv2D;
import io.kava.layers.Dense;
import io.kava.layers.Dropout;
import io.kava.layers.Flatten;
import io.kava.layers.Input;
import io.kava.layers.MaxPooling2D;
import io.kava.losses.CategoricalCrossentropy;
import io.kava.losses.MeanSquaredError;
import io.kava.metrics.Accuracy;
import io.kava.optimizers.Adam;
import io.kava.optimizers.SGD;
import io.kava.saving.SavedModel;
import io.kava.saving.SignatureInfo;
import io.kava.saving.TensorSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.proto.DataType;

class DTypePolicyTest {

  private static Sequential cnn() {
    return new Sequential(Input.of(28, 28, 1),
        Conv2D.of(8, 3).activation(Activation.RELU).name("conv"),
        MaxPooling2D.of(2), Dropout.of(0.1), Flatten.of(),
        Dense.of(10).activation(Activation.SOFTMAX).name("out"));
  }

  /** Counts the forward ops (not backprop) of {@code type}, by the dtype of attribute T. */
  private static Map<DataType, Integer> forwardOps(Model m, String type) {
    Map<DataType, Integer> counts = new HashMap<>();
    Graph g = m.compiled().graph().graph();
    g.operations().forEachRemaining(op -> {
      boolean backprop = op.name().toLowerCase(Locale.ROOT).contains("gradients");
      if (op.type().equals(type) && !backprop) {
        counts.merge(((GraphOperation) op).attributes().getAttrType("T"), 1, Integer::sum);
      }
    });
    return counts;
  }

  private static DataType variableType(Model m, String name) {
    return m.compiled().graph().graph().operation(name).output(0).dataType();
  }

  @Test
  void policiesHaveKerasNamesAndUnknownNamesListTheValidOnes() {
    assertEquals(DTypePolicy.MIXED_BFLOAT16, DTypePolicy.of("mixed_bfloat16"));
    assertEquals("bfloat16", DTypePolicy.MIXED_BFLOAT16.computeDtype());
    assertEquals("float32", DTypePolicy.MIXED_FLOAT16.variableDtype());
    assertEquals("float16", DTypePolicy.MIXED_FLOAT16.computeDtype());
    assertEquals("DTypePolicy(mixed_float16)", DTypePolicy.MIXED_FLOAT16.toString());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DTypePolicy.of("mixed_bf16"));
    assertEquals("DTypePolicy: name must be one of [float32, mixed_bfloat16, mixed_float16];"
        + " got 'mixed_bf16'. Keras's float16, bfloat16 and float64 policies (weights in low"
        + " precision) are not supported.", e.getMessage());
  }

  @Test
  void mixedBfloat16ComputesInBfloat16WithFloat32WeightsLossAndOutputs() {
    try (Sequential m = cnn().dtypePolicy(DTypePolicy.MIXED_BFLOAT16).seed(1)) {
      m.compile(new Adam(), new CategoricalCrossentropy(), new Accuracy());
      // Training path and inference path: each has one convolution and one matmul.
      assertEquals(Map.of(DataType.DT_BFLOAT16, 2), forwardOps(m, "Conv2D"));
      assertEquals(Map.of(DataType.DT_BFLOAT16, 2), forwardOps(m, "MatMul"));
      // Weights and optimizer slots stay float32 (the int64 ones are step counters).
      List<DataType> variables = new ArrayList<>();
      m.compiled().graph().graph().operations().forEachRemaining(op -> {
        if (op.type().equals("VariableV2")) {
          variables.add(((GraphOperation) op).attributes().getAttrType("dtype"));
        }
      });
      assertEquals(List.of(DataType.DT_FLOAT, DataType.DT_INT64),
          variables.stream().distinct().sorted().toList(), variables.toString());
      assertEquals(DataType.DT_FLOAT, variableType(m, "prediction"));
      assertEquals(DataType.DT_FLOAT,
          m.compiled().graph().trainingLoss().asOutput().dataType());
    }
  }

  @Test
  void aLayerCanKeepFloat32UnderAMixedModel() {
    try (Sequential m = cnn().dtypePolicy(DTypePolicy.MIXED_BFLOAT16)
        .dtypePolicy("out", DTypePolicy.FLOAT32)) {
      m.compile(new Adam(), new CategoricalCrossentropy(), new Accuracy());
      assertEquals(Map.of(DataType.DT_BFLOAT16, 2), forwardOps(m, "Conv2D"));
      assertEquals(Map.of(DataType.DT_FLOAT, 2), forwardOps(m, "MatMul"));
      assertEquals(DTypePolicy.FLOAT32, m.dtypePolicy("out"));
      assertEquals(DTypePolicy.MIXED_BFLOAT16, m.dtypePolicy("conv"));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> m.dtypePolicy("dense_9", DTypePolicy.FLOAT32));
      assertTrue(e.getMessage().contains("layers given a dtype policy must be layers of the"
          + " model [conv, max_pooling2d, dropout, flatten, out]; got 'dense_9'"),
          e.getMessage());
    }
  }

  @Test
  void float32IsTheDefaultAndBuildsNoCasts() {
    try (Sequential m = cnn()) {
      m.compile(new Adam(), new CategoricalCrossentropy(), new Accuracy());
      assertEquals(DTypePolicy.FLOAT32, m.dtypePolicy());
      assertEquals(Map.of(DataType.DT_FLOAT, 2), forwardOps(m, "Conv2D"));
      assertFalse(m.summaryString().contains("DType policy"), m.summaryString());
    }
  }

  @Test
  void summaryShowsThePolicyAndTheLayersThatDiffer() {
    try (Sequential m = cnn().dtypePolicy(DTypePolicy.MIXED_BFLOAT16)
        .dtypePolicy("out", DTypePolicy.FLOAT32)) {
      assertTrue(m.summaryString().contains("Non-trainable params: 0\n"
          + "DType policy: mixed_bfloat16 (out: float32)\n"), m.summaryString());
    }
  }

  @Test
  void bfloat16TrainsMnistToFloat32Accuracy() throws IOException {
    int train = 3000;
    int test = 1000;
    float[] pixels = KerasFixturesTest.idx(KerasFixturesTest.MNIST.resolve(
        "images-idx3-ubyte.gz"), 16);
    float[] labels = KerasFixturesTest.idx(KerasFixturesTest.MNIST.resolve(
        "labels-idx1-ubyte.gz"), 8);
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] /= 255f;
    }
    int[] classes = new int[train + test];
    for (int i = 0; i < classes.length; i++) {
      classes[i] = (int) labels[i];
    }
    FloatNdArray x = array(shape(train, 28, 28, 1), Arrays.copyOf(pixels, train * 784));
    FloatNdArray y = TestArrays.oneHot(10, Arrays.copyOf(classes, train));
    FloatNdArray xTest = array(shape(test, 28, 28, 1),
        Arrays.copyOfRange(pixels, train * 784, (train + test) * 784));
    FloatNdArray yTest = TestArrays.oneHot(10, Arrays.copyOfRange(classes, train,
        train + test));
    List<Double> accuracies = new ArrayList<>();
    for (DTypePolicy p : List.of(DTypePolicy.FLOAT32, DTypePolicy.MIXED_BFLOAT16)) {
      try (Sequential m = cnn().dtypePolicy(p).seed(4)) {
        m.compile(new Adam(0.002), new CategoricalCrossentropy(), new Accuracy());
        History h = m.fit(x, y, FitOptions.defaults().epochs(2).batchSize(32).verbose(0)
            .seed(2));
        assertTrue(h.get("loss").get(1) < h.get("loss").get(0), p + ": " + h);
        accuracies.add(m.evaluate(xTest, yTest).get("accuracy"));
      }
    }
    System.out.println("MNIST accuracy, float32 vs mixed_bfloat16: " + accuracies);
    assertTrue(accuracies.get(0) > 0.85, "float32 accuracy " + accuracies);
    assertEquals(accuracies.get(0), accuracies.get(1), 0.03, "float32 vs bfloat16 "
        + accuracies);
  }

  @Test
  void exportsOfMixedModelsTakeAndReturnFloat32(@TempDir Path dir) {
    FloatNdArray x = TestArrays.uniform(3, 0, 1, 4, 28, 28, 1);
    try (Sequential m = cnn().dtypePolicy(DTypePolicy.MIXED_BFLOAT16).seed(5)) {
      float[] expected = flat(m.predict(x));
      m.export(dir.resolve("export"));
      try (SavedModel sm = SavedModel.load(dir.resolve("export"))) {
        SignatureInfo sig = sm.signature("serving_default");
        for (TensorSpec spec : sig.inputs().values()) {
          assertEquals(DataType.DT_FLOAT, spec.dtype(), spec.toString());
        }
        for (TensorSpec spec : sig.outputs().values()) {
          assertEquals(DataType.DT_FLOAT, spec.dtype(), spec.toString());
        }
        FloatNdArray out = sm.predict(Map.of("input_layer", x)).values().iterator().next();
        assertArrayEquals(expected, flat(out), 1e-6f);
      }
    }
  }

  @Test
  void saveAndLoadKeepThePolicies(@TempDir Path dir) throws IOException {
    FloatNdArray x = TestArrays.uniform(3, 0, 1, 4, 28, 28, 1);
    try (Sequential m = cnn().dtypePolicy(DTypePolicy.MIXED_BFLOAT16)
        .dtypePolicy("out", DTypePolicy.FLOAT32).seed(5)) {
      m.compile(new Adam(), new CategoricalCrossentropy(), new Accuracy());
      m.save(dir.resolve("saved"));
      String json = Files.readString(dir.resolve("saved").resolve(ModelJson.FILE));
      assertTrue(json.contains("\"dtype_policy\" : \"mixed_bfloat16\""), json);
      assertTrue(json.contains("\"class_name\" : \"DTypePolicy\""), json);
      try (Sequential again = Sequential.load(dir.resolve("saved"))) {
        assertEquals(DTypePolicy.MIXED_BFLOAT16, again.dtypePolicy());
        assertEquals(DTypePolicy.FLOAT32, again.dtypePolicy("out"));
        assertEquals(DTypePolicy.MIXED_BFLOAT16, again.dtypePolicy("conv"));
        assertArrayEquals(flat(m.predict(x)), flat(again.predict(x)), 0f);
      }
    }
  }

  @Test
  void float16TrainsWithItsLossScaleUntouchedByFiniteGradients() {
    FloatNdArray x = TestArrays.uniform(1, 0, 1, 64, 28, 28, 1);
    int[] labels = new int[64];
    Arrays.setAll(labels, i -> i % 10);
    try (Sequential m = cnn().dtypePolicy(DTypePolicy.MIXED_FLOAT16).seed(3)) {
      m.compile(new Adam(0.01), new CategoricalCrossentropy(), new Accuracy());
      assertEquals(Map.of(DataType.DT_HALF, 2), forwardOps(m, "Conv2D"));
      History h = m.fit(x, TestArrays.oneHot(10, labels), FitOptions.defaults().epochs(5)
          .batchSize(16).verbose(0).seed(1));
      assertTrue(h.get("loss").get(4) < h.get("loss").get(0), h.toString());
      assertEquals(32768, m.compiled().graph().lossScale());
    }
  }

  @Test
  void float16SkipsAStepWhoseGradientsOverflowAndHalvesTheScale() {
    // Targets of 1e4 give output gradients of ~5e3, times the scale 2^15: far beyond
    // float16's 65,504, until the scale has halved enough.
    FloatNdArray x = TestArrays.uniform(1, 0, 1, 4, 3);
    FloatNdArray y = array(shape(4, 1), 1e4f, 1e4f, 1e4f, 1e4f);
    try (Sequential m = new Sequential(Input.of(3), Dense.of(1).name("d"))
        .dtypePolicy(DTypePolicy.MIXED_FLOAT16).seed(3)) {
      m.compile(new SGD(1e-6), new MeanSquaredError());
      ModelGraph g = m.compiled().graph();
      List<float[]> before = TestArrays.flat(m.getWeights());
      FitOptions one = FitOptions.defaults().batchSize(4).verbose(0).shuffle(false);
      m.fit(x, y, one);
      assertEquals(16384, g.lossScale());
      List<float[]> after = TestArrays.flat(m.getWeights());
      for (int i = 0; i < before.size(); i++) {
        assertArrayEquals(before.get(i), after.get(i), 0f, "weight " + i + " moved");
      }
      m.fit(x, y, one.epochs(20));
      // 5e3 * scale fits float16 from scale 8 on; from there the steps apply.
      assertTrue(g.lossScale() <= 8, "scale " + g.lossScale());
      assertNotEquals(before.get(0)[0], TestArrays.flat(m.getWeights()).get(0)[0]);
    }
  }

  @Test
  void warnsOnceWhereBfloat16IsEmulated() {
    assertEquals("Kava: warning: mixed_bfloat16 on a CPU without AVX512_BF16 or AMX: bfloat16"
        + " is emulated and will be slower than float32.\n",
        warnings(new CpuFeatures(false), DTypePolicy.MIXED_BFLOAT16));
    assertEquals("", warnings(new CpuFeatures(true), DTypePolicy.MIXED_BFLOAT16));
    assertEquals("", warnings(new CpuFeatures(false), DTypePolicy.FLOAT32));
  }

  private static String warnings(CpuFeatures cpu, DTypePolicy policy) {
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    try (Sequential m = cnn()) {
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      m.cpuFeatures(cpu).dtypePolicy(policy);
    } finally {
      System.setErr(err);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }
}
