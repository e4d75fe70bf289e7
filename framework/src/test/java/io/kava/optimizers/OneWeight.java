package io.kava.optimizers;

import static io.kava.TestArrays.column;
import static io.kava.TestArrays.matrix;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kava.FitOptions;
import io.kava.Sequential;
import io.kava.layers.Dense;
import io.kava.layers.Input;
import io.kava.losses.MeanSquaredError;
import java.util.List;
import java.util.function.DoubleUnaryOperator;

/**
 * One weight {@code w} trained on one sample: output {@code w * 2}, target 1, mean squared
 * error, so the loss is {@code (2w - 1)^2} and its gradient {@code g(w) = 4 (2w - 1)}. The
 * tests step an optimizer in the model and the same update rule by hand in Java.
 */
final class OneWeight {
  private OneWeight() {}

  static final double START = 1.5;

  static double gradient(double w) {
    return 2 * (w * 2 - 1) * 2;
  }

  /** The weight after each of {@code steps} training steps of {@code optimizer}. */
  static double[] train(Optimizer optimizer, int steps) {
    try (Sequential model = new Sequential(Input.of(1), Dense.of(1).useBias(false))) {
      model.compile(optimizer, new MeanSquaredError());
      model.setWeights(List.of(matrix(new float[] {(float) START})));
      double[] w = new double[steps];
      for (int i = 0; i < steps; i++) {
        model.fit(matrix(new float[] {2}), column(1), FitOptions.defaults().verbose(0));
        w[i] = model.getWeights().get(0).getFloat(0, 0);
      }
      assertEquals(steps, model.iterations());
      return w;
    }
  }

  /**
   * Asserts the model's weights equal {@code rule} applied step by step from {@link #START};
   * {@code rule} maps a weight to the next one and may keep state (moments, accumulators).
   */
  static void assertSteps(Optimizer optimizer, int steps, DoubleUnaryOperator rule) {
    double[] actual = train(optimizer, steps);
    double w = START;
    for (int i = 0; i < steps; i++) {
      double next = rule.applyAsDouble(w);
      assertEquals(next, actual[i], 2e-6 * Math.max(1, Math.abs(next)),
          optimizer + ", step " + (i + 1));
      assertTrue(Math.abs(next - w) > 1e-3, "the step must move the weight");
      w = next;
    }
  }
}
