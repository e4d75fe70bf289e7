package io.kava;

import static io.kava.TestArrays.array;
import static io.kava.TestArrays.column;
import static io.kava.TestArrays.flat;
import static io.kava.TestArrays.matrix;
import static io.kava.TestArrays.oneHot;
import static io.kava.TestArrays.shape;
import static io.kava.TestArrays.uniform;
import static io.kava.TestArrays.vector;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kava.callbacks.Callback;
import io.kava.layers.Activation;
import io.kava.layers.BatchNormalization;
import io.kava.layers.Conv2D;
import io.kava.layers.Dense;
import io.kava.layers.Dropout;
import io.kava.layers.Flatten;
import io.kava.layers.Input;
import io.kava.layers.MaxPooling2D;
import io.kava.layers.Padding;
import io.kava.losses.BinaryCrossentropy;
import io.kava.losses.CategoricalCrossentropy;
import io.kava.losses.MeanSquaredError;
import io.kava.losses.SparseCategoricalCrossentropy;
import io.kava.metrics.Accuracy;
import io.kava.optimizers.Adam;
import io.kava.optimizers.SGD;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.Shape;

class SequentialTest {

  static final FitOptions QUIET = FitOptions.defaults().verbose(0).seed(1);

  /** The MNIST simple CNN of the Keras examples. */
  static Sequential mnistCnn() {
    return new Sequential(Input.of(28, 28, 1), Conv2D.of(32, 3).activation(Activation.RELU),
        MaxPooling2D.of(2), Flatten.of(), Dense.of(10).activation(Activation.SOFTMAX));
  }

  @Nested
  class Naming {

    @Test
    void layersGetKerasNamesCountedPerType() {
      try (Sequential model = new Sequential(Input.of(8, 8, 1), Conv2D.of(2, 3),
          Conv2D.of(2, 3), MaxPooling2D.of(2), Flatten.of(), Dense.of(4),
          Dense.of(2).name("out"), Dense.of(1))) {
        assertEquals(List.of("conv2d", "conv2d_1", "max_pooling2d", "flatten", "dense", "out",
            "dense_1"), model.layerNames());
        assertEquals(List.of("conv2d/kernel", "conv2d/bias", "conv2d_1/kernel", "conv2d_1/bias",
            "dense/kernel", "dense/bias", "out/kernel", "out/bias", "dense_1/kernel",
            "dense_1/bias"), model.weightNames());
      }
    }

    @Test
    void automaticNamesSkipNamesTheUserTook() {
      try (Sequential model = new Sequential(Input.of(3), Dense.of(2).name("dense"),
          Dense.of(1))) {
        assertEquals(List.of("dense", "dense_1"), model.layerNames());
      }
    }

    @Test
    void duplicateUserNamesAreRejected() {
      var e = assertThrows(IllegalArgumentException.class,
          () -> new Sequential(Input.of(3), Dense.of(2).name("fc"), Dense.of(1).name("fc")));
      assertEquals("Sequential 'sequential': layer names must be unique; got 'fc' twice.",
          e.getMessage());
    }

    @Test
    void modelNamesMustBeIdentifiers() {
      var e = assertThrows(IllegalArgumentException.class,
          () -> new Sequential().name("my model"));
      assertTrue(e.getMessage().startsWith("Sequential: name must be letters, digits"),
          e.getMessage());
      assertTrue(e.getMessage().endsWith("got 'my model'."), e.getMessage());
    }

    @Test
    void errorsNameTheModel() {
      try (Sequential model = new Sequential(Input.of(3), Dense.of(1)).name("tiny")) {
        var e = assertThrows(IllegalStateException.class,
            () -> model.fit(matrix(new float[] {1, 2, 3}), column(1), QUIET));
        assertTrue(e.getMessage().startsWith("Sequential 'tiny': "), e.getMessage());
      }
    }

    @Test
    void layersCannotBeAddedOnceBuilt() {
      try (Sequential model = new Sequential(Input.of(3), Dense.of(2))) {
        model.predict(matrix(new float[] {1, 2, 3}));
        var e = assertThrows(IllegalStateException.class, () -> model.add(Dense.of(1)));
        assertTrue(e.getMessage().contains("cannot add Dense(units=1) after the model was"
            + " built"), e.getMessage());
      }
    }
  }

