package io.kava;

import io.kava.callbacks.BackupAndRestore;
import io.kava.callbacks.Callback;
import io.kava.internal.Checks;
import io.kava.internal.Replication;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.tensorflow.ndarray.FloatNdArray;

/**
 * Turns a {@code fit}, {@code evaluate} or {@code predict} call into checked batches for the
 * {@link Trainer}: builds the model's graph when needed, checks the data once, splits off
 * validation data and draws the seed.
 */
final class Fitter {
  private final Model model;
  private final String subject;

  Fitter(Model model) {
    this.model = model;
    this.subject = model.subject();
  }

  History fit(List<FloatNdArray> xs, List<FloatNdArray> ys, FitOptions options) {
    Checks.notNull(subject, "options", options);
    Replication r = model.compiled().replication();
    if (r != null && options.batchSize() % r.replicas() != 0) {
      throw Shard.notDivisible(subject, "got batch size " + options.batchSize(), r.replicas());
    }
    ModelInputs in = prepare(xs);
    long n = in.checkX("fit", xs, false);
    in.checkY("fit", ys, n, model.compiled().spec(), xs);
    options = resumed(options);
    // As Keras: training keeps floor(n * (1 - split)) samples, validation the rest.
    long trainCount = options.validationSplit() > 0
        ? (long) Math.floor(n * (1.0 - options.validationSplit())) : n;
    long val = n - trainCount;
    if (options.validationSplit() > 0 && (val == 0 || trainCount == 0)) {
      throw new IllegalArgumentException(subject + ": validation split " + options
          .validationSplit() + " of " + n + " samples must leave samples on both sides; got "
          + trainCount + " for training and " + val + " for validation.");
    }
    BatchIterator validation = validationOf(options);
    if (val > 0) {
      if (validation != null) {
        throw new IllegalArgumentException(subject + ": give either validationSplit or"
            + " validationData, not both.");
      }
      validation = new ArrayBatches(rows(xs, trainCount, n), rows(ys, trainCount, n), val,
          options.batchSize(), false, 0, 0);
    }
    long seed = seedOf(options);
    var train = new ArrayBatches(xs, ys, trainCount, options.batchSize(), options.shuffle(),
        seed, options.initialEpoch());
    return run(train, validation, options, seed);
  }

  History fit(BatchIterator data, FitOptions options) {
    Checks.notNull(subject, "data", data);
    Checks.notNull(subject, "options", options);
    if (data.size() <= 0) {
      throw new IllegalArgumentException(subject + ": training data must hold at least one"
          + " batch; got " + data.size() + ".");
    }
    prepareIterator(data);
    if (options.validationSplit() > 0) {
      throw new IllegalArgumentException(subject + ": validationSplit works on arrays only;"
          + " for an iterator pass validationData(iterator) (e.g. a VALIDATION subset).");
    }
    FitOptions resumed = resumed(options);
    return run(data, validationOf(resumed), resumed, seedOf(resumed));
  }

  Map<String, Double> evaluate(List<FloatNdArray> xs, List<FloatNdArray> ys, int batchSize) {
    Checks.positive(subject, "batch size", batchSize);
    ModelInputs in = prepare(xs);
    long n = in.checkX("evaluate", xs, false);
    in.checkY("evaluate", ys, n, model.compiled().spec(), xs);
    return trainer(in).evaluate(new ArrayBatches(xs, ys, n, batchSize, false, 0, 0), "");
  }

  Map<String, Double> evaluate(BatchIterator data) {
    Checks.notNull(subject, "data", data);
    if (data.size() > 0) {
      prepareIterator(data);
    }
    return trainer(inputs()).evaluate(data, "");
  }

  List<FloatNdArray> predict(List<FloatNdArray> xs, int batchSize) {
    Checks.positive(subject, "batch size", batchSize);
    ModelInputs in = prepare(xs);
    long n = in.checkX("predict", xs, true);
    return trainer(in).predict(new ArrayBatches(xs, List.of(), n, batchSize, false, 0, 0));
  }

  List<FloatNdArray> predict(BatchIterator data) {
    Checks.notNull(subject, "data", data);
    if (data.size() == 0) {
      throw new IllegalArgumentException(subject + ": predict data must hold at least one"
          + " batch; got none.");
    }
    prepareIterator(data);
    return trainer(inputs()).predict(data);
  }

  /** Outputs keyed by the model's output names. */
  Map<String, FloatNdArray> named(List<FloatNdArray> out) {
    Map<String, FloatNdArray> named = new LinkedHashMap<>();
    for (int o = 0; o < out.size(); o++) {
      named.put(model.outputNames().get(o), out.get(o));
    }
    return named;
  }

