package io.kava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kava.callbacks.ModelCheckpoint;
import io.kava.internal.AtomicFiles;
import io.kava.layers.Activation;
import io.kava.layers.BatchNormalization;
import io.kava.layers.Conv2D;
import io.kava.layers.Dense;
import io.kava.layers.Dropout;
import io.kava.layers.Flatten;
import io.kava.layers.Input;
import io.kava.layers.MaxPooling2D;
import io.kava.layers.Padding;
import io.kava.layers.Regularizer;
import io.kava.losses.CategoricalCrossentropy;
import io.kava.metrics.Accuracy;
import io.kava.optimizers.Adam;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.types.TFloat32;

/** export, save/load and ModelCheckpoint. */
class SavingTest {

  static Sequential model() {
    return new Sequential(Input.of(8, 8, 1),
        Conv2D.of(4, 3).padding(Padding.SAME).activation(Activation.RELU)
            .kernelRegularizer(Regularizer.l2(1e-4)),
        BatchNormalization.of(),
        MaxPooling2D.of(2), Dropout.of(0.3), Flatten.of(),
        Dense.of(3).activation(Activation.SOFTMAX).name("out")).seed(11);
  }

  static FloatNdArray images(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    FloatNdArray x = NdArrays.ofFloats(Shape.of(n, 8, 8, 1));
    x.scalars().forEach(s -> s.setFloat((float) r.nextDouble()));
    return x;
  }

  static FloatNdArray labels(FloatNdArray x) {
    int n = (int) x.shape().get(0);
    FloatNdArray y = NdArrays.ofFloats(Shape.of(n, 3));
    for (int i = 0; i < n; i++) {
      float s = x.getFloat(i, 0, 0, 0) + x.getFloat(i, 7, 7, 0);
      y.setFloat(1, i, s < 0.7 ? 0 : s < 1.3 ? 1 : 2);
    }
    return y;
  }

  static FitOptions opts() {
    return FitOptions.defaults().batchSize(16).seed(5).verbose(0);
  }

  @Test
  void exportLoadsInPlainTfJavaWithTheSamePredictions(@TempDir Path tmp) {
    FloatNdArray x = images(64, 1);
    try (Sequential m = model()) {
      m.compile(new Adam(), new CategoricalCrossentropy(), new Accuracy());
      m.fit(x, labels(x), opts().epochs(2));
      FloatNdArray expected = m.predict(x);
      Path dir = tmp.resolve("export");
      m.export(dir);
      try (SavedModelBundle b = SavedModelBundle.load(dir.toString(), "serve")) {
        SignatureDef sig = b.metaGraphDef().getSignatureDefMap().get("serving_default");
        assertEquals("tensorflow/serving/predict", sig.getMethodName());
        TensorInfo in = sig.getInputsMap().get("input_layer");
        TensorInfo out = sig.getOutputsMap().get("output_0");
        assertEquals(DataType.DT_FLOAT, in.getDtype());
        assertEquals(-1, in.getTensorShape().getDim(0).getSize());
        assertEquals(8, in.getTensorShape().getDim(1).getSize());
        assertEquals(-1, out.getTensorShape().getDim(0).getSize());
        assertEquals(3, out.getTensorShape().getDim(1).getSize());
        try (TFloat32 xt = TFloat32.tensorOf(x);
            var result = b.function("serving_default").call(Map.of("input_layer", xt))) {
          TFloat32 y = (TFloat32) result.get("output_0").get();
          for (int i = 0; i < 64; i++) {
            for (int k = 0; k < 3; k++) {
              assertEquals(expected.getFloat(i, k), y.getFloat(i, k), 1e-6f);
            }
          }
        }
        // Inference only: no optimizer state, training counters or dropout ops.
        b.graph().operations().forEachRemaining(op -> {
          assertFalse(op.type().startsWith("Apply"), op.name());
          assertFalse(op.type().startsWith("StatelessRandom"), op.name());
          assertFalse(op.name().contains("optimizer") || op.name().equals("iterations"),
              op.name());
        });
      }
    }
  }

  @Test
  void exportWritesTheServingLayout(@TempDir Path tmp) {
    try (Sequential m = model()) {
      m.export(tmp.resolve("models/kava"), 3);
      assertTrue(Files.isRegularFile(tmp.resolve("models/kava/3/saved_model.pb")));
      assertTrue(Files.isRegularFile(tmp.resolve("models/kava/3/variables/variables.index")));
      var e = assertThrows(IllegalArgumentException.class, () -> m.export(tmp, 0));
      assertTrue(e.getMessage().contains("export version must be > 0"), e.getMessage());
    }
  }

  @Test
  void saveAndLoadRestoreExactPredictionsAndResumeTraining(@TempDir Path tmp)
      throws IOException {
    FloatNdArray x = images(96, 2);
    FloatNdArray y = labels(x);
    History straight;
    try (Sequential m = model()) {
      m.compile(new Adam(0.01), new CategoricalCrossentropy(), new Accuracy());
      straight = m.fit(x, y, opts().epochs(3));
    }
    Path dir = tmp.resolve("ckpt");
    FloatNdArray before;
    try (Sequential m = model()) {
      m.compile(new Adam(0.01), new CategoricalCrossentropy(), new Accuracy());
      m.fit(x, y, opts().epochs(1));
      before = m.predict(x);
      m.save(dir);
    }
    assertTrue(Files.readString(dir.resolve("kava.json")).contains("\"class_name\" : \"Conv2D\""));
    try (Sequential again = Sequential.load(dir)) {
      assertEquals(before, again.predict(x));
      assertEquals(1, again.epochsCompleted());
      assertEquals(List.of("conv2d", "batch_normalization", "max_pooling2d", "dropout",
          "flatten", "out"), again.layerNames());
      History resumed = again.fit(x, y, opts().epochs(3).initialEpoch(again.epochsCompleted()));
      assertEquals(straight.get("loss").subList(1, 3), resumed.get("loss"));
      assertEquals(3, again.epochsCompleted());
    }
  }

