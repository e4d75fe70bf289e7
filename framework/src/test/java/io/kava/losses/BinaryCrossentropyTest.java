package io.kava.losses;

import static io.kava.TestArrays.column;
import static io.kava.TestArrays.flat;
import static io.kava.TestArrays.matrix;
import static io.kava.TestArrays.vector;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kava.FitOptions;
import io.kava.Sequential;
import io.kava.layers.Activation;
import io.kava.layers.Dense;
import io.kava.layers.Input;
import io.kava.optimizers.SGD;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.FloatNdArray;

class BinaryCrossentropyTest {

  /** {@code Input(1) -> Dense(1)}, kernel 1, bias 0: the output (or logit) equals x. */
  private static Sequential passThrough(Activation a) {
    Sequential model = new Sequential(Input.of(1), Dense.of(1).activation(a));
    model.compile(new SGD(0.1), new BinaryCrossentropy());
    model.setWeights(List.of(matrix(new float[] {1}), vector(0)));
    return model;
  }

  private static double softplus(double v) {
    return Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));
  }

  @Test
  void fromSigmoidLogits() {
    try (Sequential model = passThrough(Activation.SIGMOID)) {
      // -log sigmoid(z) = softplus(-z) for label 1; -log(1 - sigmoid(z)) = softplus(z) for 0.
      double expected = (softplus(-2) + softplus(-1) + softplus(0.5)) / 3;
      assertEquals(expected, model.evaluate(column(2, -1, 0.5f), column(1, 0, 0)).get("loss"),
          1e-6);
      // A plain vector of labels works for one unit.
      assertEquals(expected, model.evaluate(column(2, -1, 0.5f), vector(1, 0, 0)).get("loss"),
          1e-6);
    }
  }

  @Test
  void hugeLogitsGiveExactFiniteLossesAndGradients() {
    try (Sequential model = passThrough(Activation.SIGMOID)) {
      FloatNdArray x = column(100, -100, 100, -100);
      FloatNdArray y = column(1, 0, 0, 1);
      // Right with certainty: ~0; wrong with certainty: 100 each. Mean 50.
      assertEquals(50, model.evaluate(x, y).get("loss"), 1e-4);
      double trained = model.fit(x, y, FitOptions.defaults().batchSize(4).verbose(0)).last(
          "loss");
      assertEquals(50, trained, 1e-4);
      for (FloatNdArray w : model.getWeights()) {
        for (float v : flat(w)) {
          assertTrue(Float.isFinite(v), "weights stay finite");
        }
      }
    }
  }

  @Test
  void fromProbabilitiesOfALinearOutput() {
    try (Sequential model = passThrough(Activation.LINEAR)) {
      double expected = (-Math.log(0.8) - Math.log(1 - 0.1)) / 2;
      assertEquals(expected, model.evaluate(column(0.8f, 0.1f), column(1, 0)).get("loss"), 1e-6);
      // Probabilities outside (0, 1) are clipped to [1e-7, 1 - 1e-7]: finite, about 16.
      double clipped = model.evaluate(column(1.5f), column(0)).get("loss");
      assertTrue(clipped > 15 && clipped < 16.2, "clipped loss " + clipped);
    }
  }

  @Test
  void averagesOverUnitsThenSamples() {
    // Two independent sigmoid units (multi-label).
    try (Sequential model = new Sequential(Input.of(2),
        Dense.of(2).activation(Activation.SIGMOID))) {
      model.compile(new SGD(), new BinaryCrossentropy());
      model.setWeights(List.of(matrix(new float[] {1, 0}, new float[] {0, 1}), vector(0, 0)));
      FloatNdArray x = matrix(new float[] {1, -2}, new float[] {0.5f, 3});
      FloatNdArray y = matrix(new float[] {1, 1}, new float[] {0, 1});
      double expected = ((softplus(-1) + softplus(2)) / 2 + (softplus(0.5) + softplus(-3)) / 2)
          / 2;
      assertEquals(expected, model.evaluate(x, y).get("loss"), 1e-6);
    }
  }
}