  @Nested
  class SummaryAndParams {

    @Test
    void mnistSimpleCnnSummary() {
      try (Sequential model = mnistCnn()) {
        String s = model.summaryString();
        assertTrue(s.startsWith("Model: \"sequential\"\n"), s);
        assertTrue(s.contains("Layer (type)") && s.contains("Output Shape")
            && s.contains("Param #"), s);
        assertTrue(s.matches("(?s).*\\n conv2d \\(Conv2D\\) +\\(None, 26, 26, 32\\) +320\\n.*"),
            s);
        assertTrue(s.matches("(?s).*\\n max_pooling2d \\(MaxPooling2D\\) +\\(None, 13, 13, 32\\)"
            + " +0\\n.*"), s);
        assertTrue(s.matches("(?s).*\\n flatten \\(Flatten\\) +\\(None, 5408\\) +0\\n.*"), s);
        assertTrue(s.matches("(?s).*\\n dense \\(Dense\\) +\\(None, 10\\) +54090\\n.*"), s);
        assertTrue(s.contains("Total params: 54,410\n"), s);
        assertTrue(s.contains("Trainable params: 54,410\n"), s);
        assertTrue(s.contains("Non-trainable params: 0\n"), s);
        assertEquals(54_410, model.countParams());
      }
    }

    @Test
    void cifar10CnnHas4597834Params() {
      // conv 3->64: 1,792; 64->64: 36,928; 64->128: 73,856; 128->128: 147,584;
      // 32 -> 30 -> 28 -> pool 14 -> 12 -> 10 -> pool 5: flatten 5*5*128 = 3,200;
      // dense 3,200->1,024: 3,277,824; 1,024->1,024: 1,049,600; 1,024->10: 10,250.
      Sequential model = new Sequential(Input.of(32, 32, 3),
          Conv2D.of(64, 3).activation(Activation.RELU),
          Conv2D.of(64, 3).activation(Activation.RELU), MaxPooling2D.of(2),
          Conv2D.of(128, 3).activation(Activation.RELU),
          Conv2D.of(128, 3).activation(Activation.RELU), MaxPooling2D.of(2), Flatten.of(),
          Dense.of(1024).activation(Activation.RELU), Dense.of(1024).activation(Activation.RELU),
          Dense.of(10).activation(Activation.SOFTMAX));
      assertEquals(4_597_834, model.countParams());
      assertTrue(model.summaryString().contains("Total params: 4,597,834"));
      assertTrue(model.summaryString().contains("(None, 5, 5, 128)"));
    }

    @Test
    void summaryAndToStringDoNotDependOnTheLocale() {
      Locale saved = Locale.getDefault();
      try (Sequential model = mnistCnn()) {
        Locale.setDefault(Locale.GERMANY);
        assertTrue(model.summaryString().contains("Total params: 54,410"),
            model.summaryString());
        assertTrue(model.toString().contains("params=54,410"), model.toString());
      } finally {
        Locale.setDefault(saved);
      }
    }

    @Test
    void summaryBeforeTheInputShapeIsKnownMarksLayersUnbuilt() {
      String s = new Sequential(Dense.of(3)).summaryString();
      assertTrue(s.matches("(?s).*\\n dense \\(Dense\\) +\\? +0 \\(unbuilt\\)\\n.*"), s);
    }

    @Test
    void toStringIsOneLine() {
      try (Sequential model = new Sequential(Input.of(4), Dense.of(3), Dense.of(1))) {
        assertEquals("Sequential(name=sequential, layers=2, input=(4,), params=19)",
            model.toString());
        model.compile(new SGD(), new MeanSquaredError());
        assertEquals("Sequential(name=sequential, layers=2, input=(4,), params=19,"
            + " optimizer=SGD, loss=mean_squared_error)", model.toString());
      }
      assertEquals("Sequential(name=sequential, layers=1)",
          new Sequential(Dense.of(1)).toString());
    }
  }

  @Nested
  class ShapeInference {

