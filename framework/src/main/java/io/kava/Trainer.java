package io.kava;

import io.kava.callbacks.Callback;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.ndarray.Shape;

/** The {@code fit} loop: epochs, prefetched steps, progress, validation and callbacks. */
final class Trainer {
  private final Sequential model;
  private final ModelGraph graph;
  private final List<String> logKeys;
  private final Shape inputShape;
  private final Shape labelShape;
  /** The next batch of the training data's current pass; passes may span epochs. */
  private volatile int cursor;

  Trainer(Sequential model, ModelGraph graph, List<String> logKeys, Shape inputShape,
      Shape labelShape) {
    this.model = model;
    this.graph = graph;
    this.logKeys = logKeys;
    this.inputShape = inputShape;
    this.labelShape = labelShape;
  }

  History fit(BatchIterator train, BatchIterator validation, FitOptions options) {
    History history = new History();
    List<Callback> callbacks = options.callbacks();
    Progress progress = new Progress(options.out(), options.verbose());
    callbacks.forEach(c -> c.onTrainBegin(model));
    for (int epoch = options.initialEpoch(); epoch < options.epochs(); epoch++) {
      final int e = epoch;
      callbacks.forEach(c -> c.onEpochBegin(model, e));
      int steps = options.stepsPerEpoch() > 0 ? options.stepsPerEpoch() : train.size();
      progress.epochBegin(epoch, options.epochs(), steps);
      Means means = new Means(logKeys.size());
      try (Prefetcher<Fed> batches = new Prefetcher<>(steps, i -> nextBatch(train))) {
        for (int step = 0; step < steps; step++) {
          float[] values;
          int n;
          try (Fed f = batches.next()) {
            values = graph.trainStep(f.x(), f.y());
            n = f.size();
          }
          means.add(values, n);
          progress.update(step + 1, () -> means.logs(logKeys, ""));
          final int s = step;
          callbacks.forEach(c -> c.onBatchEnd(model, s, batchLogs(values)));
          if (model.stopRequested()) {
            break;
          }
        }
      }
      if (cursor == train.size()) {
        endPass(train);
      }
      Map<String, Double> logs = means.logs(logKeys, "");
      if (validation != null) {
        logs.putAll(evaluate(validation, "val_"));
      }
      progress.epochEnd(logs);
      model.epochCompleted(epoch);
      callbacks.forEach(c -> c.onEpochEnd(model, e, logs));
      history.record(epoch, logs);
      if (model.stopRequested()) {
        break;
      }
    }
    callbacks.forEach(c -> c.onTrainEnd(model));
    return history;
  }

  /**
   * The training data's next batch, starting a new pass (reshuffled) after its last one.
   * Runs on the prefetch thread, one call at a time, so {@code onEpochEnd} never overlaps a
   * {@code get}.
   */
  private Fed nextBatch(BatchIterator train) {
    if (cursor == train.size()) {
      endPass(train);
    }
    return fed(train, cursor++, true);
  }

  private void endPass(BatchIterator train) {
    train.onEpochEnd();
    cursor = 0;
  }

  private Map<String, Double> batchLogs(float[] values) {
    Map<String, Double> logs = new LinkedHashMap<>();
    for (int i = 0; i < values.length; i++) {
      logs.put(logKeys.get(i), (double) values[i]);
    }
    return logs;
  }

  Map<String, Double> evaluate(BatchIterator data, String prefix) {
    int steps = data.size();
    Means means = new Means(logKeys.size());
    try (Prefetcher<Fed> batches = new Prefetcher<>(steps, i -> fed(data, i, true))) {
      for (int step = 0; step < steps; step++) {
        try (Fed f = batches.next()) {
          means.add(graph.evaluateBatch(f.x(), f.y()), f.size());
        }
      }
    }
    if (means.count == 0) {
      throw new IllegalArgumentException(model.subject() + ": evaluation data must hold at least"
          + " one sample; got none.");
    }
    return means.logs(logKeys, prefix);
  }

  private Fed fed(BatchIterator it, int i, boolean labels) {
    if (it instanceof ArrayBatches arrays) {
      return arrays.fed(i, inputShape, labels ? labelShape : null);
    }
    return Fed.of(it.get(i), i, inputShape, labelShape, labels, model.subject());
  }

  /** Sample-weighted running means of the step values, Keras's epoch figures. */
  private static final class Means {
    private final double[] sums;
    private long count;

    Means(int n) {
      sums = new double[n];
    }

    void add(float[] values, int n) {
      for (int i = 0; i < sums.length; i++) {
        sums[i] += (double) values[i] * n;
      }
      count += n;
    }

    Map<String, Double> logs(List<String> keys, String prefix) {
      Map<String, Double> logs = new LinkedHashMap<>();
      for (int i = 0; i < sums.length; i++) {
        logs.put(prefix + keys.get(i), count == 0 ? Double.NaN : sums[i] / count);
      }
      return logs;
    }
  }
}
