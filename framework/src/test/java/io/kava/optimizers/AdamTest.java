package io.kava.optimizers;

import static io.kava.optimizers.OneWeight.assertSteps;
import static io.kava.optimizers.OneWeight.gradient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class AdamTest {

  @Test
  void stepsFollowKerasAdam() {
    double lr = 0.1;
    double b1 = 0.9;
    double b2 = 0.999;
    double eps = 1e-7;
    double[] state = {0, 0, 0}; // m, v, t
    assertSteps(new Adam(lr), 3, w -> {
      double g = gradient(w);
      double t = ++state[2];
      state[0] = b1 * state[0] + (1 - b1) * g;
      state[1] = b2 * state[1] + (1 - b2) * g * g;
      double alpha = lr * Math.sqrt(1 - Math.pow(b2, t)) / (1 - Math.pow(b1, t));
      return w - alpha * state[0] / (Math.sqrt(state[1]) + eps);
    });
  }

  @Test
  void customBetasAndEpsilon() {
    double[] state = {0, 0, 0};
    assertSteps(new Adam(0.05).beta1(0.5).beta2(0.9).epsilon(0.1), 2, w -> {
      double g = gradient(w);
      double t = ++state[2];
      state[0] = 0.5 * state[0] + 0.5 * g;
      state[1] = 0.9 * state[1] + 0.1 * g * g;
      double alpha = 0.05 * Math.sqrt(1 - Math.pow(0.9, t)) / (1 - Math.pow(0.5, t));
      return w - alpha * state[0] / (Math.sqrt(state[1]) + 0.1);
    });
  }

  @Test
  void kerasDefaults() {
    Adam adam = new Adam();
    assertEquals(0.001, adam.learningRate());
    assertEquals(0.9, adam.beta1());
    assertEquals(0.999, adam.beta2());
    assertEquals(1e-7, adam.epsilon());
    assertEquals("Adam(learning_rate=0.001)", adam.toString());
  }

  @Test
  void invalidArgumentsFailWithTheValue() {
    var e = assertThrows(IllegalArgumentException.class, () -> new Adam(0));
    assertEquals("Adam: learning rate must be a finite number > 0; got 0.0.", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new Adam().beta1(1.0));
    assertEquals("Adam: beta1 must be in [0.0, 1.0); got 1.0.", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new Adam().epsilon(-1));
    assertEquals("Adam: epsilon must be a finite number > 0; got -1.0.", e.getMessage());
  }
}
