package io.kava.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kava.FitOptions;
import io.kava.History;
import io.kava.Model;
import io.kava.Node;
import io.kava.data.datasets.ImageDataset;
import io.kava.layers.Activation;
import io.kava.layers.Add;
import io.kava.layers.Concatenate;
import io.kava.layers.Conv2D;
import io.kava.layers.Dense;
import io.kava.layers.Dropout;
import io.kava.layers.Flatten;
import io.kava.layers.Input;
import io.kava.layers.MaxPooling2D;
import io.kava.layers.Padding;
import io.kava.losses.BinaryCrossentropy;
import io.kava.losses.CategoricalCrossentropy;
import io.kava.metrics.Accuracy;
import io.kava.optimizers.Adam;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * Functional models on real MNIST digits from ../shared/data: a residual CNN, an image plus a
 * feature vector, and a digit plus parity classifier. Each trains, saves, loads with identical
 * predictions and exports a SavedModel that TF-Java's own SavedModelBundle runs by name.
 */
class FunctionalModelsTest {
  static FloatNdArray x;
  static FloatNdArray xTest;
  static ImageDataset train;
  static ImageDataset test;

  @BeforeAll
  static void load() {
    MnistModelsTest.load();
    train = MnistModelsTest.train.take(0, 3000);
    test = MnistModelsTest.test.take(0, 1000);
    x = MnistModelsTest.rescaled(train);
    xTest = MnistModelsTest.rescaled(test);
  }

  private static FitOptions opts(int epochs) {
    return FitOptions.defaults().epochs(epochs).batchSize(32).seed(1).verbose(0);
  }

  /** Mean ink per image row: a second, vector input computed from the digit. */
  static FloatNdArray rowProfile(FloatNdArray images) {
    long n = images.shape().get(0);
    FloatNdArray p = NdArrays.ofFloats(Shape.of(n, 28));
    for (long i = 0; i < n; i++) {
      for (int r = 0; r < 28; r++) {
        float sum = 0;
        for (int c = 0; c < 28; c++) {
          sum += images.getFloat(i, r, c, 0);
        }
        p.setFloat(sum / 28, i, r);
      }
    }
    return p;
  }

  /** Exports {@code m} and checks SavedModelBundle gives {@code m}'s predictions by name. */
  private static void exportRunsByName(Model m, Map<String, FloatNdArray> in, Path dir) {
    Map<String, FloatNdArray> expected = m.predict(in);
    m.export(dir);
    try (SavedModelBundle b = SavedModelBundle.load(dir.toString(), "serve")) {
      Map<String, org.tensorflow.Tensor> feeds = new java.util.HashMap<>();
      in.forEach((k, v) -> feeds.put(k, TFloat32.tensorOf(v)));
      try (var r = b.function("serving_default").call(feeds)) {
        for (String out : m.outputNames()) {
          TFloat32 t = (TFloat32) r.get(out).orElseThrow();
          assertEquals(expected.get(out).shape(), t.shape(), out);
          assertEquals(expected.get(out).getFloat(3, 0), t.getFloat(3, 0), 1e-5f, out);
        }
      } finally {
        feeds.values().forEach(org.tensorflow.Tensor::close);
      }
    }
  }

  @Test
  void aResidualCnnLearnsDigits(@TempDir Path tmp) {
    Input img = Input.of(28, 28, 1).name("image");
    Node h = Conv2D.of(16, 3).padding(Padding.SAME).activation(Activation.RELU).apply(img);
    Node r = Conv2D.of(16, 3).padding(Padding.SAME).activation(Activation.RELU).apply(h);
    r = Conv2D.of(16, 3).padding(Padding.SAME).apply(r);
    h = Activation.RELU.apply(Add.of().apply(h, r));
    h = Flatten.of().apply(MaxPooling2D.of(4).apply(h));
    Node out = Dense.of(10).activation(Activation.SOFTMAX).name("digit").apply(h);
    try (Model m = Model.of(img, out).seed(1)) {
      m.compile(new Adam(0.002), new CategoricalCrossentropy(), new Accuracy());
      m.fit(x, train.oneHotLabels(), opts(2));
      Map<String, Double> scores = m.evaluate(xTest, test.oneHotLabels());
      System.out.println("Residual CNN: " + scores);
      assertTrue(scores.get("accuracy") >= 0.9, scores.toString());
      m.save(tmp.resolve("saved"));
      try (Model again = Model.load(tmp.resolve("saved"))) {
        assertEquals(m.predict(xTest), again.predict(xTest));
        exportRunsByName(again, Map.of("image", xTest), tmp.resolve("export"));
      }
    }
  }

