package io.kava;

import io.kava.layers.Activation;
import io.kava.layers.Layer;
import io.kava.layers.LayerContext;
import io.kava.layers.WeightSpec;
import io.kava.losses.Loss;
import io.kava.losses.Predictions;
import io.kava.metrics.Metric;
import io.kava.optimizers.Optimizer;
import io.kava.optimizers.OptimizerContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * The one graph and one session of a built model: variables, a training path and an
 * inference path over them, loss, metrics, gradients for the model's own trainable weights
 * and the optimizer's update ops. Everything is added here, once; afterwards each training
 * step, evaluation batch or prediction batch is a single {@code Session.run}.
 */
final class ModelGraph implements AutoCloseable {

  /** One model weight: its variable, the op that assigns a fed value, and its spec. */
  record Weight(String layer, WeightSpec spec, Variable<TFloat32> variable,
      Placeholder<TFloat32> value, Op assign) {
    String path() {
      return layer + "/" + spec.name();
    }
  }

  private final Graph graph = new Graph();
  private final Session session;
  private final Ops tf = Ops.create(graph);
  private final Shape outputShape;
  private final List<Weight> weights = new ArrayList<>();
  private final List<Op> slotInits = new ArrayList<>();
  private final Placeholder<TFloat32> x;
  private final Placeholder<TFloat32> y;
  private final Operand<TFloat32> prediction;
  private final Operand<TFloat32> evalLoss;
  private final List<Operand<TFloat32>> evalMetrics = new ArrayList<>();
  private final Operand<TFloat32> trainLoss;
  private final List<Operand<TFloat32>> trainMetrics = new ArrayList<>();
  private final Op trainOp;
  private final Scalar<TFloat32> learningRate;
  private final Scalar<TInt64> iterations;
  private final Scalar<TInt64> seed;

  /**
   * @param optimizer null builds an inference-only graph (predict before compile)
   */
  ModelGraph(List<Layer> layers, List<String> names, Shape inputShape, Optimizer optimizer,
      Loss loss, List<Metric> metrics) {
    try {
      // Training state exists only in a training graph, so an exported (inference) graph's
      // variables file holds just the weights.
      boolean training = optimizer != null;
      learningRate = training ? new Scalar<>(tf, "learning_rate", TFloat32.class) : null;
      iterations = training ? new Scalar<>(tf, "iterations", TInt64.class) : null;
      seed = training ? new Scalar<>(tf, "seed", TInt64.class) : null;
      x = tf.withName("x").placeholder(TFloat32.class,
          Placeholder.shape(batchShape(inputShape)));

      List<Map<String, Weight>> byLayer = new ArrayList<>();
      Shape shape = inputShape;
      for (int i = 0; i < layers.size(); i++) {
        Map<String, Weight> own = new LinkedHashMap<>();
        for (WeightSpec spec : layers.get(i).weights(shape)) {
          Weight w = createWeight(names.get(i), spec);
          weights.add(w);
          own.put(spec.name(), w);
        }
        byLayer.add(own);
        shape = layers.get(i).outputShape(shape);
      }
      outputShape = shape;

      Path infer = forward(layers, byLayer, false);
      prediction = tf.withName("prediction").identity(infer.output);
      if (optimizer == null) {
        y = null;
        evalLoss = trainLoss = null;
        trainOp = null;
      } else {
        y = tf.withName("y").placeholder(TFloat32.class,
            Placeholder.shape(batchShape(loss.labelShape(outputShape))));
        Operand<TFloat32> penalty = regularization();
        evalLoss = tf.math.add(loss.call(tf, y, infer.predictions()), penalty);
        for (Metric m : metrics) {
          evalMetrics.add(m.call(tf, y, infer.output, loss, outputShape));
        }
        Path train = forward(layers, byLayer, true);
        trainLoss = tf.math.add(loss.call(tf, y, train.predictions()), penalty);
        for (Metric m : metrics) {
          trainMetrics.add(m.call(tf, y, train.output, loss, outputShape));
        }
        trainOp = trainOp(optimizer, train.updates);
      }
      session = new Session(graph, config());
    } catch (RuntimeException e) {
      graph.close();
      throw e;
    }
  }