    @Test
    void withoutInputTheShapeComesFromTheFirstFit() {
      try (Sequential model = new Sequential(Conv2D.of(2, 3), Flatten.of(), Dense.of(1))) {
        assertNull(model.inputShape());
        var e = assertThrows(IllegalStateException.class, model::countParams);
        assertTrue(e.getMessage().contains("countParams() needs the input shape"),
            e.getMessage());
        model.compile(new SGD(), new MeanSquaredError());
        model.fit(uniform(1, 0, 1, 4, 5, 5, 1), uniform(2, 0, 1, 4, 1), QUIET);
        assertEquals(Shape.of(5, 5, 1), model.inputShape());
        assertEquals(Shape.of(1), model.outputShape());
        assertEquals(Shape.of(3, 3, 1, 2), model.getWeights().get(0).shape());
        assertEquals(3 * 3 * 2 + 2 + 18 + 1, model.countParams());
        // Later data must have the inferred shape.
        var wrong = assertThrows(IllegalArgumentException.class,
            () -> model.predict(uniform(1, 0, 1, 2, 6, 6, 1)));
        assertTrue(wrong.getMessage().contains("(None, 5, 5, 1)")
            && wrong.getMessage().contains("[2, 6, 6, 1]"), wrong.getMessage());
      }
    }

    @Test
    void evaluateAndPredictAlsoInferTheShape() {
      try (Sequential model = new Sequential(Dense.of(2))) {
        model.compile(new SGD(), new MeanSquaredError());
        Map<String, Double> logs = model.evaluate(uniform(1, 0, 1, 3, 4), uniform(2, 0, 1, 3, 2));
        assertEquals(Shape.of(4), model.inputShape());
        assertTrue(Double.isFinite(logs.get("loss")));
      }
      try (Sequential model = new Sequential(Dense.of(2))) {
        assertEquals(Shape.of(3, 2), model.predict(uniform(1, 0, 1, 3, 5)).shape());
        assertEquals(Shape.of(5), model.inputShape());
      }
    }

    @Test
    void compilingAfterPredictKeepsTheWeights() {
      try (Sequential model = new Sequential(Input.of(3), Dense.of(2)).seed(4)) {
        FloatNdArray x = uniform(1, -1, 1, 2, 3);
        float[] before = flat(model.predict(x));
        model.compile(new SGD(), new MeanSquaredError());
        assertArrayEquals(before, flat(model.predict(x)));
      }
    }
  }

  @Nested
  class FitEvaluatePredictErrors {
    private final FloatNdArray x = uniform(1, 0, 1, 4, 3);

    private Sequential classifier() {
      Sequential model = new Sequential(Input.of(3), Dense.of(10).activation(Activation.SOFTMAX));
      model.compile(new SGD(), new CategoricalCrossentropy(), new Accuracy());
      return model;
    }

    private IllegalArgumentException fitFails(Sequential model, FloatNdArray x,
        FloatNdArray y) {
      List<float[]> before = flat(model.getWeights());
      var e = assertThrows(IllegalArgumentException.class, () -> model.fit(x, y, QUIET));
      // Checked before the first step: nothing was trained.
      List<float[]> after = flat(model.getWeights());
      for (int i = 0; i < before.size(); i++) {
        assertArrayEquals(before.get(i), after.get(i));
      }
      return e;
    }

    private static void assertContains(String message, String... parts) {
      for (String p : parts) {
        assertTrue(message.contains(p), "'" + p + "' not in: " + message);
      }
    }

    @Test
    void fitAndEvaluateBeforeCompile() {
      try (Sequential model = new Sequential(Input.of(3), Dense.of(10))) {
        var e = assertThrows(IllegalStateException.class,
            () -> model.fit(x, oneHot(10, 0, 1, 2, 3), QUIET));
        assertEquals("Sequential 'sequential': fit() called before compile(); call"
            + " model.compile(optimizer, loss, metrics...) first.", e.getMessage());
        e = assertThrows(IllegalStateException.class,
            () -> model.evaluate(x, oneHot(10, 0, 1, 2, 3)));
        assertContains(e.getMessage(), "evaluate() called before compile()");
        // predict needs no compile.
        assertEquals(Shape.of(4, 10), model.predict(x).shape());
      }
    }

