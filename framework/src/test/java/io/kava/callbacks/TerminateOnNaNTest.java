package io.kava.callbacks;

import static io.kava.TestArrays.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kava.FitOptions;
import io.kava.History;
import io.kava.Model;
import io.kava.Sequential;
import io.kava.layers.Dense;
import io.kava.layers.Input;
import io.kava.losses.MeanSquaredError;
import io.kava.optimizers.SGD;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.FloatNdArray;

class TerminateOnNaNTest {
  private final FloatNdArray x = uniform(1, 0.5, 1, 10, 2);
  private final FloatNdArray y = uniform(2, -1, 1, 10, 1);

  /** Counts training batches. */
  private static final class Batches implements Callback {
    int count;

    @Override
    public void onBatchEnd(Model model, int batch, Map<String, Double> logs) {
      count++;
    }
  }

  /** 5 epochs of 10 one-sample batches with a learning rate that overflows float32 at once. */
  private History explode(Callback... callbacks) {
    try (Sequential model = new Sequential(Input.of(2), Dense.of(1)).seed(1)) {
      model.compile(new SGD(1e30), new MeanSquaredError());
      return model.fit(x, y, FitOptions.defaults().epochs(5).batchSize(1).shuffle(false)
          .verbose(0).callbacks(callbacks));
    }
  }

  @Test
  void stopsAtTheFirstInvalidLoss() {
    TerminateOnNaN terminate = new TerminateOnNaN();
    Batches batches = new Batches();
    History h = explode(batches, terminate);
    // Step 1 is finite (computed before the update); the next overflows.
    assertTrue(terminate.terminatedAtBatch() >= 1 && terminate.terminatedAtBatch() < 10,
        "terminated at " + terminate.terminatedAtBatch());
    assertEquals(terminate.terminatedAtBatch() + 1, batches.count);
    assertEquals(1, h.epochs().size());
    double loss = h.last("loss");
    assertFalse(Double.isFinite(loss), "epoch loss " + loss);
  }

  @Test
  void withoutItTheWholeRunGoesOn() {
    Batches batches = new Batches();
    History h = explode(batches);
    assertEquals(50, batches.count);
    assertEquals(5, h.epochs().size());
  }

  @Test
  void finiteLossesDoNotStopTraining() {
    TerminateOnNaN terminate = new TerminateOnNaN();
    try (Sequential model = new Sequential(Input.of(2), Dense.of(1)).seed(1)) {
      model.compile(new SGD(0.01), new MeanSquaredError());
      History h = model.fit(x, y, FitOptions.defaults().epochs(2).verbose(0)
          .callbacks(terminate));
      assertEquals(2, h.epochs().size());
      assertEquals(-1, terminate.terminatedAtBatch());
    }
  }
}