  private static ConfigProto config() {
    int cores = Runtime.getRuntime().availableProcessors();
    return ConfigProto.newBuilder().setIntraOpParallelismThreads(cores)
        .setInterOpParallelismThreads(Math.min(2, cores)).build();
  }

  private static Shape batchShape(Shape sample) {
    return Shape.of(-1).append(sample);
  }

  private Weight createWeight(String layer, WeightSpec spec) {
    Ops scope = tf.withSubScope(layer);
    Variable<TFloat32> v = scope.withName(spec.name()).variable(spec.shape(), TFloat32.class);
    Placeholder<TFloat32> value = scope.withName(spec.name() + "_value")
        .placeholder(TFloat32.class, Placeholder.shape(spec.shape()));
    return new Weight(layer, spec, v, value, scope.withName(spec.name() + "_assign")
        .assign(v, value));
  }

  private Operand<TFloat32> regularization() {
    Operand<TFloat32> total = tf.constant(0f);
    for (Weight w : weights) {
      if (w.spec().regularizer() != null) {
        total = tf.math.add(total, w.spec().regularizer().penalty(tf,
            tf.identity(w.variable())));
      }
    }
    return total;
  }

  /** The output of one pass through the layers and what the loss needs from it. */
  private record Path(Operand<TFloat32> output, Operand<TFloat32> logits, Activation activation,
      List<Op> updates) {
    Predictions predictions() {
      return new Predictions(output, logits, activation);
    }
  }

  private Path forward(List<Layer> layers, List<Map<String, Weight>> byLayer, boolean training) {
    Context ctx = new Context(training);
    Operand<TFloat32> h = x;
    for (int i = 0; i < layers.size(); i++) {
      ctx.begin(i, byLayer.get(i));
      h = layers.get(i).call(ctx, h);
    }
    boolean lastWasActivation = ctx.activated == h;
    return new Path(h, lastWasActivation ? ctx.preActivation : null,
        lastWasActivation ? ctx.activation : Activation.LINEAR, ctx.updates);
  }

  private Op trainOp(Optimizer optimizer, List<Op> layerUpdates) {
    List<Variable<TFloat32>> vars = new ArrayList<>();
    List<String> paths = new ArrayList<>();
    for (Weight w : weights) {
      if (w.spec().trainable()) {
        vars.add(w.variable());
        paths.add(w.path());
      }
    }
    List<Operand<TFloat32>> grads = new ArrayList<>();
    if (!vars.isEmpty()) {
      List<Output<?>> dy = tf.gradients(trainLoss, vars).dy();
      for (int i = 0; i < dy.size(); i++) {
        if (dy.get(i).index() < 0) {
          throw new IllegalArgumentException("Sequential: weight '" + paths.get(i)
              + "' does not affect the loss; every trainable weight must.");
        }
        @SuppressWarnings("unchecked")
        Output<TFloat32> g = (Output<TFloat32>) dy.get(i);
        grads.add(g);
      }
    }
    List<Op> all = new ArrayList<>(layerUpdates);
    if (!vars.isEmpty()) {
      // Reads of reference variables alias their buffers: an Apply* op must not update a
      // weight while backprop for another weight still reads it, so every update waits for
      // every gradient (without this, runs with the same seed differ).
      List<Op> gradOps = new ArrayList<>();
      grads.forEach(g -> gradOps.add(tf.identity(g)));
      Op gradientsReady = tf.withControlDependencies(gradOps).noOp();
      Ops afterGradients = tf.withControlDependencies(List.of(gradientsReady));
      all.add(optimizer.applyGradients(new OptimizerScope(afterGradients), vars, grads));
    }
    Op updates = tf.withControlDependencies(all).noOp();
    return tf.withName("train_step").withControlDependencies(List.of(updates))
        .assignAdd(iterations.variable, tf.constant(1L));
  }

  /** Reads a per-layer seed: (fit seed + salt, steps done) for stateless random ops. */
  private Operand<TInt64> seedFor(int layerIndex) {
    Operand<TInt64> s = tf.math.add(tf.identity(seed.variable),
        tf.constant(0x9E3779B97F4A7C15L * (layerIndex + 1)));
    return tf.stack(List.of(s, tf.identity(iterations.variable)));
  }

