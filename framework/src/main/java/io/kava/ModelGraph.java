package io.kava;

import io.kava.internal.Replication;
import io.kava.layers.Activation;
import io.kava.layers.WeightSpec;
import io.kava.losses.Predictions;
import io.kava.metrics.Metric;
import io.kava.optimizers.Optimizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
import org.tensorflow.types.family.TFloating;

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
  private final Topology topology;
  private final List<Weight> weightList = new ArrayList<>();
  private final GraphWeights weights;
  private final List<Op> slotInits = new ArrayList<>();
  private final OptimizerSlots slots = new OptimizerSlots();
  private final List<Placeholder<TFloat32>> xs = new ArrayList<>();
  private final List<Placeholder<TFloat32>> ys = new ArrayList<>();
  private final List<Operand<TFloat32>> predictions = new ArrayList<>();
  private final List<Operand<TFloat32>> evalLogs = new ArrayList<>();
  private final List<Operand<TFloat32>> trainLogs = new ArrayList<>();
  /** What a training step fetches: the logs, combined across replicas when replicated. */
  private final List<Operand<TFloat32>> trainFetches = new ArrayList<>();
  /** Null when the model trains alone. */
  private final Replication replication;
  /** This replica's fraction of the global batch; null when the model trains alone. */
  private final Placeholder<TFloat32> share;
  private final Op trainOp;
  private final ScalarVariable<TFloat32> learningRate;
  private final ScalarVariable<TInt64> iterations;
  private final ScalarVariable<TInt64> seed;
  /** Dynamic loss scaling (float16 compute); null otherwise. */
  private final LossScale lossScale;

  /**
   * @param spec null builds an inference-only graph (predict before compile, exports)
   */
  ModelGraph(Topology topology, CompileSpec spec) {
    this(topology, spec, null);
  }

  /**
   * @param spec null builds an inference-only graph (predict before compile, exports)
   * @param replication null for a model that trains alone
   */
  ModelGraph(Topology topology, CompileSpec spec, Replication replication) {
    this.topology = topology;
    this.replication = spec == null ? null : replication;
    try {
      // Training state exists only in a training graph, so an exported (inference) graph's
      // variables file holds just the weights.
      boolean training = spec != null;
      learningRate = training ? new ScalarVariable<>(tf, "learning_rate", TFloat32.class)
          : null;
      iterations = training ? new ScalarVariable<>(tf, "iterations", TInt64.class) : null;
      seed = training ? new ScalarVariable<>(tf, "seed", TInt64.class) : null;
      lossScale = training && topology.scalesLoss() ? new LossScale(tf) : null;
      share = this.replication == null ? null : tf.withName("replica_share")
          .placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
      int inputs = topology.inputs().size();
      for (int i = 0; i < inputs; i++) {
        xs.add(tf.withName(inputs == 1 ? "x" : "x_" + i).placeholder(TFloat32.class,
            Placeholder.shape(batchShape(topology.nodeShape(i)))));
      }
      List<Map<String, Weight>> byLayer = new ArrayList<>();
      for (int l = 0; l < topology.layers().size(); l++) {
        Map<String, Weight> own = new LinkedHashMap<>();
        for (WeightSpec w : topology.weights(l)) {
          Weight created = createWeight(topology.layerNames().get(l), w);
          weightList.add(created);
          own.put(w.name(), created);
        }
        byLayer.add(own);
      }

      Path infer = forward(byLayer, false);
      int outputs = topology.outputs().size();
      for (int o = 0; o < outputs; o++) {
        predictions.add(tf.withName(outputs == 1 ? "prediction" : "prediction_" + o)
            .identity(infer.outputs.get(o).values()));
      }
      if (spec == null) {
        trainOp = null;
      } else {
        for (int o = 0; o < outputs; o++) {
          Shape label = spec.losses().get(o).labelShape(topology.outputShape(o));
          ys.add(tf.withName(outputs == 1 ? "y" : "y_" + o).placeholder(TFloat32.class,
              Placeholder.shape(batchShape(label))));
        }
        Operand<TFloat32> penalty = regularization();
        evalLogs.addAll(logs(spec, infer, penalty));
        Path train = forward(byLayer, true);
        trainLogs.addAll(logs(spec, train, penalty));
        trainOp = trainOp(spec.optimizer(), train.updates);
      }
      session = this.replication == null ? new Session(graph, config())
          : this.replication.session(graph, config());
      weights = new GraphWeights(session, weightList);
    } catch (RuntimeException e) {
      graph.close();
      throw e;
    }
  }

  /** Total loss, per-output losses (several outputs), metrics: {@link CompileSpec#logKeys}. */
  private List<Operand<TFloat32>> logs(CompileSpec spec, Path path, Operand<TFloat32> penalty) {
    int outputs = path.outputs.size();
    List<Operand<TFloat32>> perOutput = new ArrayList<>();
    Operand<TFloat32> total = penalty;
    for (int o = 0; o < outputs; o++) {
      Operand<TFloat32> l = spec.losses().get(o).call(tf, ys.get(o), path.outputs.get(o));
      perOutput.add(l);
      double w = spec.lossWeights().get(o);
      total = tf.math.add(total, w == 1 ? l : tf.math.mul(l, tf.constant((float) w)));
    }
    List<Operand<TFloat32>> logs = new ArrayList<>();
    logs.add(total);
    if (outputs > 1) {
      logs.addAll(perOutput);
    }
    for (int o = 0; o < outputs; o++) {
      for (Metric m : spec.metrics()) {
        logs.add(m.call(tf, ys.get(o), path.outputs.get(o).values(), spec.losses().get(o),
            topology.outputShape(o)));
      }
    }
    return logs;
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
    for (Weight w : weightList) {
      if (w.spec().regularizer() != null) {
        total = tf.math.add(total, w.spec().regularizer().penalty(tf,
            tf.identity(w.variable())));
      }
    }
    return total;
  }

  /** The outputs of one pass through the graph, as the losses see them, and its updates. */
  private record Path(List<Predictions> outputs, List<Op> updates) {}

  private Path forward(List<Map<String, Weight>> byLayer, boolean training) {
    LayerScope ctx = new LayerScope(tf, training, this::seedFor);
    int first = topology.inputs().size();
    List<Predictions> values = new ArrayList<>(topology.nodeCount());
    xs.forEach(x -> values.add(new Predictions(x, null, Activation.LINEAR)));
    List<Topology.Step> steps = topology.steps();
    for (int i = 0; i < steps.size(); i++) {
      Topology.Step s = steps.get(i);
      Class<? extends TFloating> compute = topology.computeType(s.layer());
      ctx.begin(i, byLayer.get(s.layer()), topology.frozen(s.layer()), compute);
      List<Operand<TFloat32>> in = new ArrayList<>(s.inputs().length);
      for (int node : s.inputs()) {
        in.add(Autocast.to(tf, values.get(node).values(), compute));
      }
      Operand<TFloat32> h = topology.layers().get(s.layer()).call(ctx, in);
      values.add(new Predictions(h, ctx.preActivationOf(h), ctx.activationOf(h)));
    }
    assert values.size() == first + steps.size();
    List<Predictions> outs = new ArrayList<>();
    // Outputs, losses and metrics are float32 under any policy (Keras casts the outputs).
    for (int o : topology.outputs()) {
      Predictions p = values.get(o);
      outs.add(new Predictions(Autocast.toFloat32(tf, p.values()),
          Autocast.toFloat32(tf, p.logits()), p.activation()));
    }
    return new Path(outs, ctx.updates());
  }

  private Op trainOp(Optimizer optimizer, List<Op> layerUpdates) {
    List<Variable<TFloat32>> vars = new ArrayList<>();
    List<String> paths = new ArrayList<>();
    for (Weight w : weightList) {
      if (w.spec().trainable()) {
        vars.add(w.variable());
        paths.add(w.path());
      }
    }
    // Under float16, the loss is scaled up before backprop so small gradients do not flush
    // to zero in float16, and the gradients are scaled back down (Keras's LossScaleOptimizer).
    Operand<TFloat32> scale = lossScale == null ? null : lossScale.read();
    Operand<TFloat32> loss = trainLogs.get(0);
    List<Operand<TFloat32>> grads = new ArrayList<>();
    if (!vars.isEmpty()) {
      List<Output<?>> dy = tf.gradients(scale == null ? loss : tf.math.mul(loss, scale), vars)
          .dy();
      for (int i = 0; i < dy.size(); i++) {
        if (dy.get(i).index() < 0) {
          throw new IllegalArgumentException("Model: weight '" + paths.get(i)
              + "' must affect the loss; it does not (is its layer on a path to an output"
              + " with a loss?).");
        }
        @SuppressWarnings("unchecked")
        Output<TFloat32> g = (Output<TFloat32>) dy.get(i);
        grads.add(scale == null ? g : tf.math.div(g, scale));
      }
    }
    if (replication == null) {
      trainFetches.addAll(trainLogs);
    } else {
      // One exchange per step: the gradients and the logs travel together.
      List<Operand<TFloat32>> local = new ArrayList<>(grads);
      local.addAll(trainLogs);
      List<Operand<TFloat32>> global = replication.sumOfShares(tf, local, share);
      grads = new ArrayList<>(global.subList(0, grads.size()));
      trainFetches.addAll(global.subList(grads.size(), global.size()));
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
      if (scale == null) {
        all.add(optimizer.applyGradients(new OptimizerScope(tf, afterGradients,
            learningRate.variable, iterations.variable, slotInits, slots), vars, grads));
      } else {
        all.addAll(lossScale.gatedUpdate(afterGradients, grads, scale, gated ->
            optimizer.applyGradients(new OptimizerScope(tf, afterGradients,
                learningRate.variable, iterations.variable, slotInits, slots), vars, gated)));
      }
    }
    Op updates = tf.withControlDependencies(all).noOp();
    return tf.withName("train_step").withControlDependencies(List.of(updates))
        .assignAdd(iterations.variable, tf.constant(1L));
  }

  /** Reads a per-step seed: (fit seed + salt, steps done) for stateless random ops. */
  private Operand<TInt64> seedFor(int layerIndex) {
    Operand<TInt64> s = tf.math.add(tf.identity(seed.variable),
        tf.constant(0x9E3779B97F4A7C15L * (layerIndex + 1)));
    return tf.stack(List.of(s, tf.identity(iterations.variable)));
  }

  // ---------------------------------------------------------------- running

  /** Draws fresh weights from their initializers and resets optimizer state and counters. */
  void initialize(long weightSeed, double lr) {
    weights.draw(weightSeed);
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
    if (lossScale != null) {
      lossScale.reset(session);
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
   * placeholders, keyed by input name, to the predictions, keyed by output name; batch
   * dimension unknown.
   */
  void exportSavedModel(java.nio.file.Path dir) {
    org.tensorflow.Signature.Builder sig = org.tensorflow.Signature.builder()
        .key("serving_default").methodName("tensorflow/serving/predict");
    for (int i = 0; i < xs.size(); i++) {
      sig.input(topology.inputNames().get(i), xs.get(i));
    }
    for (int o = 0; o < predictions.size(); o++) {
      sig.output(topology.outputNames().get(o), predictions.get(o));
    }
    try {
      org.tensorflow.SavedModelBundle.exporter(dir.toString()).withSession(session)
          .withSignature(sig.build()).export();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("Cannot export a SavedModel to " + dir + ": "
          + e.getMessage(), e);
    }
  }

  /** The graph, for tests that inspect its ops. */
  Graph graph() {
    return graph;
  }

  /** The training path's total loss, or null in an inference graph. */
  Operand<TFloat32> trainingLoss() {
    return trainLogs.isEmpty() ? null : trainLogs.get(0);
  }

  /** The optimizer's slot variables (empty before the optimizer made any). */
  OptimizerSlots slots() {
    return slots;
  }

  Session session() {
    return session;
  }

  /** The weights the optimizer trains, in the order it receives them. */
  List<Weight> trainableWeights() {
    return weightList.stream().filter(w -> w.spec().trainable()).toList();
  }

  GraphWeights weights() {
    return weights;
  }

  int outputCount() {
    return predictions.size();
  }

  Shape outputShape(int output) {
    return topology.outputShape(output);
  }

  void setLearningRate(double lr) {
    try (TFloat32 t = TFloat32.scalarOf((float) lr)) {
      learningRate.set(session, t);
    }
  }

  double learningRate() {
    try (Result r = learningRate.get(session)) {
      return ((TFloat32) r.get(0)).getFloat();
    }
  }

  /** The current dynamic loss scale, or NaN when the model does not scale its loss. */
  double lossScale() {
    return lossScale == null ? Double.NaN : lossScale.value(session);
  }

  long iterations() {
    try (Result r = iterations.get(session)) {
      return ((TInt64) r.get(0)).getLong();
    }
  }

  void setIterations(long steps) {
    try (TInt64 t = TInt64.scalarOf(steps)) {
      iterations.set(session, t);
    }
  }

  void setSeed(long s) {
    try (TInt64 t = TInt64.scalarOf(s)) {
      seed.set(session, t);
    }
  }

  /**
   * One training step; returns the batch means of the log keys' values. A replica holds
   * {@code share} of the global batch (1 when training alone) and returns the global batch's
   * means.
   */
  float[] trainStep(Fed batch, float share) {
    Session.Runner r = feed(session.runner(), batch, true).addTarget(trainOp);
    trainFetches.forEach(r::fetch);
    if (replication == null) {
      return scalars(r);
    }
    try (TFloat32 s = TFloat32.scalarOf(share)) {
      r.feed(this.share, s);
      return scalars(replication.runStep(r));
    } catch (RuntimeException e) {
      throw replication.failed(e);
    }
  }

  /** Loss and metrics of one batch on the inference path. */
  float[] evaluateBatch(Fed batch) {
    Session.Runner r = feed(session.runner(), batch, true);
    evalLogs.forEach(r::fetch);
    return scalars(r);
  }

  /** Inference-path outputs of one batch, row-major, one array per output. */
  List<float[]> predictBatch(Fed batch) {
    Session.Runner r = feed(session.runner(), batch, false);
    predictions.forEach(r::fetch);
    try (Result res = r.run()) {
      List<float[]> out = new ArrayList<>(predictions.size());
      for (int o = 0; o < predictions.size(); o++) {
        TFloat32 t = (TFloat32) res.get(o);
        float[] v = new float[Math.toIntExact(t.shape().size())];
        t.copyTo(DataBuffers.of(v, false, false));
        out.add(v);
      }
      return out;
    }
  }

  private Session.Runner feed(Session.Runner r, Fed batch, boolean labels) {
    for (int i = 0; i < xs.size(); i++) {
      r.feed(xs.get(i), batch.xs().get(i));
    }
    if (labels) {
      for (int o = 0; o < ys.size(); o++) {
        r.feed(ys.get(o), batch.ys().get(o));
      }
    }
    return r;
  }

  private static float[] scalars(Session.Runner r) {
    return scalars(r.run());
  }

  /** The scalars of {@code result}, which it closes. */
  private static float[] scalars(Result result) {
    try (Result res = result) {
      float[] v = new float[res.size()];
      for (int i = 0; i < v.length; i++) {
        v[i] = ((TFloat32) res.get(i)).getFloat();
      }
      return v;
    }
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
