package io.kava.optimizers;

import static io.kava.optimizers.OneWeight.assertSteps;
import static io.kava.optimizers.OneWeight.gradient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SGDTest {

  @Test
  void plainStepIsLearningRateTimesGradient() {
    assertSteps(new SGD(0.05), 3, w -> w - 0.05 * gradient(w));
  }

  @Test
  void momentumAccumulatesGradients() {
    double[] a = {0};
    // TF's ApplyMomentum: a = m a + g; w -= lr a (Keras's v = m v - lr g; w += v).
    assertSteps(new SGD(0.02).momentum(0.9), 3, w -> {
      a[0] = 0.9 * a[0] + gradient(w);
      return w - 0.02 * a[0];
    });
  }

  @Test
  void nesterovLooksAhead() {
    double[] a = {0};
    // a = m a + g; w -= lr (g + m a), Keras's w += m v - lr g with v = -lr a.
    assertSteps(new SGD(0.02).momentum(0.9).nesterov(true), 3, w -> {
      double g = gradient(w);
      a[0] = 0.9 * a[0] + g;
      return w - 0.02 * (g + 0.9 * a[0]);
    });
  }

  @Test
  void kerasDefaults() {
    SGD sgd = new SGD();
    assertEquals(0.01, sgd.learningRate());
    assertEquals(0, sgd.momentum());
    assertEquals(false, sgd.nesterov());
    assertEquals("SGD(learning_rate=0.01)", sgd.toString());
    assertEquals("SGD(learning_rate=0.01, momentum=0.9, nesterov=true)",
        new SGD(0.01).momentum(0.9).nesterov(true).toString());
  }

  @Test
  void invalidArgumentsFailWithTheValue() {
    var e = assertThrows(IllegalArgumentException.class, () -> new SGD(-0.1));
    assertEquals("SGD: learning rate must be a finite number > 0; got -0.1.", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new SGD(Double.POSITIVE_INFINITY));
    assertEquals("SGD: learning rate must be a finite number > 0; got Infinity.",
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new SGD().momentum(1));
    assertEquals("SGD: momentum must be in [0.0, 1.0); got 1.0.", e.getMessage());
  }
}