    @Test
    void sampleCountsOfXAndYMustMatch() {
      try (Sequential model = classifier()) {
        var e = fitFails(model, x, oneHot(10, 0, 1, 2, 3, 4));
        assertContains(e.getMessage(), "x and y must hold the same number of samples",
            "[4, 3]", "[5, 10]");
      }
    }

    @Test
    void xMustHaveTheModelsInputShape() {
      try (Sequential model = classifier()) {
        var e = fitFails(model, uniform(1, 0, 1, 4, 5), oneHot(10, 0, 1, 2, 3));
        assertEquals("Sequential 'sequential': x must have shape (None, 3); got [4, 5].",
            e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
            () -> model.predict(uniform(1, 0, 1, 2, 3, 1)));
        assertContains(e.getMessage(), "(None, 3)", "[2, 3, 1]");
      }
    }

    @Test
    void oneHotLabelsMustMatchTheOutput() {
      try (Sequential model = classifier()) {
        var e = fitFails(model, x, oneHot(5, 0, 1, 2, 3));
        assertContains(e.getMessage(), "y must have shape (None, 10)",
            "CategoricalCrossentropy", "[4, 5]");
        e = fitFails(model, x, vector(0, 1, 2, 3));
        assertContains(e.getMessage(), "got [4]",
            "Class indices need SparseCategoricalCrossentropy, or one-hot encode them.");
        e = fitFails(model, x, array(shape(4, 10), new float[] {
            0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0,
            0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0}));
        assertContains(e.getMessage(), "CategoricalCrossentropy: labels must be values in"
            + " [0, 1]; got 3.0 at sample 0.");
      }
    }

    @Test
    void sparseLabelsMustBeClassIndicesOfTheOutput() {
      try (Sequential model = new Sequential(Input.of(3), Dense.of(10))) {
        model.compile(new SGD(), new SparseCategoricalCrossentropy());
        var e = fitFails(model, x, vector(0, 3, 10, 1));
        assertEquals("SparseCategoricalCrossentropy: labels must be integers in [0, 9]; got 10.0"
            + " at sample 2. The model has 10 output units; labels are class indices.",
            e.getMessage());
        e = fitFails(model, x, vector(0, 1.5f, 2, 1));
        assertContains(e.getMessage(), "got 1.5 at sample 1");
        e = fitFails(model, x, vector(0, -1, 2, 1));
        assertContains(e.getMessage(), "got -1.0 at sample 1");
      }
    }

    @Test
    void binaryLabelsMustBeInZeroToOne() {
      try (Sequential model = new Sequential(Input.of(3),
          Dense.of(1).activation(Activation.SIGMOID))) {
        model.compile(new SGD(), new BinaryCrossentropy());
        var e = fitFails(model, x, column(0, 1, 2, 1));
        assertEquals("BinaryCrossentropy: labels must be values in [0, 1]; got 2.0 at sample 2."
            + " Binary labels are 0 or 1 (or a probability).", e.getMessage());
      }
    }

    @Test
    void xAndYMustBeFinite() {
      try (Sequential model = new Sequential(Input.of(3), Dense.of(1))) {
        model.compile(new SGD(), new MeanSquaredError());
        FloatNdArray bad = uniform(1, 0, 1, 4, 3);
        bad.setFloat(Float.NaN, 2, 1);
        var e = fitFails(model, bad, column(0, 1, 2, 3));
        assertEquals("Sequential 'sequential': fit x must be finite; got NaN or infinity in"
            + " sample 2.", e.getMessage());
        e = fitFails(model, x, column(0, 1, 2, Float.NaN));
        assertEquals("Sequential 'sequential': fit y must be finite; got NaN or infinity in"
            + " sample 3.", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
            () -> model.evaluate(x, column(0, Float.POSITIVE_INFINITY, 2, 3)));
        assertContains(e.getMessage(), "evaluate y must be finite", "sample 1");
      }
    }

    @Test
    void dataMustNotBeEmpty() {
      try (Sequential model = classifier()) {
        var e = fitFails(model, array(shape(0, 3)), array(shape(0, 10)));
        assertEquals("Sequential 'sequential': fit data must hold at least one sample; got an"
            + " empty x [0, 3].", e.getMessage());
      }
    }

