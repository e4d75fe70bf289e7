package io.kava;

import io.kava.internal.Checks;
import io.kava.layers.Input;
import io.kava.layers.Layer;
import io.kava.losses.Loss;
import io.kava.metrics.Classes;
import io.kava.metrics.Metric;
import io.kava.optimizers.Optimizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * A linear stack of layers trained with TensorFlow, as Keras's {@code Sequential}.
 *
 * <p>Build it from layers, {@link #compile} it with an optimizer, loss and metrics, then
 * {@link #fit}, {@link #evaluate} and {@link #predict}. The model owns one TensorFlow graph
 * and session, built once when the input shape is known (from {@link Input} or the first
 * data); {@link #close()} frees them. Layers get Keras's names ({@code conv2d},
 * {@code conv2d_1}...) unless named.
 *
 * <pre>{@code
 * jshell> var model = new Sequential(Input.of(28, 28, 1),
 *    ...>     Conv2D.of(32, 3).activation(Activation.RELU), MaxPooling2D.of(2),
 *    ...>     Flatten.of(), Dense.of(10).activation(Activation.SOFTMAX))
 * jshell> model.compile(new Adam(), new CategoricalCrossentropy(), new Accuracy())
 * jshell> model.fit(x, y, FitOptions.defaults().epochs(1).seed(42))
 * jshell> model.summary()
 * }</pre>
 */
public final class Sequential implements AutoCloseable {
  private final List<Layer> layers = new ArrayList<>();
  private final List<String> names = new ArrayList<>();
  private final Set<String> taken = new HashSet<>();
  private String name = "sequential";
  private Shape inputShape;
  private String inputName = "input_layer";
  private int epochsCompleted;
  private long weightSeed = ThreadLocalRandom.current().nextLong();
  private Optimizer optimizer;
  private Loss loss;
  private List<Metric> metrics = List.of();
  private ModelGraph graph;
  private boolean stopRequested;

  /** A model of {@code layers}; an {@link Input} may come first. */
  public Sequential(Layer... layers) {
    for (Layer l : layers) {
      add(l);
    }
  }

  /** Appends a layer. Fails once the model is built (its graph exists). */
  public Sequential add(Layer layer) {
    Checks.notNull(subject(), "layer", layer);
    if (graph != null) {
      throw new IllegalStateException(subject() + ": cannot add " + layer + " after the model"
          + " was built; add every layer before compile, fit or predict.");
    }
    if (layer instanceof Input in) {
      if (!layers.isEmpty() || inputShape != null) {
        throw new IllegalArgumentException(subject() + ": Input must be the first layer and"
            + " appear once; got " + in + " after " + (inputShape != null && layers.isEmpty()
            ? "another Input" : layers.size() + " layer(s)") + ".");
      }
      inputShape = in.shape();
      if (in.name() != null) {
        inputName = in.name();
      }
      return this;
    }
    if (inputShape != null) {
      // Fail at add time, naming the layer, if the shapes do not chain.
      layer.outputShape(outputShapeOf(layers, inputShape));
    }
    String n = layer.name();
    if (n != null) {
      if (taken.contains(n)) {
        throw new IllegalArgumentException(subject() + ": layer names must be unique; got '"
            + n + "' twice.");
      }
    } else {
      n = layer.defaultName();
      for (int i = 1; taken.contains(n); i++) {
        n = layer.defaultName() + "_" + i;
      }
    }
    taken.add(n);
    layers.add(layer);
    names.add(n);
    return this;
  }

  private static Shape outputShapeOf(List<Layer> layers, Shape input) {
    Shape s = input;
    for (Layer l : layers) {
      s = l.outputShape(s);
    }
    return s;
  }

  /** Names the model (shown by {@link #summary()}). Default {@code sequential}. */
  public Sequential name(String name) {
    this.name = Checks.name("Sequential", name);
    return this;
  }

  public String name() {
    return name;
  }

  /**
   * Fixes the seed of the initial weights: two models with the same layers and seed start
   * from identical weights. Default: a random seed. Takes effect when the model is built.
   */
  public Sequential seed(long seed) {
    if (graph != null) {
      throw new IllegalStateException(subject() + ": seed must be set before the model is"
          + " built (before compile with an Input, fit or predict).");
    }
    this.weightSeed = seed;
    return this;
  }

  /** The layers, without the {@link Input}. */
  public List<Layer> layers() {
    return Collections.unmodifiableList(layers);
  }

  /** The layer names the model uses ({@code conv2d}, {@code dense_1}...). */
  public List<String> layerNames() {
    return Collections.unmodifiableList(names);
  }

  /** The per-sample input shape, or null while unknown. */
  public Shape inputShape() {
    return inputShape;
  }

  /** The per-sample output shape; needs the input shape. */
  public Shape outputShape() {
    requireInputShape("outputShape");
    return outputShapeOf(layers, inputShape);
  }

  // ------------------------------------------------------------------ summary

  /** Keras's summary table as text. */
  public String summaryString() {
    return Summary.of(name, layers, names, inputShape);
  }

  /** Prints {@link #summaryString()}. */
  public void summary() {
    System.out.print(summaryString());
  }

  /** Number of weights (scalars), trainable or not. */
  public long countParams() {
    requireInputShape("countParams");
    long n = 0;
    Shape s = inputShape;
    for (Layer l : layers) {
      for (var w : l.weights(s)) {
        n += w.size();
      }
      s = l.outputShape(s);
    }
    return n;
  }

  private void requireInputShape(String what) {
    if (inputShape == null) {
      throw new IllegalStateException(subject() + ": " + what + "() needs the input shape;"
          + " start the model with Input.of(...) or fit/predict it first.");
    }
  }

  // ------------------------------------------------------------------ compile

  /**
   * Sets the optimizer, loss and metrics. Builds the graph now if the input shape is known,
   * else on the first fit/evaluate. Compiling again keeps the current weights.
   */
  public void compile(Optimizer optimizer, Loss loss, Metric... metrics) {
    Checks.notNull(subject(), "optimizer", optimizer);
    Checks.notNull(subject(), "loss", loss);
    Set<String> keys = new HashSet<>(Set.of("loss"));
    for (Metric m : metrics) {
      Checks.notNull(subject(), "metric", m);
      if (!keys.add(m.name())) {
        throw new IllegalArgumentException(subject() + ": metric names must be unique and not"
            + " 'loss'; got '" + m.name() + "' twice.");
      }
    }
    if (layers.isEmpty()) {
      throw new IllegalStateException(subject() + ": compile needs at least one layer; got an"
          + " empty model.");
    }
    this.optimizer = optimizer;
    this.loss = loss;
    this.metrics = List.of(metrics);
    if (inputShape != null) {
      rebuild();
    }
  }

  /** (Re)builds the graph for the current settings, keeping weights if there were any. */
  private void rebuild() {
    List<float[]> kept = null;
    double lr = optimizer == null ? 0 : optimizer.learningRate();
    if (graph != null) {
      kept = graph.getWeights();
      graph.close();
      graph = null;
    }
    graph = new ModelGraph(layers, names, inputShape, optimizer, loss, metrics);
    graph.initialize(weightSeed, lr);
    if (kept != null) {
      graph.setWeights(kept);
    }
  }

  private ModelGraph graphFor(FloatNdArray x, String what) {
    Checks.notNull(subject(), what + " x", x);
    if (x.rank() < 2) {
      throw new IllegalArgumentException(subject() + ": x must have a batch dimension and at"
          + " least one sample dimension; got shape " + x.shape() + ".");
    }
    Shape sample = Data.sampleShape(x);
    if (inputShape == null) {
      if (layers.isEmpty()) {
        throw new IllegalStateException(subject() + ": the model has no layers.");
      }
      outputShapeOf(layers, sample);
      inputShape = sample;
    } else if (!sample.equals(inputShape)) {
      throw new IllegalArgumentException(subject() + ": x must have shape "
          + Checks.batchShape(inputShape) + "; got " + x.shape() + ".");
    }
    if (graph == null) {
      rebuild();
    }
    return graph;
  }

  private ModelGraph trainableGraph(String what) {
    if (optimizer == null) {
      throw new IllegalStateException(subject() + ": " + what + "() called before compile();"
          + " call model.compile(optimizer, loss, metrics...) first.");
    }
    if (graph == null) {
      requireInputShape(what);
      rebuild();
    }
    return graph;
  }

  private List<String> logKeys() {
    List<String> keys = new ArrayList<>();
    keys.add("loss");
    metrics.forEach(m -> keys.add(m.name()));
    return keys;
  }

  private Trainer trainer() {
    Shape out = graph.outputShape();
    return new Trainer(this, graph, logKeys(), inputShape, loss.labelShape(out));
  }

  // ------------------------------------------------------------------ fit

  /** {@link #fit(FloatNdArray, FloatNdArray, FitOptions)} with the default options. */
  public History fit(FloatNdArray x, FloatNdArray y) {
    return fit(x, y, FitOptions.defaults());
  }

  /**
   * Trains on arrays: {@code x [n, ...inputShape]}, {@code y [n, ...labelShape]}.
   * Checks shapes, label values and NaN before the first step.
   */
  public History fit(FloatNdArray x, FloatNdArray y, FitOptions options) {
    if (optimizer == null) {
      trainableGraph("fit");
    }
    Checks.notNull(subject(), "options", options);
    graphFor(x, "fit");
    long n = checkXy(x, y, "fit");
    // As Keras: training keeps floor(n * (1 - split)) samples, validation the rest.
    long trainCount = options.validationSplit() > 0
        ? (long) Math.floor(n * (1.0 - options.validationSplit())) : n;
    long val = n - trainCount;
    if (options.validationSplit() > 0 && (val == 0 || trainCount == 0)) {
      throw new IllegalArgumentException(subject() + ": validation split " + options
          .validationSplit() + " of " + n + " samples must leave samples on both sides; got "
          + trainCount + " for training and " + val + " for validation.");
    }
    BatchIterator validation = validationOf(options);
    if (val > 0) {
      if (validation != null) {
        throw new IllegalArgumentException(subject() + ": give either validationSplit or"
            + " validationData, not both.");
      }
      validation = new ArrayBatches(Data.rows(x, trainCount, n), Data.rows(y, trainCount, n),
          val, options.batchSize(), false, 0, 0);
    }
    long seed = seedOf(options);
    var train = new ArrayBatches(x, y, trainCount, options.batchSize(), options.shuffle(), seed,
        options.initialEpoch());
    return run(train, validation, options, seed);
  }

  /** Trains on batches from an iterator (e.g. the data module's generators). */
  public History fit(BatchIterator data, FitOptions options) {
    Checks.notNull(subject(), "data", data);
    Checks.notNull(subject(), "options", options);
    if (optimizer == null) {
      trainableGraph("fit");
    }
    if (data.size() <= 0) {
      throw new IllegalArgumentException(subject() + ": training data must hold at least one"
          + " batch; got " + data.size() + ".");
    }
    if (inputShape == null) {
      graphFor(data.get(0).x(), "fit");
    }
    trainableGraph("fit");
    if (options.validationSplit() > 0) {
      throw new IllegalArgumentException(subject() + ": validationSplit works on arrays only;"
          + " for an iterator pass validationData(iterator) (e.g. a VALIDATION subset).");
    }
    return run(data, validationOf(options), options, seedOf(options));
  }

  private History run(BatchIterator train, BatchIterator validation, FitOptions options,
      long seed) {
    graph.setSeed(seed);
    stopRequested = false;
    return trainer().fit(train, validation, options);
  }

  private BatchIterator validationOf(FitOptions options) {
    if (options.validationIterator() != null) {
      return options.validationIterator();
    }
    if (options.validationX() == null) {
      return null;
    }
    graphFor(options.validationX(), "validation");
    long n = checkXy(options.validationX(), options.validationY(), "validation");
    return new ArrayBatches(options.validationX(), options.validationY(), n,
        options.batchSize(), false, 0, 0);
  }

  private static long seedOf(FitOptions options) {
    return options.seed() != null ? options.seed() : ThreadLocalRandom.current().nextLong();
  }

  /** Validates x/y against the model and the loss; returns the sample count. */
  private long checkXy(FloatNdArray x, FloatNdArray y, String what) {
    Checks.notNull(subject(), what + " y", y);
    long n = x.shape().get(0);
    if (n == 0) {
      throw new IllegalArgumentException(subject() + ": " + what + " data must hold at least"
          + " one sample; got an empty x " + x.shape() + ".");
    }
    if (y.rank() == 0 || y.shape().get(0) != n) {
      throw new IllegalArgumentException(subject() + ": " + what + " x and y must hold the"
          + " same number of samples; got x " + x.shape() + " and y " + y.shape() + ".");
    }
    Shape out = graph.outputShape();
    Shape want = loss.labelShape(out);
    if (!Data.compatible(Data.sampleShape(y), want)) {
      throw new IllegalArgumentException(subject() + ": " + what + " y must have shape "
          + Checks.batchShape(want) + " for " + loss + " on an output of shape "
          + Checks.batchShape(out) + "; got " + y.shape() + "." + labelHint(want, y));
    }
    loss.checkLabels(y, out);
    long bad = Data.firstNonFinite(x);
    if (bad >= 0) {
      throw new IllegalArgumentException(subject() + ": " + what + " x must be finite; got NaN"
          + " or infinity in sample " + bad + ".");
    }
    bad = Data.firstNonFinite(y);
    if (bad >= 0) {
      throw new IllegalArgumentException(subject() + ": " + what + " y must be finite; got NaN"
          + " or infinity in sample " + bad + ".");
    }
    return n;
  }

  private static String labelHint(Shape want, FloatNdArray y) {
    if (want.numDimensions() == 1 && want.get(0) > 1 && y.rank() == 1) {
      return " Class indices need SparseCategoricalCrossentropy, or one-hot encode them.";
    }
    return "";
  }

  // ------------------------------------------------------------------ evaluate / predict

  /** Loss and metrics on {@code x, y} (inference path, batches of 32). */
  public Map<String, Double> evaluate(FloatNdArray x, FloatNdArray y) {
    return evaluate(x, y, 32);
  }

  public Map<String, Double> evaluate(FloatNdArray x, FloatNdArray y, int batchSize) {
    if (optimizer == null) {
      trainableGraph("evaluate");
    }
    Checks.positive(subject(), "batch size", batchSize);
    graphFor(x, "evaluate");
    long n = checkXy(x, y, "evaluate");
    return trainer().evaluate(new ArrayBatches(x, y, n, batchSize, false, 0, 0), "");
  }

  /** Loss and metrics over every batch of an iterator. */
  public Map<String, Double> evaluate(BatchIterator data) {
    Checks.notNull(subject(), "data", data);
    if (optimizer == null) {
      trainableGraph("evaluate");
    }
    if (inputShape == null && data.size() > 0) {
      graphFor(data.get(0).x(), "evaluate");
    }
    trainableGraph("evaluate");
    return trainer().evaluate(data, "");
  }

  /** Outputs for {@code x} (inference path: no dropout), batches of 32. */
  public FloatNdArray predict(FloatNdArray x) {
    return predict(x, 32);
  }

  public FloatNdArray predict(FloatNdArray x, int batchSize) {
    Checks.positive(subject(), "batch size", batchSize);
    ModelGraph g = graphFor(x, "predict");
    long n = x.shape().get(0);
    return predict(new ArrayBatches(x, null, n, batchSize, false, 0, 0), g);
  }

  /** Outputs for every batch of an iterator, in order (labels are ignored). */
  public FloatNdArray predict(BatchIterator data) {
    Checks.notNull(subject(), "data", data);
    if (data.size() == 0) {
      throw new IllegalArgumentException(subject() + ": predict data must hold at least one"
          + " batch; got none.");
    }
    ModelGraph g = graph != null ? graph : graphFor(data.get(0).x(), "predict");
    return predict(data, g);
  }

  private FloatNdArray predict(BatchIterator data, ModelGraph g) {
    List<float[]> parts = new ArrayList<>();
    long rows = 0;
    int steps = data.size();
    try (Prefetcher<Fed> batches = new Prefetcher<>(steps, i -> data instanceof ArrayBatches a
        ? a.fed(i, inputShape, null) : Fed.of(data.get(i), i, inputShape, null, false,
        subject()))) {
      for (int i = 0; i < steps; i++) {
        try (Fed f = batches.next()) {
          parts.add(g.predictBatch(f.x()));
          rows += f.size();
        }
      }
    }
    Shape out = g.outputShape();
    float[] all = new float[Math.toIntExact(rows * out.size())];
    int at = 0;
    for (float[] p : parts) {
      System.arraycopy(p, 0, all, at, p.length);
      at += p.length;
    }
    return NdArrays.wrap(Shape.of(rows).append(out), DataBuffers.of(all, true, false));
  }

  /**
   * Predicted class per sample: the argmax of the outputs, or {@code output > 0.5} for a
   * model with a single (sigmoid) output unit.
   */
  public int[] predictClasses(FloatNdArray x) {
    return Classes.of(predict(x));
  }

  // ------------------------------------------------------------------ state

  /** Copies of all weights (trainable and not), in layer order, as Keras's get_weights(). */
  public List<FloatNdArray> getWeights() {
    requireBuilt("getWeights");
    List<float[]> values = graph.getWeights();
    List<FloatNdArray> out = new ArrayList<>(values.size());
    for (int i = 0; i < values.size(); i++) {
      out.add(NdArrays.wrap(graph.weights().get(i).spec().shape(),
          DataBuffers.of(values.get(i), false, false)));
    }
    return out;
  }

  /** Sets all weights, in the order and shapes of {@link #getWeights()}. */
  public void setWeights(List<FloatNdArray> values) {
    requireBuilt("setWeights");
    Checks.notNull(subject(), "weights", values);
    var specs = graph.weights();
    if (values.size() != specs.size()) {
      throw new IllegalArgumentException(subject() + ": setWeights needs " + specs.size()
          + " arrays; got " + values.size() + ".");
    }
    List<float[]> flat = new ArrayList<>(values.size());
    for (int i = 0; i < values.size(); i++) {
      Shape want = specs.get(i).spec().shape();
      if (!values.get(i).shape().equals(want)) {
        throw new IllegalArgumentException(subject() + ": weight '" + specs.get(i).path()
            + "' must have shape " + want + "; got " + values.get(i).shape() + ".");
      }
      flat.add(Data.flatten(values.get(i)));
    }
    graph.setWeights(flat);
  }

  /** Names of the weights, as {@code layer/weight}, in {@link #getWeights()} order. */
  public List<String> weightNames() {
    requireBuilt("weightNames");
    return graph.weights().stream().map(ModelGraph.Weight::path).toList();
  }

  /** The current learning rate (callbacks may have changed it). */
  public double learningRate() {
    return trainableGraph("learningRate").learningRate();
  }

  /** Sets the learning rate used by the following training steps. */
  public void learningRate(double lr) {
    Checks.positive(subject(), "learning rate", lr);
    trainableGraph("learningRate").setLearningRate(lr);
  }

  /** Training steps run so far (the optimizer's {@code iterations}). */
  public long iterations() {
    return trainableGraph("iterations").iterations();
  }

  /**
   * Epochs trained so far, counted across fits and saved with the model: pass it as
   * {@code FitOptions.initialEpoch} to resume a run exactly where it stopped.
   */
  public int epochsCompleted() {
    return epochsCompleted;
  }

  void epochCompleted(int epoch) {
    epochsCompleted = Math.max(epochsCompleted, epoch + 1);
  }

  // ------------------------------------------------------------------ saving

  /**
   * Writes an inference-only SavedModel for Python TensorFlow and TF Serving: tag
   * {@code serve}, signature {@code serving_default} (method
   * {@code tensorflow/serving/predict}) with one input keyed by the Input's name
   * ({@code input_layer} unless named, as Keras 3) and one output {@code output_0}, batch
   * dimension -1. No optimizer state, no dropout; the variables file holds just the weights.
   * Written atomically: a temporary sibling directory renamed into place.
   */
  public void export(java.nio.file.Path dir) {
    Checks.notNull(subject(), "export directory", dir);
    requireBuilt("export");
    List<float[]> values = graph.getWeights();
    AtomicDir.write(dir, tmp -> writeSavedModel(tmp, values));
  }

  /** Exports into TF Serving's layout {@code <base>/<version>/}. */
  public void export(java.nio.file.Path base, long version) {
    if (version <= 0) {
      throw Checks.invalid(subject(), "export version", "> 0 (TF Serving's numbered"
          + " versions)", version, null);
    }
    Checks.notNull(subject(), "export base directory", base);
    export(base.resolve(Long.toString(version)));
  }

  private void writeSavedModel(java.nio.file.Path dir, List<float[]> values) {
    try (ModelGraph inference = new ModelGraph(layers, names, inputShape, null, null,
        List.of())) {
      inference.setWeights(values);
      inference.exportSavedModel(dir, inputName, "output_0");
    }
  }

  /**
   * Saves everything needed to serve the model and to resume training: an inference
   * SavedModel (as {@link #export}), {@code kava.json} (architecture, compile settings,
   * epoch counter) and {@code assets.extra/training/checkpoint} (weights, optimizer slots,
   * learning rate and step counter). Atomic: an interrupted save leaves the previous one.
   */
  public void save(java.nio.file.Path dir) {
    Checks.notNull(subject(), "save directory", dir);
    requireBuilt("save");
    String json = ModelJson.write(new ModelJson.Saved(name, inputShape, layers, names,
        optimizer, loss, metrics, epochsCompleted, weightSeed));
    List<float[]> values = graph.getWeights();
    AtomicDir.write(dir, tmp -> {
      writeSavedModel(tmp, values);
      try {
        java.nio.file.Files.writeString(tmp.resolve(ModelJson.FILE), json);
        java.nio.file.Path training = tmp.resolve("assets.extra").resolve("training");
        java.nio.file.Files.createDirectories(training);
        graph.saveCheckpoint(training.resolve("checkpoint"));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
  }

  /**
   * Loads a model written by {@link #save}: the same layers, names and compile settings,
   * and the exact weights and optimizer state, so predictions are identical and a further
   * {@code fit} continues as if never interrupted.
   */
  public static Sequential load(java.nio.file.Path dir) {
    if (dir == null) {
      throw Checks.invalid("Sequential.load", "directory", "non-null", null, null);
    }
    java.nio.file.Path d = AtomicDir.readable(dir);
    java.nio.file.Path json = d.resolve(ModelJson.FILE);
    if (!java.nio.file.Files.isRegularFile(json)) {
      throw new IllegalArgumentException("Sequential.load: " + dir + " must contain "
          + ModelJson.FILE + " (written by model.save); " + (java.nio.file.Files.isDirectory(d)
          ? "it does not. For other SavedModels use io.kava.saving.SavedModel.load."
          : "the directory does not exist."));
    }
    ModelJson.Saved s;
    try {
      s = ModelJson.read(java.nio.file.Files.readString(json), json.toString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("Sequential.load: cannot read " + json, e);
    }
    Sequential m = new Sequential(Input.of(s.inputShape().asArray()));
    s.layers().forEach(m::add);
    m.name(s.name()).seed(s.weightSeed());
    m.epochsCompleted = s.epochsCompleted();
    if (s.optimizer() != null) {
      m.compile(s.optimizer(), s.loss(), s.metrics().toArray(new Metric[0]));
      java.nio.file.Path prefix = d.resolve("assets.extra").resolve("training")
          .resolve("checkpoint");
      if (!java.nio.file.Files.isRegularFile(prefix.resolveSibling("checkpoint.index"))) {
        m.close();
        throw new IllegalArgumentException("Sequential.load: " + dir + " must contain the"
            + " training checkpoint assets.extra/training/checkpoint.index; it does not.");
      }
      m.graph.restoreCheckpoint(prefix);
    } else {
      m.rebuild();
      m.graph.restoreCheckpoint(d.resolve("variables").resolve("variables"));
    }
    return m;
  }

  /** Asks a running {@code fit} to stop after the current batch (Keras's stop_training). */
  public void stopTraining() {
    stopRequested = true;
  }

  boolean stopRequested() {
    return stopRequested;
  }

  private void requireBuilt(String what) {
    if (graph == null) {
      requireInputShape(what);
      rebuild();
    }
  }

  ModelGraph graph() {
    return graph;
  }

  String subject() {
    return "Sequential '" + name + "'";
  }

  /** Frees the native graph and session; the model can be rebuilt by compiling again. */
  @Override
  public void close() {
    if (graph != null) {
      graph.close();
      graph = null;
    }
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("Sequential(name=").append(name).append(", layers=")
        .append(layers.size());
    if (inputShape != null) {
      b.append(", input=").append(Checks.shape(inputShape))
          .append(String.format(java.util.Locale.ROOT, ", params=%,d", countParams()));
    }
    if (optimizer != null) {
      b.append(", optimizer=").append(optimizer.name()).append(", loss=").append(loss.name());
    }
    return b.append(')').toString();
  }
}
