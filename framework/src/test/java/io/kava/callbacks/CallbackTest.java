package io.kava.callbacks;

import static io.kava.TestArrays.oneHot;
import static io.kava.TestArrays.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kava.FitOptions;
import io.kava.History;
import io.kava.Model;
import io.kava.Sequential;
import io.kava.layers.Activation;
import io.kava.layers.Dense;
import io.kava.layers.Input;
import io.kava.losses.CategoricalCrossentropy;
import io.kava.metrics.Accuracy;
import io.kava.optimizers.SGD;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.FloatNdArray;

/** The order and arguments of the hooks a custom callback receives. */
class CallbackTest {
  private final FloatNdArray x = uniform(1, -1, 1, 6, 3);
  private final FloatNdArray y = oneHot(2, 0, 1, 1, 0, 1, 0);

  /** Records each hook with its arguments. */
  private static class Recorder implements Callback {
    final List<String> events = new ArrayList<>();

    @Override
    public void onTrainBegin(Model model) {
      events.add("trainBegin");
    }

    @Override
    public void onEpochBegin(Model model, int epoch) {
      events.add("epochBegin " + epoch);
    }

    @Override
    public void onBatchEnd(Model model, int batch, Map<String, Double> logs) {
      events.add("batchEnd " + batch + " " + logs.keySet());
    }

    @Override
    public void onEpochEnd(Model model, int epoch, Map<String, Double> logs) {
      events.add("epochEnd " + epoch + " " + logs.keySet());
    }

    @Override
    public void onTrainEnd(Model model) {
      events.add("trainEnd");
    }
  }

  private Sequential classifier() {
    Sequential model = new Sequential(Input.of(3), Dense.of(2).activation(Activation.SOFTMAX))
        .seed(1);
    model.compile(new SGD(0.1), new CategoricalCrossentropy(), new Accuracy());
    return model;
  }

  @Test
  void hooksArriveInOrderWithTheRightCounts() {
    Recorder r = new Recorder();
    try (Sequential model = classifier()) {
      model.fit(x, y, FitOptions.defaults().epochs(2).batchSize(2).verbose(0)
          .validationData(x, y).callbacks(r));
    }
    String batch = " [loss, accuracy]";
    String epoch = " [loss, accuracy, val_loss, val_accuracy]";
    assertEquals(List.of("trainBegin",
        "epochBegin 0", "batchEnd 0" + batch, "batchEnd 1" + batch, "batchEnd 2" + batch,
        "epochEnd 0" + epoch,
        "epochBegin 1", "batchEnd 0" + batch, "batchEnd 1" + batch, "batchEnd 2" + batch,
        "epochEnd 1" + epoch,
        "trainEnd"), r.events);
  }

  @Test
  void stopTrainingEndsTheEpochAfterTheCurrentBatch() {
    Recorder r = new Recorder() {
      @Override
      public void onBatchEnd(Model model, int batch, Map<String, Double> logs) {
        super.onBatchEnd(model, batch, logs);
        if (batch == 1) {
          model.stopTraining();
        }
      }
    };
    try (Sequential model = classifier()) {
      History h = model.fit(x, y, FitOptions.defaults().epochs(3).batchSize(2).verbose(0)
          .callbacks(r));
      assertEquals(List.of(0), h.epochs());
      assertEquals(2, model.iterations());
    }
    assertEquals(List.of("trainBegin", "epochBegin 0", "batchEnd 0 [loss, accuracy]",
        "batchEnd 1 [loss, accuracy]", "epochEnd 0 [loss, accuracy]", "trainEnd"), r.events);
  }

  @Test
  void keysACallbackAddsReachTheHistory() {
    Callback custom = new Callback() {
      @Override
      public void onEpochEnd(Model model, int epoch, Map<String, Double> logs) {
        logs.put("epoch_squared", (double) epoch * epoch);
      }
    };
    try (Sequential model = classifier()) {
      History h = model.fit(x, y, FitOptions.defaults().epochs(3).verbose(0).callbacks(custom));
      assertEquals(List.of(0.0, 1.0, 4.0), h.get("epoch_squared"));
    }
  }
}