    @Test
    void validationSplitMustLeaveSamplesOnBothSides() {
      try (Sequential model = new Sequential(Input.of(3), Dense.of(1))) {
        model.compile(new SGD(), new MeanSquaredError());
        FloatNdArray x100 = uniform(1, 0, 1, 100, 3);
        FloatNdArray y100 = uniform(2, 0, 1, 100, 1);
        var e = assertThrows(IllegalArgumentException.class,
            () -> model.fit(x100, y100, QUIET.validationSplit(0.999)));
        assertEquals("Sequential 'sequential': validation split 0.999 of 100 samples must leave"
            + " samples on both sides; got 0 for training and 100 for validation.",
            e.getMessage());
      }
    }

    @Test
    void batchSizeMustBePositive() {
      try (Sequential model = classifier()) {
        var e = assertThrows(IllegalArgumentException.class,
            () -> model.evaluate(x, oneHot(10, 0, 1, 2, 3), 0));
        assertEquals("Sequential 'sequential': batch size must be > 0; got 0.", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> model.predict(x, -1));
        assertEquals("Sequential 'sequential': batch size must be > 0; got -1.", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
            () -> model.fit(x, oneHot(10, 0, 1, 2, 3), QUIET.batchSize(0)));
        assertEquals("FitOptions: batch size must be > 0; got 0.", e.getMessage());
      }
    }

    @Test
    void validationDataIsCheckedLikeTrainingData() {
      try (Sequential model = classifier()) {
        var e = assertThrows(IllegalArgumentException.class, () -> model.fit(x,
            oneHot(10, 0, 1, 2, 3), QUIET.validationData(x, oneHot(10, 0, 1, 2))));
        assertContains(e.getMessage(), "validation x and y must hold the same number of"
            + " samples", "[4, 3]", "[3, 10]");
      }
    }
  }

  @Nested
  class Weights {

    @Test
    void getAndSetWeightsRoundTrip() {
      try (Sequential model = new Sequential(Input.of(2), Dense.of(2), Dense.of(1)).seed(1)) {
        List<FloatNdArray> w = List.of(matrix(new float[] {1, 2}, new float[] {3, 4}),
            vector(0.5f, -0.5f), matrix(new float[] {1}, new float[] {-1}), vector(2));
        model.setWeights(w);
        List<FloatNdArray> back = model.getWeights();
        assertEquals(4, back.size());
        for (int i = 0; i < 4; i++) {
          assertEquals(w.get(i).shape(), back.get(i).shape());
          assertArrayEquals(flat(w.get(i)), flat(back.get(i)));
        }
        // [1, 1] -> [1 + 3 + 0.5, 2 + 4 - 0.5] = [4.5, 5.5] -> 4.5 - 5.5 + 2 = 1
        assertEquals(1f, model.predict(matrix(new float[] {1, 1})).getFloat(0, 0), 1e-6f);
        // The arrays are copies: changing them changes nothing in the model.
        back.get(3).setFloat(100f, 0);
        assertEquals(2f, model.getWeights().get(3).getFloat(0));
      }
    }

    @Test
    void setWeightsNeedsEveryWeight() {
      try (Sequential model = new Sequential(Input.of(2), Dense.of(2))) {
        var e = assertThrows(IllegalArgumentException.class,
            () -> model.setWeights(List.of(vector(1, 2))));
        assertEquals("Sequential 'sequential': setWeights needs 2 arrays; got 1.",
            e.getMessage());
      }
    }

    @Test
    void theModelSeedFixesTheInitialWeights() {
      try (Sequential a = mnistCnn().seed(9); Sequential b = mnistCnn().seed(9);
          Sequential c = mnistCnn().seed(10)) {
        List<float[]> wa = flat(a.getWeights());
        List<float[]> wb = flat(b.getWeights());
        List<float[]> wc = flat(c.getWeights());
        for (int i = 0; i < wa.size(); i++) {
          assertArrayEquals(wa.get(i), wb.get(i));
        }
        assertFalse(java.util.Arrays.equals(wa.get(0), wc.get(0)));
      }
    }

    @Test
    void seedMustBeSetBeforeBuilding() {
      try (Sequential model = new Sequential(Input.of(2), Dense.of(2))) {
        model.getWeights();
        var e = assertThrows(IllegalStateException.class, () -> model.seed(1));
        assertTrue(e.getMessage().contains("seed must be set before the model is built"),
            e.getMessage());
      }
    }
  }