  @Test
  void anImageAndAVectorAreConcatenated(@TempDir Path tmp) {
    Input img = Input.of(28, 28, 1).name("image");
    Input rows = Input.of(28).name("rows");
    Node h = Conv2D.of(8, 3).activation(Activation.RELU).apply(img);
    h = Flatten.of().apply(MaxPooling2D.of(2).apply(h));
    Node v = Dense.of(16).activation(Activation.RELU).apply(rows);
    Node both = Dropout.of(0.2).apply(Concatenate.of().apply(h, v));
    Node out = Dense.of(10).activation(Activation.SOFTMAX).name("digit").apply(both);
    try (Model m = Model.of(List.of(img, rows), List.of(out)).seed(2)) {
      m.compile(new Adam(0.002), new CategoricalCrossentropy(), new Accuracy());
      Map<String, FloatNdArray> in = Map.of("image", x, "rows", rowProfile(x));
      Map<String, FloatNdArray> inTest = Map.of("image", xTest, "rows", rowProfile(xTest));
      History hist = m.fit(in, Map.of("digit", train.oneHotLabels()), opts(2)
          .validationData(inTest, Map.of("digit", test.oneHotLabels())));
      System.out.println("Image + rows: " + hist);
      assertTrue(hist.last("val_accuracy") >= 0.85, hist.toString());
      m.save(tmp.resolve("saved"));
      try (Model again = Model.load(tmp.resolve("saved"))) {
        assertEquals(m.predict(inTest), again.predict(inTest));
        exportRunsByName(again, inTest, tmp.resolve("export"));
      }
    }
  }

  @Test
  void oneModelPredictsTheDigitAndItsParity(@TempDir Path tmp) {
    Input img = Input.of(28, 28, 1).name("image");
    Node h = Conv2D.of(16, 3).activation(Activation.RELU).apply(img);
    h = Flatten.of().apply(MaxPooling2D.of(2).apply(h));
    Node digit = Dense.of(10).activation(Activation.SOFTMAX).name("digit").apply(h);
    Node parity = Dense.of(1).activation(Activation.SIGMOID).name("parity").apply(h);
    try (Model m = Model.of(List.of(img), List.of(digit, parity)).seed(3)) {
      m.compile(new Adam(0.002), Map.of("digit", new CategoricalCrossentropy(),
          "parity", new BinaryCrossentropy()), Map.of("parity", 0.5), new Accuracy());
      Map<String, FloatNdArray> y = Map.of("digit", train.oneHotLabels(),
          "parity", MnistModelsTest.oddEven(train));
      Map<String, FloatNdArray> yTest = Map.of("digit", test.oneHotLabels(),
          "parity", MnistModelsTest.oddEven(test));
      History hist = m.fit(Map.of("image", x), y, opts(2));
      assertEquals(List.of("loss", "digit_loss", "parity_loss", "digit_accuracy",
          "parity_accuracy"), List.copyOf(hist.keys()));
      Map<String, Double> scores = m.evaluate(Map.of("image", xTest), yTest);
      System.out.println("Digit + parity: " + scores);
      assertTrue(scores.get("digit_accuracy") >= 0.88, scores.toString());
      assertTrue(scores.get("parity_accuracy") >= 0.88, scores.toString());
      m.save(tmp.resolve("saved"));
      try (Model again = Model.load(tmp.resolve("saved"))) {
        assertEquals(scores, again.evaluate(Map.of("image", xTest), yTest));
        exportRunsByName(again, Map.of("image", xTest), tmp.resolve("export"));
      }
    }
  }
}
