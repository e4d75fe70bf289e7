package io.kava.callbacks;

import static io.kava.callbacks.Fixtures.X;
import static io.kava.callbacks.Fixtures.Y;
import static io.kava.callbacks.Fixtures.epochs;
import static io.kava.callbacks.Fixtures.regression;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kava.History;
import io.kava.Sequential;
import io.kava.callbacks.Fixtures.Script;
import java.util.List;
import org.junit.jupiter.api.Test;

class LearningRateSchedulerTest {

  @Test
  void setsTheScheduledRateEachEpochAndTrainsWithIt() {
    double[] rates = {0.02, 0.01, 0.005};
    var scheduler = new LearningRateScheduler((epoch, lr) -> rates[epoch]);
    Script recorder = Script.recorder();
    try (Sequential model = regression(0.5)) {
      History h = model.fit(X, Y, epochs(3).callbacks(scheduler, recorder));
      List<Double> logged = h.get("learning_rate");
      // One full-batch SGD step per epoch on mean((w x - x)^2):
      // g = 2 (w - 1) mean(x^2) = 15 (w - 1) for x = 1, 2, 3, 4.
      double w = 0;
      for (int e = 0; e < 3; e++) {
        assertEquals(rates[e], logged.get(e), 1e-9);
        w -= rates[e] * 15 * (w - 1);
        assertEquals(w, recorder.weights.get(e).get(0)[0], 1e-6, "epoch " + e);
      }
    }
  }

  @Test
  void theScheduleSeesTheCurrentRate() {
    var halve = new LearningRateScheduler((epoch, lr) -> lr / 2);
    try (Sequential model = regression(0.2)) {
      History h = model.fit(X, Y, epochs(3).callbacks(halve));
      List<Double> logged = h.get("learning_rate");
      assertEquals(0.1, logged.get(0), 1e-8);
      assertEquals(0.05, logged.get(1), 1e-8);
      assertEquals(0.025, logged.get(2), 1e-8);
    }
  }

  @Test
  void anInvalidScheduledRateFailsNamingTheEpoch() {
    var bad = new LearningRateScheduler((epoch, lr) -> epoch == 1 ? -1 : lr);
    try (Sequential model = regression(0.1)) {
      var e = assertThrows(IllegalArgumentException.class,
          () -> model.fit(X, Y, epochs(3).callbacks(bad)));
      assertEquals("LearningRateScheduler: the learning rate scheduled for epoch 1 must be a"
          + " finite number > 0; got -1.0.", e.getMessage());
    }
  }
}