  @Nested
  class Determinism {

    private Sequential cnn() {
      Sequential model = new Sequential(Input.of(8, 8, 1),
          Conv2D.of(4, 3).padding(Padding.SAME).activation(Activation.RELU),
          BatchNormalization.of(), MaxPooling2D.of(2), Dropout.of(0.3), Flatten.of(),
          Dense.of(3).activation(Activation.SOFTMAX)).seed(21);
      model.compile(new Adam(0.01), new CategoricalCrossentropy(), new Accuracy());
      return model;
    }

    private final FloatNdArray x = uniform(5, 0, 1, 48, 8, 8, 1);
    private final FloatNdArray y = labels();

    private FloatNdArray labels() {
      int[] classes = new int[48];
      for (int i = 0; i < 48; i++) {
        classes[i] = i % 3;
      }
      return oneHot(3, classes);
    }

    private History train(Sequential model, long seed) {
      return model.fit(x, y, FitOptions.defaults().epochs(3).batchSize(8).verbose(0).seed(seed)
          .validationSplit(0.25));
    }

    @Test
    void sameSeedsGiveIdenticalWeightsAndHistory() {
      try (Sequential a = cnn(); Sequential b = cnn()) {
        History ha = train(a, 5);
        History hb = train(b, 5);
        assertEquals(ha.asMap(), hb.asMap());
        List<float[]> wa = flat(a.getWeights());
        List<float[]> wb = flat(b.getWeights());
        for (int i = 0; i < wa.size(); i++) {
          assertArrayEquals(wa.get(i), wb.get(i), a.weightNames().get(i));
        }
      }
    }

    @Test
    void anotherFitSeedGivesAnotherRun() {
      try (Sequential a = cnn(); Sequential b = cnn()) {
        assertFalse(train(a, 5).get("loss").equals(train(b, 6).get("loss")));
      }
    }
  }

  @Nested
  class PredictClasses {

    @Test
    void argmaxOfTheOutputs() {
      try (Sequential model = new Sequential(Input.of(3), Dense.of(3).useBias(false))) {
        model.setWeights(List.of(matrix(new float[] {1, 0, 0}, new float[] {0, 1, 0},
            new float[] {0, 0, 1})));
        FloatNdArray x = matrix(new float[] {0.1f, 0.7f, 0.2f}, new float[] {3, -1, 2},
            new float[] {-5, -4, -3}, new float[] {1, 1, 0});
        // Ties go to the first index, as numpy's argmax.
        assertArrayEquals(new int[] {1, 0, 2, 0}, model.predictClasses(x));
      }
    }

    @Test
    void oneSigmoidUnitIsThresholdedAtHalf() {
      try (Sequential model = new Sequential(Input.of(1),
          Dense.of(1).activation(Activation.SIGMOID))) {
        model.setWeights(List.of(matrix(new float[] {1}), vector(0)));
        // sigmoid(0) = 0.5 is not above the threshold.
        assertArrayEquals(new int[] {0, 0, 1, 1},
            model.predictClasses(column(-3, 0, 0.01f, 4)));
      }
    }
  }

  @Nested
  class ValidationSplit {

    @Test
    void takesTheLastSamplesAndRoundsTheTrainingPartDownAsKeras() {
      // Keras: 10 samples with split 0.25 train on floor(10 * 0.75) = 7 and validate on 3.
      FloatNdArray x = uniform(1, -1, 1, 10, 2);
      FloatNdArray y = uniform(2, -1, 1, 10, 1);
      try (Sequential model = new Sequential(Input.of(2), Dense.of(1)).seed(3)) {
        model.compile(new SGD(0.1), new MeanSquaredError());
        int[] batches = {0};
        Callback counter = new Callback() {
          @Override
          public void onBatchEnd(Model m, int batch, Map<String, Double> logs) {
            batches[0]++;
          }
        };
        History h = model.fit(x, y, QUIET.batchSize(1).validationSplit(0.25).callbacks(counter));
        assertEquals(7, batches[0]);
        FloatNdArray lastThree = uniform(1, -1, 1, 10, 2).slice(
            org.tensorflow.ndarray.index.Indices.range(7, 10));
        FloatNdArray lastLabels = uniform(2, -1, 1, 10, 1).slice(
            org.tensorflow.ndarray.index.Indices.range(7, 10));
        assertEquals(model.evaluate(lastThree, lastLabels, 1).get("loss"),
            h.last("val_loss"), 1e-7);
      }
    }
  }