  private final class Context implements LayerContext {
    private final boolean training;
    private final List<Op> updates = new ArrayList<>();
    private final Map<String, Operand<TFloat32>> reads = new HashMap<>();
    private Map<String, Weight> own;
    private int layerIndex;
    private Operand<TFloat32> activated;
    private Operand<TFloat32> preActivation;
    private Activation activation;

    Context(boolean training) {
      this.training = training;
    }

    void begin(int index, Map<String, Weight> ownWeights) {
      layerIndex = index;
      own = ownWeights;
      reads.clear();
    }

    @Override
    public Ops tf() {
      return tf;
    }

    @Override
    public boolean training() {
      return training;
    }

    @Override
    public Operand<TFloat32> weight(String name) {
      return reads.computeIfAbsent(name, n -> tf.identity(variable(n)));
    }

    @Override
    public Variable<TFloat32> variable(String name) {
      Weight w = own.get(name);
      if (w == null) {
        throw new IllegalStateException("Layer asked for weight '" + name
            + "' it did not declare; declared: " + own.keySet());
      }
      return w.variable();
    }

    @Override
    public void addUpdate(Op update) {
      updates.add(update);
    }

    @Override
    public Operand<TInt64> randomSeed() {
      return seedFor(layerIndex);
    }

    @Override
    public Operand<TFloat32> activate(Activation a, Operand<TFloat32> z) {
      Operand<TFloat32> out = a.apply(tf, z);
      if (!a.equals(Activation.LINEAR)) {
        activated = out;
        preActivation = z;
        activation = a;
      }
      return out;
    }
  }

  private final class OptimizerScope implements OptimizerContext {
    private final Ops scoped;
    private final Operand<TFloat32> lr = tf.identity(learningRate.variable);
    private final Operand<TInt64> steps = tf.identity(iterations.variable);

    OptimizerScope(Ops scoped) {
      this.scoped = scoped;
    }

    @Override
    public Ops tf() {
      return scoped;
    }

    @Override
    public Operand<TFloat32> learningRate() {
      return lr;
    }

    @Override
    public Operand<TInt64> iterations() {
      return steps;
    }

    @Override
    public Variable<TFloat32> slot(Variable<TFloat32> weight, String slotName, float init) {
      String base = weight.op().name();
      Ops scope = tf.withSubScope("optimizer");
      Variable<TFloat32> v = scope.withName(base.replace('/', '_') + "_" + slotName)
          .variable(weight.shape(), TFloat32.class);
      slotInits.add(scope.assign(v, tf.fill(tf.constant(weight.shape().asArray()),
          tf.constant(init))));
      return v;
    }
  }

  /** A scalar variable with an op that assigns a fed value. */
  private static final class Scalar<T extends org.tensorflow.types.family.TType> {
    final Variable<T> variable;
    final Placeholder<T> value;
    final Op assign;

    Scalar(Ops tf, String name, Class<T> type) {
      variable = tf.withName(name).variable(Shape.scalar(), type);
      value = tf.withName(name + "_value").placeholder(type, Placeholder.shape(Shape.scalar()));
      assign = tf.withName(name + "_assign").assign(variable, value);
    }
  }

  // ---------------------------------------------------------------- running

  /** Draws fresh weights from their initializers and resets optimizer state and counters. */
  void initialize(long weightSeed, double lr) {
    SplittableRandom random = new SplittableRandom(weightSeed);
    List<float[]> values = new ArrayList<>(weights.size());
    for (Weight w : weights) {
      values.add(w.spec().initializer().values(w.spec().shape(), random));
    }
    setWeights(values);
    if (!slotInits.isEmpty()) {
      Session.Runner r = session.runner();
      slotInits.forEach(r::addTarget);
      r.run().close();
    }
    if (trainOp != null) {
      setLearningRate(lr);
      setIterations(0);
      setSeed(0);
    }
  }

  /** Writes every variable (weights, optimizer slots, counters) as a TF checkpoint. */
  void saveCheckpoint(java.nio.file.Path prefix) {
    session.save(prefix.toString());
  }

  /** Restores what {@link #saveCheckpoint} wrote from an identically built graph. */
  void restoreCheckpoint(java.nio.file.Path prefix) {
    session.restore(prefix.toString());
  }

