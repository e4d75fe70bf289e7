package io.kava.optimizers;

import static io.kava.optimizers.OneWeight.assertSteps;
import static io.kava.optimizers.OneWeight.gradient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class AdagradTest {

  @Test
  void stepsFollowKerasAdagrad() {
    double[] acc = {0.1};
    // acc += g^2; w -= lr g / (sqrt(acc) + eps), from Keras's initial accumulator 0.1.
    assertSteps(new Adagrad(0.1), 3, w -> {
      double g = gradient(w);
      acc[0] += g * g;
      return w - 0.1 * g / (Math.sqrt(acc[0]) + 1e-7);
    });
  }

  @Test
  void initialAccumulatorAndEpsilonAreSettings() {
    double[] acc = {2};
    assertSteps(new Adagrad(0.5).initialAccumulatorValue(2).epsilon(0.5), 2, w -> {
      double g = gradient(w);
      acc[0] += g * g;
      return w - 0.5 * g / (Math.sqrt(acc[0]) + 0.5);
    });
  }

  @Test
  void kerasDefaults() {
    Adagrad a = new Adagrad();
    assertEquals(0.001, a.learningRate());
    assertEquals(0.1, a.initialAccumulatorValue());
    assertEquals(1e-7, a.epsilon());
    assertEquals("Adagrad(learning_rate=0.001)", a.toString());
  }

  @Test
  void invalidArgumentsFailWithTheValue() {
    var e = assertThrows(IllegalArgumentException.class, () -> new Adagrad(Double.NaN));
    assertEquals("Adagrad: learning rate must be a finite number > 0; got NaN.",
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new Adagrad().initialAccumulatorValue(-1));
    assertEquals("Adagrad: initial accumulator value must be a finite number >= 0; got -1.0.",
        e.getMessage());
  }
}