  @Nested
  class IntegerLabels {
    private final FloatNdArray x = uniform(1, 0, 1, 8, 3);
    private final int[] labels = {0, 3, 9, 1, 2, 2, 5, 7};

    private Sequential sparse() {
      Sequential model = new Sequential(Input.of(3), Dense.of(10).activation(Activation.SOFTMAX))
          .seed(4);
      model.compile(new SGD(0.1), new SparseCategoricalCrossentropy(), new Accuracy());
      return model;
    }

    @Test
    void trainAndEvaluateExactlyAsTheSameLabelsAsFloats() {
      FloatNdArray floats = vector(0, 3, 9, 1, 2, 2, 5, 7);
      History a;
      History b;
      Map<String, Double> scoresA;
      Map<String, Double> scoresB;
      try (Sequential model = sparse()) {
        a = model.fit(x, labels, QUIET.epochs(2).validationData(x, labels));
        scoresA = model.evaluate(x, labels);
      }
      try (Sequential model = sparse()) {
        b = model.fit(x, floats, QUIET.epochs(2).validationData(x, floats));
        scoresB = model.evaluate(x, floats);
      }
      assertEquals(b.get("loss"), a.get("loss"));
      assertEquals(b.get("val_accuracy"), a.get("val_accuracy"));
      assertEquals(scoresB, scoresA);
      assertTrue(a.last("loss") < a.get("loss").get(0), "two steps lower the loss: " + a);
    }

    @Test
    void zeroOneLabelsTrainOneSigmoidUnit() {
      try (Sequential model = new Sequential(Input.of(3),
          Dense.of(1).activation(Activation.SIGMOID)).seed(4)) {
        model.compile(new SGD(0.1), new BinaryCrossentropy(), new Accuracy());
        int[] odd = {0, 1, 1, 1, 0, 0, 1, 1};
        History h = model.fit(x, odd, QUIET.epochs(1));
        assertEquals(List.of("accuracy", "loss"), h.keys().stream().sorted().toList());
        assertEquals(Set.of("loss", "accuracy"), model.evaluate(x, odd).keySet());
      }
    }

    @Test
    void areCheckedAsFloatLabelsAre() {
      try (Sequential model = sparse()) {
        var e = assertThrows(IllegalArgumentException.class,
            () -> model.fit(x, new int[] {0, 1, 10, 1, 0, 0, 0, 0}, QUIET));
        assertEquals("SparseCategoricalCrossentropy: labels must be integers in [0, 9]; got 10.0"
            + " at sample 2. The model has 10 output units; labels are class indices.",
            e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
            () -> model.evaluate(x, new int[] {0, 1, 2}));
        FitEvaluatePredictErrors.assertContains(e.getMessage(),
            "x and y must hold the same number of samples", "[8, 3]", "[3]");
        e = assertThrows(IllegalArgumentException.class,
            () -> model.fit(x, (int[]) null, QUIET));
        FitEvaluatePredictErrors.assertContains(e.getMessage(), "Sequential 'sequential'", "y");
        e = assertThrows(IllegalArgumentException.class,
            () -> QUIET.validationData(x, (int[]) null));
        FitEvaluatePredictErrors.assertContains(e.getMessage(), "FitOptions", "validation y");
      }
    }

    @Test
    void withACategoricalLossSayWhatToUseInstead() {
      try (Sequential model = new Sequential(Input.of(3),
          Dense.of(10).activation(Activation.SOFTMAX))) {
        model.compile(new SGD(), new CategoricalCrossentropy());
        var e = assertThrows(IllegalArgumentException.class,
            () -> model.fit(x, labels, QUIET));
        FitEvaluatePredictErrors.assertContains(e.getMessage(), "got [8]",
            "Class indices need SparseCategoricalCrossentropy, or one-hot encode them.");
      }
    }
  }
}
