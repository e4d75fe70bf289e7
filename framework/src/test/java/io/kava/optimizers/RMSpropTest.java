package io.kava.optimizers;

import static io.kava.optimizers.OneWeight.assertSteps;
import static io.kava.optimizers.OneWeight.gradient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RMSpropTest {

  @Test
  void stepsFollowApplyRmsProp() {
    double[] ms = {0};
    // ms = rho ms + (1 - rho) g^2; w -= lr g / sqrt(ms + eps)
    assertSteps(new RMSprop(0.1), 3, w -> {
      double g = gradient(w);
      ms[0] = 0.9 * ms[0] + 0.1 * g * g;
      return w - 0.1 * g / Math.sqrt(ms[0] + 1e-7);
    });
  }

  @Test
  void momentumAccumulatesTheScaledSteps() {
    double[] state = {0, 0}; // ms, mom
    assertSteps(new RMSprop(0.05).rho(0.8).momentum(0.5), 3, w -> {
      double g = gradient(w);
      state[0] = 0.8 * state[0] + 0.2 * g * g;
      state[1] = 0.5 * state[1] + 0.05 * g / Math.sqrt(state[0] + 1e-7);
      return w - state[1];
    });
  }

  @Test
  void kerasDefaults() {
    RMSprop r = new RMSprop();
    assertEquals(0.001, r.learningRate());
    assertEquals(0.9, r.rho());
    assertEquals(0, r.momentum());
    assertEquals(1e-7, r.epsilon());
    assertEquals("RMSprop(learning_rate=0.001)", r.toString());
  }

  @Test
  void invalidArgumentsFailWithTheValue() {
    var e = assertThrows(IllegalArgumentException.class, () -> new RMSprop(-1));
    assertEquals("RMSprop: learning rate must be a finite number > 0; got -1.0.",
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new RMSprop().rho(1));
    assertEquals("RMSprop: rho must be in [0.0, 1.0); got 1.0.", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new RMSprop().momentum(1));
    assertEquals("RMSprop: momentum must be in [0.0, 1.0); got 1.0.", e.getMessage());
  }
}
