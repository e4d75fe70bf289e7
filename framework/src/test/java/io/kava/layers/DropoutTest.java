package io.kava.layers;

import static io.kava.TestArrays.array;
import static io.kava.TestArrays.column;
import static io.kava.TestArrays.flat;
import static io.kava.TestArrays.shape;
import static io.kava.TestArrays.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kava.FitOptions;
import io.kava.Sequential;
import io.kava.losses.MeanSquaredError;
import io.kava.optimizers.SGD;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.ndarray.FloatNdArray;

/**
 * Dropout through {@code Input(1000) -> Dropout(rate) -> Dense(1, kernel ones, no bias)},
 * trained one SGD step on one sample with target 0: the kernel's gradient is
 * {@code 2 z * d}, where {@code d} is the dropped-and-scaled input and {@code z = sum(d)}, so
 * the kernel's change shows the mask and the scale exactly.
 */
class DropoutTest extends LayerContract {
  private static final int UNITS = 1000;
  private static final float LR = 1e-4f;

  @Override
  List<ShapeCase> shapeCases() {
    return List.of(
        ShapeCase.of(Dropout.of(0.5), shape(5), 5),
        ShapeCase.of(Dropout.of(0.25), shape(2, 2, 3), 2, 2, 3));
  }

  @Override
  List<String> expectedWeightNames() {
    return List.of();
  }

  @Override
  GradientCase gradientCase() {
    Sequential model = new Sequential(Input.of(4), Dense.of(3).activation(Activation.TANH),
        Dropout.of(0.5), Dense.of(1)).seed(2);
    return GradientCase.of(model, uniform(1, -1, 1, 8, 4), uniform(2, -1, 1, 8, 1));
  }

  /**
   * Dropout's training gradient depends on a random mask, so finite differences of the
   * (mask-free) evaluation loss do not apply: the gradient is checked against the mask instead.
   */
  @Override
  @Test
  void gradientsMatchFiniteDifferences() {
    for (double rate : new double[] {0.5, 0.2}) {
      float[] x = input();
      float[] change = kernelChange(Dropout.of(rate), x, 42);
      double scale = 1 / (1 - rate);
      double keptSum = 0;
      for (int i = 0; i < UNITS; i++) {
        if (change[i] != 0) {
          keptSum += x[i];
        }
      }
      double z = scale * keptSum;
      for (int i = 0; i < UNITS; i++) {
        if (change[i] != 0) {
          // d_i = scale * x_i, so change_i = lr * 2z * scale * x_i.
          double expected = LR * 2 * z * scale * x[i];
          assertEquals(expected, change[i], 1e-4 * expected, "rate " + rate + ", unit " + i);
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.5, 0.2, 0.8})
  void trainingDropsAboutRateOfTheUnits(double rate) {
    float[] change = kernelChange(Dropout.of(rate), input(), 7);
    long dropped = 0;
    for (float c : change) {
      dropped += c == 0 ? 1 : 0;
    }
    // Binomial(1000, rate): the standard deviation is at most 16 units.
    assertEquals(rate, dropped / (double) UNITS, 0.06);
  }

  @Test
  void isTheIdentityAtInference() {
    float[] x = input();
    double sum = 0;
    for (float v : x) {
      sum += v;
    }
    try (Sequential model = model(Dropout.of(0.5))) {
      FloatNdArray xs = array(shape(1, UNITS), x);
      assertEquals(sum, model.predict(xs).getFloat(0, 0), 1e-6 * sum);
      assertEquals(sum * sum, model.evaluate(xs, column(0)).get("loss"), 1e-5 * sum * sum);
      // Repeated calls give the same answer: no randomness at inference.
      assertEquals(model.predict(xs).getFloat(0, 0), model.predict(xs).getFloat(0, 0));
    }
  }

  @Test
  void rateZeroKeepsEveryUnitInTraining() {
    float[] change = kernelChange(Dropout.of(0), input(), 1);
    for (float c : change) {
      assertTrue(c != 0);
    }
  }

  @Test
  void sameFitSeedGivesTheSameMasksAndADifferentSeedOthers() {
    float[] x = input();
    float[] a = kernelChange(Dropout.of(0.5), x, 11);
    float[] b = kernelChange(Dropout.of(0.5), x, 11);
    float[] c = kernelChange(Dropout.of(0.5), x, 12);
    assertArrayEquals(a, b);
    assertFalse(Arrays.equals(a, c));
  }

  @Test
  void masksChangeFromStepToStep() {
    try (Sequential model = model(Dropout.of(0.5))) {
      FloatNdArray xs = array(shape(1, UNITS), input());
      FitOptions options = oneStep(xs).seed(3);
      model.fit(xs, column(0), options);
      float[] first = flat(model.getWeights().get(0));
      model.fit(xs, column(0), options);
      float[] second = flat(model.getWeights().get(0));
      // Units dropped in step 1 but kept in step 2 change only in step 2.
      int changedLater = 0;
      for (int i = 0; i < UNITS; i++) {
        changedLater += first[i] == 1f && second[i] != 1f ? 1 : 0;
      }
      assertTrue(changedLater > 100, "units first dropped, then kept: " + changedLater);
    }
  }

  @Test
  void rateMustBeInZeroToOne() {
    var e = assertThrows(IllegalArgumentException.class, () -> Dropout.of(1.0));
    assertEquals("Dropout: rate must be in [0.0, 1.0); got 1.0.", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Dropout.of(-0.1));
    assertEquals("Dropout: rate must be in [0.0, 1.0); got -0.1.", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Dropout.of(Double.NaN));
    assertTrue(e.getMessage().contains("rate"), e.getMessage());
  }

  @Test
  void toStringShowsTheRate() {
    assertEquals("Dropout(rate=0.25)", Dropout.of(0.25).toString());
  }

  /** Inputs 0.5, 0.6, ... 1.4 repeating: every unit non-zero, not all equal. */
  private static float[] input() {
    float[] x = new float[UNITS];
    for (int i = 0; i < UNITS; i++) {
      x[i] = 0.5f + (i % 10) / 10f;
    }
    return x;
  }

  private static Sequential model(Dropout dropout) {
    Sequential model = new Sequential(Input.of(UNITS), dropout,
        Dense.of(1).useBias(false).kernelInitializer(Initializer.ones()));
    model.compile(new SGD(LR), new MeanSquaredError());
    return model;
  }

  /** {@code 1 - kernel_i} after one step: 0 where dropped, else {@code lr * 2z * d_i}. */
  private static float[] kernelChange(Dropout dropout, float[] x, long seed) {
    try (Sequential model = model(dropout)) {
      FloatNdArray xs = array(shape(1, UNITS), x);
      model.fit(xs, column(0), oneStep(xs).seed(seed));
      float[] kernel = flat(model.getWeights().get(0));
      float[] change = new float[UNITS];
      for (int i = 0; i < UNITS; i++) {
        change[i] = 1f - kernel[i];
      }
      return change;
    }
  }
}
