package io.kava.metrics;

import static io.kava.TestArrays.column;
import static io.kava.TestArrays.matrix;
import static io.kava.TestArrays.oneHot;
import static io.kava.TestArrays.vector;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kava.Sequential;
import io.kava.layers.Activation;
import io.kava.layers.Dense;
import io.kava.layers.Input;
import io.kava.losses.BinaryCrossentropy;
import io.kava.losses.CategoricalCrossentropy;
import io.kava.losses.Loss;
import io.kava.losses.MeanSquaredError;
import io.kava.losses.SparseCategoricalCrossentropy;
import io.kava.metrics.Accuracy.Kind;
import io.kava.optimizers.SGD;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.Shape;

class AccuracyTest {

  /** Three outputs that equal the three inputs (identity kernel, no bias). */
  private static Sequential identity(Loss loss, Metric metric) {
    Sequential model = new Sequential(Input.of(3), Dense.of(3).useBias(false));
    model.compile(new SGD(), loss, metric);
    model.setWeights(List.of(matrix(new float[] {1, 0, 0}, new float[] {0, 1, 0},
        new float[] {0, 0, 1})));
    return model;
  }

  /** Rows of "probabilities" with argmax 1, 0, 2, 2, 1. */
  private static final FloatNdArray SCORES = matrix(new float[] {0.1f, 0.7f, 0.2f},
      new float[] {0.5f, 0.3f, 0.2f}, new float[] {0.2f, 0.2f, 0.6f}, new float[] {0, 0.1f, 0.9f},
      new float[] {0.3f, 0.4f, 0.3f});

  @Test
  void resolvesAsKerasResolvesAccuracy() {
    Accuracy a = new Accuracy();
    assertEquals(Kind.BINARY, a.resolve(new BinaryCrossentropy(), Shape.of(1)));
    assertEquals(Kind.BINARY, a.resolve(new MeanSquaredError(), Shape.of(1)));
    assertEquals(Kind.SPARSE_CATEGORICAL,
        a.resolve(new SparseCategoricalCrossentropy(), Shape.of(10)));
    assertEquals(Kind.CATEGORICAL, a.resolve(new CategoricalCrossentropy(), Shape.of(10)));
    assertEquals(Kind.CATEGORICAL, a.resolve(new MeanSquaredError(), Shape.of(10)));
    // A fixed kind is kept.
    assertEquals(Kind.BINARY, Accuracy.binary().resolve(new CategoricalCrossentropy(),
        Shape.of(10)));
    assertEquals("accuracy", Accuracy.sparseCategorical().name());
  }

  @Test
  void binaryThresholdsOneUnitAtHalf() {
    try (Sequential model = new Sequential(Input.of(1),
        Dense.of(1).activation(Activation.SIGMOID))) {
      model.compile(new SGD(), new BinaryCrossentropy(), new Accuracy());
      model.setWeights(List.of(matrix(new float[] {1}), vector(0)));
      // sigmoid: 0.90, 0.20, 0.60, 0.40 -> 1, 0, 1, 0 against labels 1, 0, 0, 0: 3 of 4.
      double acc = model.evaluate(column(2.2f, -1.4f, 0.4f, -0.4f), column(1, 0, 0, 0))
          .get("accuracy");
      assertEquals(0.75, acc, 1e-7);
    }
  }

  @Test
  void sparseComparesArgmaxWithTheIndex() {
    try (Sequential model = identity(new SparseCategoricalCrossentropy(), new Accuracy())) {
      // argmax 1, 0, 2, 2, 1 against 1, 0, 1, 2, 0: 3 of 5.
      assertEquals(0.6, model.evaluate(SCORES, vector(1, 0, 1, 2, 0)).get("accuracy"), 1e-7);
      assertEquals(0.6, model.evaluate(SCORES, column(1, 0, 1, 2, 0)).get("accuracy"), 1e-7);
    }
  }

  @Test
  void categoricalComparesArgmaxes() {
    try (Sequential model = identity(new CategoricalCrossentropy(), new Accuracy())) {
      assertEquals(0.6, model.evaluate(SCORES, oneHot(3, 1, 0, 1, 2, 0)).get("accuracy"), 1e-7);
      assertEquals(1.0, model.evaluate(SCORES, oneHot(3, 1, 0, 2, 2, 1)).get("accuracy"), 1e-7);
    }
  }

  @Test
  void epochFiguresWeighBatchesBySize() {
    try (Sequential model = identity(new CategoricalCrossentropy(), new Accuracy())) {
      // Batches of 2, 2, 1 with 2, 1, 0 hits: 3 / 5 = 0.6, not the mean of 1, 0.5, 0.
      assertEquals(0.6, model.evaluate(SCORES, oneHot(3, 1, 0, 2, 0, 0), 2).get("accuracy"),
          1e-7);
    }
  }

  @Test
  void binaryKindOnSeveralUnitsAveragesOverUnits() {
    try (Sequential model = identity(new MeanSquaredError(), Accuracy.binary())) {
      // > 0.5: row 0 [0, 1, 0] vs [0, 1, 1] -> 2 of 3; row 1 [0, 0, 0] vs [0, 0, 0] -> 3 of 3.
      FloatNdArray x = matrix(new float[] {0.1f, 0.7f, 0.2f}, new float[] {0.5f, 0.3f, 0.2f});
      FloatNdArray y = matrix(new float[] {0, 1, 1}, new float[] {0, 0, 0});
      assertEquals(5 / 6.0, model.evaluate(x, y).get("accuracy"), 1e-6);
    }
  }
}