  /**
   * Writes this (inference) graph as a SavedModel: tag {@code serve}, signature
   * {@code serving_default} (method {@code tensorflow/serving/predict}) from the input
   * placeholder to the prediction, batch dimension unknown.
   */
  void exportSavedModel(java.nio.file.Path dir, String inputKey, String outputKey) {
    org.tensorflow.Signature sig = org.tensorflow.Signature.builder().key("serving_default")
        .input(inputKey, x).output(outputKey, prediction)
        .methodName("tensorflow/serving/predict").build();
    try {
      org.tensorflow.SavedModelBundle.exporter(dir.toString()).withSession(session)
          .withSignature(sig).export();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("Cannot export a SavedModel to " + dir + ": "
          + e.getMessage(), e);
    }
  }

  void setWeights(List<float[]> values) {
    if (weights.isEmpty()) {
      return; // a run with no targets is an error in TF
    }
    Session.Runner r = session.runner();
    List<TFloat32> fed = new ArrayList<>(values.size());
    try {
      for (int i = 0; i < weights.size(); i++) {
        Weight w = weights.get(i);
        TFloat32 t = TFloat32.tensorOf(w.spec().shape(), DataBuffers.of(values.get(i), true,
            false));
        fed.add(t);
        r.feed(w.value(), t).addTarget(w.assign());
      }
      r.run().close();
    } finally {
      fed.forEach(TFloat32::close);
    }
  }

  List<float[]> getWeights() {
    if (weights.isEmpty()) {
      return new ArrayList<>();
    }
    Session.Runner r = session.runner();
    weights.forEach(w -> r.fetch(w.variable()));
    try (Result res = r.run()) {
      List<float[]> out = new ArrayList<>(weights.size());
      for (int i = 0; i < weights.size(); i++) {
        TFloat32 t = (TFloat32) res.get(i);
        float[] v = new float[Math.toIntExact(t.shape().size())];
        t.copyTo(DataBuffers.of(v, false, false));
        out.add(v);
      }
      return out;
    }
  }

  List<Weight> weights() {
    return weights;
  }

  void setLearningRate(double lr) {
    try (TFloat32 t = TFloat32.scalarOf((float) lr)) {
      session.runner().feed(learningRate.value, t).addTarget(learningRate.assign).run().close();
    }
  }

  double learningRate() {
    try (Result r = session.runner().fetch(learningRate.variable).run()) {
      return ((TFloat32) r.get(0)).getFloat();
    }
  }

  long iterations() {
    try (Result r = session.runner().fetch(iterations.variable).run()) {
      return ((TInt64) r.get(0)).getLong();
    }
  }

  void setIterations(long steps) {
    try (TInt64 t = TInt64.scalarOf(steps)) {
      session.runner().feed(iterations.value, t).addTarget(iterations.assign).run().close();
    }
  }

  void setSeed(long s) {
    try (TInt64 t = TInt64.scalarOf(s)) {
      session.runner().feed(seed.value, t).addTarget(seed.assign).run().close();
    }
  }

  /** One training step; returns {loss, metric...} batch means. */
  float[] trainStep(TFloat32 xs, TFloat32 ys) {
    Session.Runner r = session.runner().feed(x, xs).feed(y, ys).addTarget(trainOp)
        .fetch(trainLoss);
    trainMetrics.forEach(r::fetch);
    return scalars(r);
  }

  /** Loss and metrics of one batch on the inference path. */
  float[] evaluateBatch(TFloat32 xs, TFloat32 ys) {
    Session.Runner r = session.runner().feed(x, xs).feed(y, ys).fetch(evalLoss);
    evalMetrics.forEach(r::fetch);
    return scalars(r);
  }

  /** Inference-path outputs of one batch, row-major. */
  float[] predictBatch(TFloat32 xs) {
    try (Result r = session.runner().feed(x, xs).fetch(prediction).run()) {
      TFloat32 out = (TFloat32) r.get(0);
      float[] v = new float[Math.toIntExact(out.shape().size())];
      out.copyTo(DataBuffers.of(v, false, false));
      return v;
    }
  }

  private static float[] scalars(Session.Runner r) {
    try (Result res = r.run()) {
      float[] v = new float[res.size()];
      for (int i = 0; i < v.length; i++) {
        v[i] = ((TFloat32) res.get(i)).getFloat();
      }
      return v;
    }
  }

  Shape outputShape() {
    return outputShape;
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
