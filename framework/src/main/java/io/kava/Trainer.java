package io.kava;

import io.kava.callbacks.Callback;
import io.kava.callbacks.TrainParams;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * The loops over batches: {@code fit} (epochs, prefetched steps, progress, validation and
 * callbacks), {@code evaluate} and {@code predict}. Batches are prepared on a background
 * thread while the graph runs the previous one.
 */
final class Trainer {
  private final Model model;
  private final ModelGraph graph;
  private final List<String> logKeys;
  private final List<Shape> inputShapes;
  private final List<Shape> labelShapes;
  /** The rows of each training batch this replica trains on (all of them when alone). */
  private final Shard shard;
  /** The next batch of the training data's current pass; passes may span epochs. */
  private volatile int cursor;

  /**
   * A loop over the model's graph.
   *
   * @param labelShapes empty for a model that only predicts
   */
  Trainer(Model model, ModelGraph graph, List<String> logKeys, List<Shape> inputShapes,
      List<Shape> labelShapes) {
    this.model = model;
    this.graph = graph;
    this.logKeys = logKeys;
    this.inputShapes = inputShapes;
    this.labelShapes = labelShapes;
    this.shard = Shard.of(model.compiled().replication());
  }

  /**
   * Trains, as Keras's loop over a {@code CallbackList}: the progress bar first, then the
   * user's callbacks, then the {@link History} that is returned, so it records what the
   * callbacks added to the epoch logs. Batch logs are the epoch's running means, as Keras 3.
   */
  History fit(BatchIterator train, BatchIterator validation, FitOptions options) {
    History history = new History();
    List<Callback> callbacks = new ArrayList<>();
    callbacks.add(new Progress());
    callbacks.addAll(options.callbacks());
    callbacks.add(history);
    int steps = options.stepsPerEpoch() > 0 ? options.stepsPerEpoch() : train.size();
    TrainParams params = new TrainParams(options.epochs(), steps, options.verbose(),
        options.out(), shard.index() == 0);
    callbacks.forEach(c -> c.setParams(params));
    callbacks.forEach(c -> c.onTrainBegin(model));
    for (int epoch = options.initialEpoch(); epoch < options.epochs(); epoch++) {
      final int e = epoch;
      callbacks.forEach(c -> c.onEpochBegin(model, e));
      Means means = new Means(logKeys.size());
      try (Prefetcher<Shard.Part> batches = new Prefetcher<>(steps, i -> nextBatch(train))) {
        for (int step = 0; step < steps; step++) {
          try (Shard.Part p = batches.next()) {
            // Replicas' logs are already the global batch's means: weigh them by its size.
            means.add(graph.trainStep(p.fed(), p.share()), p.globalSize());
          }
          Map<String, Double> batchLogs = means.logs(logKeys, "");
          final int s = step;
          callbacks.forEach(c -> c.onBatchEnd(model, s, batchLogs));
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
      model.epochsCompleted(epoch + 1);
      callbacks.forEach(c -> c.onEpochEnd(model, e, logs));
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
  private Shard.Part nextBatch(BatchIterator train) {
    if (cursor == train.size()) {
      endPass(train);
    }
    int i = cursor++;
    if (shard.count() == 1) {
      Fed f = fed(train, i, true);
      return new Shard.Part(f, f.size());
    }
    if (train instanceof ArrayBatches arrays) {
      return new Shard.Part(arrays.fed(i, shard, inputShapes, labelShapes), arrays.rows(i));
    }
    int known = train.rows(i);
    // An iterator that knows a batch's size reads only this replica's rows; others load the
    // whole batch, which is then sliced.
    Batch whole = known < 0 ? train.get(i) : null;
    int rows = whole == null ? known : whole.size();
    shard.check(rows, i, i == train.size() - 1, model.subject());
    Batch own = whole == null ? train.get(i, shard.from(rows), shard.to(rows))
        : whole.rows(shard.from(rows), shard.to(rows));
    return new Shard.Part(Fed.of(own, i, inputShapes.get(0), labelShapes.get(0),
        model.subject()), rows);
  }

  private void endPass(BatchIterator train) {
    train.onEpochEnd();
    cursor = 0;
  }

  Map<String, Double> evaluate(BatchIterator data, String prefix) {
    int steps = data.size();
    Means means = new Means(logKeys.size());
    try (Prefetcher<Fed> batches = new Prefetcher<>(steps, i -> fed(data, i, true))) {
      for (int step = 0; step < steps; step++) {
        try (Fed f = batches.next()) {
          means.add(graph.evaluateBatch(f), f.size());
        }
      }
    }
    if (means.count == 0) {
      throw new IllegalArgumentException(model.subject() + ": evaluation data must hold at least"
          + " one sample; got none.");
    }
    return means.logs(logKeys, prefix);
  }

  /** Outputs for every batch, in order, one array per model output. */
  List<FloatNdArray> predict(BatchIterator data) {
    int outputs = graph.outputCount();
    List<List<float[]>> parts = new ArrayList<>();
    for (int o = 0; o < outputs; o++) {
      parts.add(new ArrayList<>());
    }
    long rows = 0;
    int steps = data.size();
    try (Prefetcher<Fed> batches = new Prefetcher<>(steps, i -> fed(data, i, false))) {
      for (int i = 0; i < steps; i++) {
        try (Fed f = batches.next()) {
          List<float[]> out = graph.predictBatch(f);
          for (int o = 0; o < outputs; o++) {
            parts.get(o).add(out.get(o));
          }
          rows += f.size();
        }
      }
    }
    List<FloatNdArray> result = new ArrayList<>();
    for (int o = 0; o < outputs; o++) {
      Shape shape = graph.outputShape(o);
      List<float[]> batches = parts.get(o);
      // One batch (a one-image predict) is already the whole result: no second copy.
      float[] all = batches.size() == 1 ? batches.get(0) : concat(batches, rows * shape.size());
      result.add(NdArrays.wrap(Shape.of(rows).append(shape), DataBuffers.of(all, true, false)));
    }
    return result;
  }

  private static float[] concat(List<float[]> parts, long size) {
    float[] all = new float[Math.toIntExact(size)];
    int at = 0;
    for (float[] p : parts) {
      System.arraycopy(p, 0, all, at, p.length);
      at += p.length;
    }
    return all;
  }

  private Fed fed(BatchIterator it, int i, boolean labels) {
    if (it instanceof ArrayBatches arrays) {
      return arrays.fed(i, inputShapes, labels ? labelShapes : List.of());
    }
    return Fed.of(it.get(i), i, inputShapes.get(0), labels ? labelShapes.get(0) : null,
        model.subject());
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
