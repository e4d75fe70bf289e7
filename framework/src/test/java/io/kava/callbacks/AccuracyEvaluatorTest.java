package io.kava.callbacks;

import static io.kava.TestArrays.flat;
import static io.kava.TestArrays.oneHot;
import static io.kava.TestArrays.uniform;
import static io.kava.callbacks.Fixtures.X;
import static io.kava.callbacks.Fixtures.Y;
import static io.kava.callbacks.Fixtures.epochs;
import static io.kava.callbacks.Fixtures.regression;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kava.History;
import io.kava.Model;
import io.kava.Sequential;
import io.kava.callbacks.Fixtures.Script;
import io.kava.layers.Activation;
import io.kava.layers.Dense;
import io.kava.layers.Input;
import io.kava.losses.CategoricalCrossentropy;
import io.kava.metrics.ConfusionMatrix;
import io.kava.optimizers.SGD;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.FloatNdArray;

class AccuracyEvaluatorTest {
  private static final int[] LABELS = new int[100];

  /** A predictor whose k-th call gets the first {@code round(100 * acc[k])} samples right. */
  private static Function<Model, int[]> scripted(double... acc) {
    int[] call = {0};
    return m -> {
      int right = (int) Math.round(acc[call[0]++] * 100);
      int[] p = new int[100];
      Arrays.fill(p, right, 100, 1);
      return p;
    };
  }

  @Test
  void aNewBestMustBeatTheBestByTheRelativeThreshold() {
    // 0.60 -> 0.61 is 1.7% better, under the 2% threshold; 0.70 is 16.7% better.
    var evaluator = AccuracyEvaluator.of(LABELS, scripted(0.5, 0.6, 0.61, 0.7, 0.65))
        .threshold(0.02);
    try (Sequential model = regression(0.01)) {
      History h = model.fit(X, Y, epochs(5).callbacks(evaluator));
      assertEquals(List.of(0.5, 0.6, 0.61, 0.7, 0.65), h.get("val_eval_accuracy"));
      assertEquals(3, evaluator.bestEpoch());
      assertEquals(0.7, evaluator.bestAccuracy());
      assertEquals(List.of(0.5, 0.6, 0.61, 0.7, 0.65), evaluator.accuracies());
    }
    var anyGain = AccuracyEvaluator.of(LABELS, scripted(0.6, 0.61)).threshold(0);
    try (Sequential model = regression(0.01)) {
      model.fit(X, Y, epochs(2).callbacks(anyGain));
      assertEquals(1, anyGain.bestEpoch());
    }
  }

  @Test
  void improvesComparesRelativelyToTheBest() {
    var evaluator = AccuracyEvaluator.of(LABELS, scripted(0.8)).threshold(0.05);
    assertTrue(evaluator.improves(0.1), "before any epoch everything is a first best");
    try (Sequential model = regression(0.01)) {
      model.fit(X, Y, epochs(1).callbacks(evaluator));
    }
    assertFalse(evaluator.improves(0.84));
    assertTrue(evaluator.improves(0.8401));
    assertFalse(evaluator.improves(Double.NaN));
  }

  @Test
  void restoresTheBestWeightsAndSavesTheBestModel(@TempDir Path dir) {
    Path best = dir.resolve("best");
    var evaluator = AccuracyEvaluator.of(LABELS, scripted(0.5, 0.9, 0.7, 0.8))
        .restoreBestWeights(true).saveBestTo(best);
    Script recorder = Script.recorder();
    try (Sequential model = regression(0.01)) {
      model.fit(X, Y, epochs(4).callbacks(evaluator, recorder));
      assertArrayEquals(recorder.weights.get(1).get(0), flat(model.getWeights()).get(0),
          "weights of epoch 2 (the best), not of the last epoch");
      assertTrue(Files.isRegularFile(best.resolve("kava.json")));
      try (Sequential saved = Sequential.load(best)) {
        assertArrayEquals(recorder.weights.get(1).get(0), flat(saved.getWeights()).get(0));
      }
    }
  }

  @Test
  void restoresTheBestWeightsWhenResumingFromALaterEpoch() {
    // Epochs are numbered from initialEpoch: the best (epoch index 5) is the first of three.
    var evaluator = AccuracyEvaluator.of(LABELS, scripted(0.9, 0.5, 0.6))
        .restoreBestWeights(true);
    Script recorder = Script.recorder();
    try (Sequential model = regression(0.01)) {
      model.fit(X, Y, epochs(8).initialEpoch(5).callbacks(evaluator, recorder));
      assertEquals(5, evaluator.bestEpoch());
      assertArrayEquals(recorder.weights.get(0).get(0), flat(model.getWeights()).get(0));
    }
  }

  @Test
  void scoresTheModelsPredictedClassesAndPrintsEachEpoch() {
    FloatNdArray x = uniform(4, -1, 1, 12, 3);
    int[] labels = {0, 1, 1, 0, 1, 0, 0, 1, 1, 1, 0, 0};
    FloatNdArray y = oneHot(2, labels);
    var bytes = new ByteArrayOutputStream();
    var evaluator = AccuracyEvaluator.of(x, labels).name("val_best_accuracy").threshold(0.01)
        .verbose(true);
    try (Sequential model = new Sequential(Input.of(3),
        Dense.of(2).activation(Activation.SOFTMAX)).seed(1)) {
      model.compile(new SGD(0.5), new CategoricalCrossentropy());
      History h = model.fit(x, y, epochs(3).callbacks(evaluator)
          .printTo(new PrintStream(bytes, true, StandardCharsets.UTF_8)));
      double expected = ConfusionMatrix.of(labels, model.predictClasses(x), 2).accuracy();
      assertEquals(expected, evaluator.evaluate(model));
      assertEquals(expected, h.last("val_best_accuracy"));
    }
    String text = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(text.startsWith("Epoch 1: val_best_accuracy "), text);
    assertTrue(text.contains(", the first best"), text);
    assertEquals(3, text.lines().count(), text);
    assertTrue(evaluator.toString().startsWith(
        "AccuracyEvaluator(val_best_accuracy, samples=12, threshold=0.01, best="), evaluator
        .toString());
  }

  @Test
  void badArgumentsAreNamed() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> AccuracyEvaluator.of(LABELS, scripted(0.5)).threshold(-0.1));
    assertEquals("AccuracyEvaluator: threshold must be a finite number >= 0; got -0.1.",
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> AccuracyEvaluator.of(uniform(1, 0, 1, 5, 3), new int[4]));
    assertEquals("AccuracyEvaluator: x and labels must hold the same number of samples; got x"
        + " [5, 3] and 4 labels.", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> AccuracyEvaluator.of(new int[0], m -> new int[0]));
    assertTrue(e.getMessage().contains("labels must be at least one held-out sample"),
        e.getMessage());
    var shortPredictor = AccuracyEvaluator.of(LABELS, m -> new int[3]);
    try (Sequential model = regression(0.01)) {
      e = assertThrows(IllegalArgumentException.class, () -> shortPredictor.evaluate(model));
      assertEquals("AccuracyEvaluator: the predictor must return one class per held-out sample"
          + " (100); got 3.", e.getMessage());
    }
  }
}