  @Test
  void loadsModelsSavedInFormatVersion1(@TempDir Path tmp) throws IOException {
    FloatNdArray x = images(32, 2);
    Path dir = tmp.resolve("v1");
    FloatNdArray before;
    try (Sequential m = model()) {
      m.compile(new Adam(0.01), new CategoricalCrossentropy(), new Accuracy());
      m.fit(x, labels(x), opts().epochs(1));
      before = m.predict(x);
      m.save(dir);
    }
    // kava.json as the first format wrote it: built-ins by Keras's names, settings inline.
    String v1 =
        """
        {"format": "kava-model", "format_version": 1, "name": "sequential",
         "input_shape": [8, 8, 1],
         "layers": [
          {"class_name": "Conv2D", "name": "conv2d", "config": {"filters": 4,
           "kernel_size": [3, 3], "strides": [1, 1], "padding": "same", "activation": "relu",
           "use_bias": true, "kernel_initializer": "glorot_uniform",
           "bias_initializer": "zeros", "kernel_regularizer": {"l1": 0.0, "l2": 1.0E-4}}},
          {"class_name": "BatchNormalization", "name": "batch_normalization", "config":
           {"momentum": 0.99, "epsilon": 0.001, "center": true, "scale": true}},
          {"class_name": "MaxPooling2D", "name": "max_pooling2d", "config":
           {"pool_size": [2, 2], "strides": [2, 2], "padding": "valid"}},
          {"class_name": "Dropout", "name": "dropout", "config": {"rate": 0.3}},
          {"class_name": "Flatten", "name": "flatten", "config": {}},
          {"class_name": "Dense", "name": "out", "config": {"units": 3,
           "activation": "softmax", "use_bias": true, "kernel_initializer": "glorot_uniform",
           "bias_initializer": "zeros", "kernel_regularizer": null}}],
         "compile": {"optimizer": {"class_name": "Adam", "learning_rate": 0.01,
          "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1.0E-7},
          "loss": "categorical_crossentropy", "metrics": ["accuracy"]},
         "training": {"epochs_completed": 1, "weight_seed": 11}}
        """;
    Files.writeString(dir.resolve("kava.json"), v1);
    try (Sequential again = Sequential.load(dir)) {
      assertEquals(before, again.predict(x));
      assertEquals(1, again.epochsCompleted());
      assertEquals("Sequential(name=sequential, layers=6, input=(8, 8, 1), params=251,"
          + " optimizer=Adam, loss=categorical_crossentropy)", again.toString());
      again.fit(x, labels(x), opts().epochs(2).initialEpoch(1));
    }
  }

  @Test
  void anInterruptedSaveLeavesThePreviousCheckpoint(@TempDir Path tmp) throws IOException {
    Path dir = tmp.resolve("ckpt");
    try (Sequential m = model()) {
      m.compile(new Adam(), new CategoricalCrossentropy(), new Accuracy());
      m.save(dir);
      String before = Files.readString(dir.resolve("kava.json"));
      var e = assertThrows(IllegalStateException.class, () -> AtomicFiles.writeDir(dir, t -> {
        try {
          Files.writeString(t.resolve("kava.json"), "{half");
        } catch (IOException io) {
          throw new AssertionError(io);
        }
        throw new IllegalStateException("crash while writing");
      }));
      assertEquals("crash while writing", e.getMessage());
      assertEquals(before, Files.readString(dir.resolve("kava.json")));
      try (Stream<Path> s = Files.list(tmp)) {
        assertEquals(List.of(dir), s.toList(), "no temporary directory left behind");
      }
      try (Sequential again = Sequential.load(dir)) {
        assertEquals(m.predict(images(4, 3)), again.predict(images(4, 3)));
      }
    }
  }

  @Test
  void loadReportsMissingAndCorruptFiles(@TempDir Path tmp) throws IOException {
    var e = assertThrows(IllegalArgumentException.class,
        () -> Sequential.load(tmp.resolve("nothing")));
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    Files.writeString(tmp.resolve("kava.json"), "{ not json");
    e = assertThrows(IllegalArgumentException.class, () -> Sequential.load(tmp));
    assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
  }

  @Test
  void modelCheckpointSavesEveryEpochOrOnlyTheBest(@TempDir Path tmp) throws IOException {
    FloatNdArray x = images(64, 4);
    try (Sequential m = model()) {
      m.compile(new Adam(0.01), new CategoricalCrossentropy(), new Accuracy());
      var every = new ModelCheckpoint(tmp.resolve("every/epoch-{epoch:02d}-{loss:.2f}"));
      var best = new ModelCheckpoint(tmp.resolve("best")).saveBestOnly(true);
      History h = m.fit(x, labels(x), opts().epochs(3).validationSplit(0.25)
          .callbacks(every, best));
      try (Stream<Path> s = Files.list(tmp.resolve("every"))) {
        List<String> names = s.map(p -> p.getFileName().toString()).sorted().toList();
        assertEquals(3, names.size(), names.toString());
        assertTrue(names.get(0).startsWith("epoch-01-"), names.toString());
        assertTrue(names.get(2).startsWith("epoch-03-"), names.toString());
      }
      List<Double> val = h.get("val_loss");
      int bestEpoch = val.indexOf(val.stream().min(Double::compare).orElseThrow());
      try (Sequential saved = Sequential.load(tmp.resolve("best"))) {
        assertEquals(bestEpoch + 1, saved.epochsCompleted());
      }
    }
  }
}
