package io.kava;

import static io.kava.TestArrays.oneHot;
import static io.kava.TestArrays.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kava.callbacks.Callback;
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

/** The fit loop: epochs, steps, epoch figures and History. */
class TrainerTest {
  private final FloatNdArray x = uniform(1, -1, 1, 10, 3);
  private final FloatNdArray y = oneHot(2, 0, 1, 1, 0, 1, 0, 0, 1, 1, 1);

  private static Sequential classifier(io.kava.metrics.Metric... metrics) {
    Sequential model = new Sequential(Input.of(3), Dense.of(2).activation(Activation.SOFTMAX))
        .seed(1);
    model.compile(new SGD(0.1), new CategoricalCrossentropy(), metrics);
    return model;
  }

  private static FitOptions quiet() {
    return FitOptions.defaults().verbose(0).seed(2);
  }

  @Test
  void historyKeysAreLossMetricsAndTheirValidationVersions() {
    try (Sequential model = classifier(new Accuracy())) {
      History h = model.fit(x, y, quiet().epochs(2).validationSplit(0.2));
      assertEquals(List.of("loss", "accuracy", "val_loss", "val_accuracy"),
          List.copyOf(h.keys()));
      assertEquals(List.of(0, 1), h.epochs());
      assertEquals(2, h.get("val_accuracy").size());
    }
    try (Sequential model = classifier()) {
      assertEquals(List.of("loss"), List.copyOf(model.fit(x, y, quiet()).keys()));
    }
  }

  @Test
  void batchLogsAreRunningMeansThatEndAtTheEpochFigures() {
    List<double[]> batches = new ArrayList<>();
    Callback record = new Callback() {
      @Override
      public void onBatchEnd(Model m, int batch, Map<String, Double> logs) {
        batches.add(new double[] {logs.get("loss"), logs.get("accuracy")});
      }
    };
    try (Sequential model = classifier(new Accuracy())) {
      // 10 samples in batches of 4, 4 and 2: Keras 3 logs the running means per batch.
      History h = model.fit(x, y, quiet().batchSize(4).callbacks(record));
      assertEquals(3, batches.size());
      assertEquals(batches.get(2)[0], h.last("loss"), 1e-9);
      assertEquals(batches.get(2)[1], h.last("accuracy"), 1e-9);
      // The accuracy of a batch of 4, then of 8 samples, is a multiple of 1/4, then 1/8.
      assertEquals(0, batches.get(0)[1] * 4 % 1, 1e-6);
      assertEquals(0, batches.get(1)[1] * 8 % 1, 1e-6);
    }
  }

  @Test
  void stepsAndEpochsAreCountedAcrossFits() {
    try (Sequential model = classifier()) {
      model.fit(x, y, quiet().epochs(2).batchSize(4));
      assertEquals(6, model.iterations());
      assertEquals(2, model.epochsCompleted());
      History resumed = model.fit(x, y, quiet().epochs(4).batchSize(4).initialEpoch(2));
      assertEquals(List.of(2, 3), resumed.epochs());
      assertEquals(12, model.iterations());
      assertEquals(4, model.epochsCompleted());
    }
  }

  @Test
  void validationFiguresEqualEvaluateAfterTheEpoch() {
    FloatNdArray vx = uniform(3, -1, 1, 5, 3);
    FloatNdArray vy = oneHot(2, 1, 1, 0, 0, 1);
    try (Sequential model = classifier(new Accuracy())) {
      History h = model.fit(x, y, quiet().batchSize(4).validationData(vx, vy));
      Map<String, Double> logs = model.evaluate(vx, vy, 4);
      assertEquals(logs.get("loss"), h.last("val_loss"));
      assertEquals(logs.get("accuracy"), h.last("val_accuracy"));
    }
  }

  @Test
  void stepsPerEpochContinuesAcrossPassesOfTheData() {
    List<String> events = new ArrayList<>();
    BatchIterator three = new BatchIterator() {
      @Override
      public int size() {
        return 3;
      }

      @Override
      public Batch get(int index) {
        events.add("get " + index);
        long from = index * 3L;
        return new Batch(Data.rows(x, from, from + 3), Data.rows(y, from, from + 3));
      }

      @Override
      public void onEpochEnd() {
        events.add("end");
      }
    };
    var out = new java.io.ByteArrayOutputStream();
    try (Sequential model = classifier()) {
      History h = model.fit(three, quiet().epochs(2).stepsPerEpoch(5).verbose(2)
          .printTo(new java.io.PrintStream(out, true)));
      // Epoch 1: batches 0 1 2, a new pass, 0 1; epoch 2 goes on from batch 2.
      assertEquals(List.of("get 0", "get 1", "get 2", "end", "get 0", "get 1",
          "get 2", "end", "get 0", "get 1", "get 2", "end", "get 0"), events);
      assertEquals(10, model.iterations());
      assertEquals(2, h.get("loss").size());
      assertEquals(true, out.toString().contains("5/5"), out.toString());
    }
    events.clear();
    try (Sequential model = classifier()) {
      model.fit(three, quiet().epochs(2));
      assertEquals(List.of("get 0", "get 1", "get 2", "end", "get 0", "get 1", "get 2", "end"),
          events, "without stepsPerEpoch an epoch is one pass, ended by onEpochEnd");
    }
  }

  @Test
  void stepsPerEpochOnArraysDrawsANewOrderEachPass() {
    try (Sequential model = classifier()) {
      // 10 samples in batches of 4: 3 batches a pass; 7 steps are two passes and one batch.
      model.fit(x, y, quiet().batchSize(4).stepsPerEpoch(7));
      assertEquals(7, model.iterations());
    }
  }
}