  /** The one array of a one-output model's predictions. */
  FloatNdArray onlyOutput(List<FloatNdArray> out) {
    if (out.size() != 1) {
      throw new IllegalArgumentException(subject + ": predict(x) returns one array, but the"
          + " model has outputs " + model.topology().outputNames() + "; use predict(Map).");
    }
    return out.get(0);
  }

  List<FloatNdArray> single(FloatNdArray a, String what, boolean labels) {
    Checks.notNull(subject, what, a);
    Topology topology = model.topology();
    if (topology != null) {
      List<String> names = labels ? topology.outputNames() : topology.inputNames();
      if (names.size() != 1) {
        throw new IllegalArgumentException(subject + ": " + what + " must be a map keyed by "
            + names + " for a model with " + names.size() + (labels ? " outputs" : " inputs")
            + "; got one array.");
      }
    }
    return List.of(a);
  }

  List<FloatNdArray> byName(Map<String, FloatNdArray> map, String what) {
    Topology t = model.requireTopology(what.equals("x") ? "predict" : "fit");
    return ModelInputs.byName(subject, what, map,
        what.equals("x") ? t.inputNames() : t.outputNames());
  }

  /** Infers the topology from the data where needed and builds the graph. */
  private ModelInputs prepare(List<FloatNdArray> xs) {
    if (model.topology() == null) {
      model.inferTopology(xs.get(0));
    }
    model.built("fit");
    return inputs();
  }

  private void prepareIterator(BatchIterator data) {
    Topology t = model.topology();
    if (t != null && (t.inputs().size() != 1 || t.outputs().size() != 1)) {
      throw new IllegalArgumentException(subject + ": batch iterators feed one input and one"
          + " output; the model has inputs " + t.inputNames() + " and outputs "
          + t.outputNames() + ". Pass maps of arrays instead.");
    }
    if (t == null) {
      model.inferTopology(data.get(0).x());
    }
    model.built("fit");
  }

  private ModelInputs inputs() {
    return new ModelInputs(subject, model.topology());
  }

  private Trainer trainer(ModelInputs in) {
    CompileSpec spec = model.compiled().spec();
    Topology t = model.topology();
    return new Trainer(model, model.compiled().graph(), spec == null ? List.of()
        : spec.logKeys(t.outputNames()), in.inputShapes(),
        spec == null ? List.of() : in.labelShapes(spec));
  }

  private History run(BatchIterator train, BatchIterator validation, FitOptions options,
      long seed) {
    Replication r = model.compiled().replication();
    if (r != null) {
      // Replicas start every fit from the chief's weights, so a model the chief loaded or
      // seeded differently trains as one.
      GraphWeights w = model.compiled().graph().weights();
      w.setFlat(r.fromChief(w.flat()));
    }
    model.compiled().graph().setSeed(seed);
    model.clearStop();
    return trainer(inputs()).fit(train, validation, options);
  }

  /**
   * With a {@link BackupAndRestore} callback whose directory holds a backup: restores the
   * model's state from it and starts after the backup's last completed epoch.
   */
  private FitOptions resumed(FitOptions options) {
    for (Callback c : options.callbacks()) {
      if (c instanceof BackupAndRestore b
          && Files.isRegularFile(b.backupDir().resolve(ModelJson.FILE))) {
        return options.initialEpoch(ModelFiles.restoreState(model, b.backupDir(),
            "BackupAndRestore"));
      }
    }
    return options;
  }

  private BatchIterator validationOf(FitOptions options) {
    if (options.validationIterator() != null) {
      return options.validationIterator();
    }
    if (options.validationX() == null) {
      return null;
    }
    Topology t = model.topology();
    List<FloatNdArray> xs = options.validationX().arrays(subject, "x", t.inputNames());
    List<FloatNdArray> ys = options.validationY().arrays(subject, "y", t.outputNames());
    ModelInputs in = inputs();
    long n = in.checkX("validation", xs, false);
    in.checkY("validation", ys, n, model.compiled().spec(), xs);
    return new ArrayBatches(xs, ys, n, options.batchSize(), false, 0, 0);
  }

  private static List<FloatNdArray> rows(List<FloatNdArray> arrays, long from, long to) {
    List<FloatNdArray> out = new ArrayList<>();
    arrays.forEach(a -> out.add(Data.rows(a, from, to)));
    return out;
  }

  /** The fit's seed; replicas take the chief's, so they shuffle alike. */
  private long seedOf(FitOptions options) {
    long seed = options.seed() != null ? options.seed() : ThreadLocalRandom.current().nextLong();
    Replication r = model.compiled().replication();
    return r == null ? seed : r.fromChief(seed);
  }
}
