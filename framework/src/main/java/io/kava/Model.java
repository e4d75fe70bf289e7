package io.kava;

import io.kava.internal.Checks;
import io.kava.layers.Input;
import io.kava.losses.Loss;
import io.kava.metrics.Classes;
import io.kava.metrics.Metric;
import io.kava.optimizers.Optimizer;
import io.kava.saving.Registry;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tensorflow.ndarray.FloatNdArray;

/**
 * A model trained with TensorFlow, as Keras's {@code Model}: the base of {@link Sequential}
 * and the functional models {@link #of(Input, Node)} builds from any directed acyclic graph of
 * layers (shared layers, skip connections, several inputs and outputs). {@link #compile} it,
 * then {@link #fit}, {@link #evaluate} and {@link #predict}; {@link #save} and {@link #load}
 * keep everything needed to resume, {@link #export} writes a SavedModel for TF Serving, and
 * {@link #loadKeras} imports a model saved by Python Keras; {@link #input()} and
 * {@link #output(String)} give the nodes to build a new model on, e.g. a new head on an
 * imported base, which starts from the base's weights.
 *
 * <p>The model owns one TensorFlow graph and session, built once; {@link #close()} frees them.
 * Arrays of a model with several inputs or outputs are passed as maps keyed by the names of
 * its {@link Input}s and output layers.
 *
 * <pre>{@code
 * jshell> Input img = Input.of(28, 28, 1).name("image")
 * jshell> Node h = Conv2D.of(8, 3).activation(Activation.RELU).apply(img)
 * jshell> Node out = Dense.of(10).activation(Activation.SOFTMAX).name("digit")
 *    ...>     .apply(Flatten.of().apply(h))
 * jshell> Model m = Model.of(img, out)
 * jshell> m.compile(new Adam(), new CategoricalCrossentropy(), new Accuracy())
 * jshell> m.fit(x, y, FitOptions.defaults().epochs(1))
 * }</pre>
 */
public class Model implements AutoCloseable {
  private String name;
  private Topology topology;
  private java.util.Set<String> frozen = java.util.Set.of();
  private DTypePolicies policies = DTypePolicies.DEFAULT;
  private CpuFeatures cpu;
  private final CompiledGraph compiled = new CompiledGraph();
  private int epochsCompleted;
  private volatile boolean stopRequested;
  /** Where Keras's files keep the weights of an imported model that nests models; or null. */
  private KerasLayout kerasLayout;

  Model(String name, Topology topology) {
    this.name = name;
    this.topology = topology;
  }

  /** A functional model from one input to one output. */
  public static Model of(Input input, Node output) {
    return of(List.of(Checks.notNull("Model", "input", input)),
        List.of(Checks.notNull("Model", "output", output)));
  }

  /**
   * A functional model from several inputs to several outputs (keys of fit/predict maps).
   * Layers reached through another model's {@link #output(String)} keep, as in Keras, that
   * model's layer names, frozen flags and weights: the new model starts from a copy of their
   * values taken now (the other model must be open now; it may be closed afterwards, and the
   * two train apart). The other layers start from their initializers.
   */
  public static Model of(List<Input> inputs, List<Node> outputs) {
    String subject = "Model 'functional'";
    SharedLayers shared = SharedLayers.of(outputs);
    Model m = new Model("functional", Topology.functional(subject, inputs, outputs,
        shared.names()));
    m.compiled.initialWeights(shared.weights(subject, m.topology));
    java.util.Set<String> frozen = shared.frozen(m.topology);
    return frozen.isEmpty() ? m : m.freeze(frozen.toArray(String[]::new));
  }

  KerasLayout kerasLayout() {
    return kerasLayout;
  }

  void kerasLayout(KerasLayout layout) {
    this.kerasLayout = layout;
  }

  /** Names the model (shown by {@link #summary()}). */
  public Model name(String name) {
    this.name = Checks.name(kind(), name);
    return this;
  }

  public String name() {
    return name;
  }

  /**
   * Fixes the seed of the initial weights: two models with the same layers and seed start
   * from identical weights. Default: a random seed. Takes effect when the model is built.
   */
  public Model seed(long seed) {
    if (compiled.graph() != null) {
      throw new IllegalStateException(subject() + ": seed must be set before the model is"
          + " built (before compile with an Input, fit or predict).");
    }
    compiled.weightSeed(seed);
    return this;
  }

  /**
   * Sets the model's dtype policy, as Keras's {@code dtype_policy}: {@link DTypePolicy#FLOAT32}
   * (the default), {@link DTypePolicy#MIXED_BFLOAT16} or {@link DTypePolicy#MIXED_FLOAT16}.
   * Weights stay float32; layers compute in the policy's type; outputs, losses, metrics and
   * exported signatures are float32. Best set before {@code compile}; set later, the graph is
   * rebuilt keeping the weights (the optimizer's state starts afresh). Prints a one-line
   * warning where bfloat16 is emulated by a CPU without bfloat16 arithmetic.
   */
  public Model dtypePolicy(DTypePolicy policy) {
    DTypePolicies p = policies.withModel(subject(), policy);
    DTypePolicies.warnIfEmulated(policy, cpu(), System.err);
    return policies(p);
  }

  /** The model's dtype policy (layers without their own follow it). */
  public DTypePolicy dtypePolicy() {
    return policies.model();
  }

  /**
   * Gives the layer {@code layerName} its own dtype policy, as Keras's per-layer
   * {@code dtype=}: e.g. a final softmax in {@link DTypePolicy#FLOAT32} under a mixed model.
   */
  public Model dtypePolicy(String layerName, DTypePolicy policy) {
    DTypePolicies p = policies.withLayer(subject(), layerName, policy);
    DTypePolicies.warnIfEmulated(policy, cpu(), System.err);
    return policies(p);
  }

  /** The dtype policy of layer {@code layerName}: its own, else the model's. */
  public DTypePolicy dtypePolicy(String layerName) {
    Topology t = requireTopology("dtypePolicy");
    int i = t.layerNames().indexOf(layerName);
    if (i < 0) {
      throw new IllegalArgumentException(subject() + ": layer name must be one of "
          + t.layerNames() + "; got '" + layerName + "'.");
    }
    return t.policy(i);
  }

  private Model policies(DTypePolicies p) {
    Topology t = topology == null ? null : p.apply(subject(), topology);
    policies = p;
    if (t != null) {
      topology = t;
      compiled.topologyChanged(t, subject());
    }
    return this;
  }

  DTypePolicies policies() {
    return policies;
  }

  /** Replaces the CPU feature check (tests of the emulation warning). */
  Model cpuFeatures(CpuFeatures features) {
    cpu = features;
    return this;
  }

  private CpuFeatures cpu() {
    if (cpu == null) {
      cpu = CpuFeatures.system();
    }
    return cpu;
  }

  /** The model's inputs, as Keras's {@code model.inputs}: where a model built on it starts. */
  public List<Input> inputs() {
    return requireTopology("inputs").inputs();
  }

  /** The model's only input, as Keras's {@code model.input}. */
  public Input input() {
    List<Input> in = requireTopology("input").inputs();
    if (in.size() != 1) {
      throw new IllegalStateException(subject() + ": input() needs a model with one input; it"
          + " has " + in.size() + ", " + inputNames() + ". Use inputs().");
    }
    return in.get(0);
  }

  /**
   * The output of layer (or input) {@code layerName}, as Keras's
   * {@code model.get_layer(name).output}: a node to build a new model on, e.g. a new head on
   * an imported base, {@code Model.of(base.input(), head.apply(base.output("flatten")))}. The
   * new model keeps this model's weights for the layers it shares (see {@link #of(List, List)}).
   * A layer called several times gives its first call's output, as in Keras 3.
   */
  public Node output(String layerName) {
    return output(layerName, 0);
  }

  /** The output of call {@code call} (from 0) of a layer called several times. */
  public Node output(String layerName, int call) {
    return ModelNode.output(this, requireTopology("output"), layerName, call);
  }

  /**
   * Makes this model one replica of a distribution strategy's synchronous training; called by
   * {@code io.kava.distribute.MultiWorkerStrategy.build}, which is what users call. A built
   * model (e.g. loaded to resume) keeps its weights, optimizer state and counters.
   */
  public Model replication(io.kava.internal.Replication replication) {
    compiled.replication(Checks.notNull(subject(), "replication", replication), topology,
        subject());
    return this;
  }

  /** The names that key the inputs in maps and exported signatures. */
  public List<String> inputNames() {
    return requireTopology("inputNames").inputNames();
  }

  /** The names that key the outputs: the output layers' ({@code output_0} in a Sequential). */
  public List<String> outputNames() {
    return requireTopology("outputNames").outputNames();
  }

  /** Keras's summary table as text. */
  public String summaryString() {
    return Summary.of(name, topology);
  }

  /** Prints {@link #summaryString()}. */
  public void summary() {
    System.out.print(summaryString());
  }

  /** Number of weights (scalars), trainable or not. */
  public long countParams() {
    return requireTopology("countParams").countParams();
  }

  // ------------------------------------------------------------------ compile

  /** Sets the optimizer, one loss for every output, and metrics reported per output. */
  public void compile(Optimizer optimizer, Loss loss, Metric... metrics) {
    Checks.notNull(subject(), "loss", loss);
    compile(new Compile(optimizer, loss, null, Map.of(), List.of(metrics)));
  }

  /** Sets one loss per output name, as Keras's loss dict. */
  public void compile(Optimizer optimizer, Map<String, Loss> losses, Metric... metrics) {
    compile(optimizer, losses, Map.of(), metrics);
  }

  /**
   * One loss per output name, weighted in the total loss by {@code lossWeights} (Keras's
   * {@code loss_weights}; outputs not listed weigh 1).
   */
  public void compile(Optimizer optimizer, Map<String, Loss> losses,
      Map<String, Double> lossWeights, Metric... metrics) {
    Checks.notNull(subject(), "losses", losses);
    Checks.notNull(subject(), "loss weights", lossWeights);
    compile(new Compile(optimizer, null, Map.copyOf(losses), Map.copyOf(lossWeights),
        List.of(metrics)));
  }

  void compile(Compile c) {
    c.check(subject());
    checkCompilable();
    compiled.compile(c, topology, subject());
  }

  // ------------------------------------------------------------------ fit / evaluate / predict

  /** {@link #fit(FloatNdArray, FloatNdArray, FitOptions)} with the default options. */
  public History fit(FloatNdArray x, FloatNdArray y) {
    return fit(x, y, FitOptions.defaults());
  }

  /**
   * Trains on arrays: {@code x [n, ...inputShape]}, {@code y [n, ...labelShape]}, for a model
   * with one input and one output. Checks shapes, label values and NaN before the first step.
   */
  public History fit(FloatNdArray x, FloatNdArray y, FitOptions options) {
    requireCompiled("fit");
    Fitter f = new Fitter(this);
    return f.fit(f.single(x, "x", false), f.single(y, "y", true), options);
  }

  /**
   * Trains on integer labels, one per sample of {@code x}, where Keras takes integer labels:
   * class indices for {@code SparseCategoricalCrossentropy}, 0/1 for one sigmoid unit. They
   * are checked as float labels are (range, count), with the same messages.
   */
  public History fit(FloatNdArray x, int[] y, FitOptions options) {
    return fit(x, Data.labels(subject(), "y", y), options);
  }

  /** Trains on arrays keyed by input and output names. */
  public History fit(Map<String, FloatNdArray> x, Map<String, FloatNdArray> y,
      FitOptions options) {
    requireCompiled("fit");
    Fitter f = new Fitter(this);
    return f.fit(f.byName(x, "x"), f.byName(y, "y"), options);
  }

  /** Trains on batches from an iterator (e.g. the data module's generators). */
  public History fit(BatchIterator data, FitOptions options) {
    requireCompiled("fit");
    return new Fitter(this).fit(data, options);
  }

  /** Loss and metrics on {@code x, y} (inference path, batches of 32). */
  public Map<String, Double> evaluate(FloatNdArray x, FloatNdArray y) {
    return evaluate(x, y, 32);
  }

  public Map<String, Double> evaluate(FloatNdArray x, FloatNdArray y, int batchSize) {
    requireCompiled("evaluate");
    Fitter f = new Fitter(this);
    return f.evaluate(f.single(x, "x", false), f.single(y, "y", true), batchSize);
  }

  /** Loss and metrics on integer labels (see {@link #fit(FloatNdArray, int[], FitOptions)}). */
  public Map<String, Double> evaluate(FloatNdArray x, int[] y) {
    return evaluate(x, Data.labels(subject(), "y", y), 32);
  }

  /** Loss and metrics on arrays keyed by input and output names, batches of 32. */
  public Map<String, Double> evaluate(Map<String, FloatNdArray> x, Map<String, FloatNdArray> y) {
    requireCompiled("evaluate");
    Fitter f = new Fitter(this);
    return f.evaluate(f.byName(x, "x"), f.byName(y, "y"), 32);
  }

  /** Loss and metrics over every batch of an iterator. */
  public Map<String, Double> evaluate(BatchIterator data) {
    requireCompiled("evaluate");
    return new Fitter(this).evaluate(data);
  }

  /** Outputs for {@code x} (inference path: no dropout), batches of 32; one-output models. */
  public FloatNdArray predict(FloatNdArray x) {
    return predict(x, 32);
  }

  public FloatNdArray predict(FloatNdArray x, int batchSize) {
    Fitter f = new Fitter(this);
    return f.onlyOutput(f.predict(f.single(x, "x", false), batchSize));
  }

  /** Outputs keyed by output name, for inputs keyed by input name; batches of 32. */
  public Map<String, FloatNdArray> predict(Map<String, FloatNdArray> x) {
    Fitter f = new Fitter(this);
    return f.named(f.predict(f.byName(x, "x"), 32));
  }

  /** Outputs for every batch of an iterator, in order (labels are ignored). */
  public FloatNdArray predict(BatchIterator data) {
    Fitter f = new Fitter(this);
    return f.onlyOutput(f.predict(data));
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
    return built("getWeights").weights().arrays();
  }

  /** Sets all weights, in the order and shapes of {@link #getWeights()}. */
  public void setWeights(List<FloatNdArray> values) {
    ModelGraph g = built("setWeights");
    Checks.notNull(subject(), "weights", values);
    g.weights().setArrays(subject(), values);
  }

  /** Names of the weights, as {@code layer/weight}, in {@link #getWeights()} order. */
  public List<String> weightNames() {
    return built("weightNames").weights().list().stream().map(ModelGraph.Weight::path).toList();
  }

  /** The current learning rate (callbacks may have changed it). */
  public double learningRate() {
    return trainable("learningRate").learningRate();
  }

  /** Sets the learning rate used by the following training steps. */
  public void learningRate(double lr) {
    Checks.positive(subject(), "learning rate", lr);
    trainable("learningRate").setLearningRate(lr);
  }

  /** Training steps run so far (the optimizer's {@code iterations}). */
  public long iterations() {
    return trainable("iterations").iterations();
  }

  /**
   * Epochs trained so far, counted across fits and saved with the model: pass it as
   * {@code FitOptions.initialEpoch} to resume a run exactly where it stopped.
   */
  public int epochsCompleted() {
    return epochsCompleted;
  }

  void epochsCompleted(int epochs) {
    epochsCompleted = Math.max(epochsCompleted, epochs);
  }

  /**
   * Freezes layers, as Keras's {@code layer.trainable = False}: their weights stop training
   * (they count as non-trainable in {@link #summary()}) and BatchNormalization layers among
   * them normalize with their moving statistics. Weights are kept; as after a Keras
   * recompile, the optimizer's state starts afresh.
   */
  public Model freeze(String... layerNames) {
    java.util.Set<String> all = new java.util.HashSet<>(frozen);
    all.addAll(List.of(Checks.notNull(subject(), "layer names", layerNames)));
    return frozen(all);
  }

  /**
   * Freezes {@code layerName} and every layer it depends on: a pretrained base that ends in
   * that layer (Keras's {@code base_model.trainable = False}).
   */
  public Model freezeThrough(String layerName) {
    return freeze(requireTopology("freezeThrough").upstream(subject(), layerName)
        .toArray(String[]::new));
  }

  /** Makes layers trainable again; with no names, every layer. */
  public Model unfreeze(String... layerNames) {
    java.util.Set<String> all = new java.util.HashSet<>(frozen);
    if (layerNames.length == 0) {
      all.clear();
    } else {
      List.of(layerNames).forEach(all::remove);
    }
    return frozen(all);
  }

  /** The names of the frozen layers, in layer order. */
  public List<String> frozenLayers() {
    return requireTopology("frozenLayers").frozenNames();
  }

  private Model frozen(java.util.Set<String> names) {
    Topology t = requireTopology("freeze").withFrozen(subject(), names);
    frozen = java.util.Set.copyOf(names);
    topology = t;
    compiled.topologyChanged(t, subject());
    return this;
  }

  /** Asks a running {@code fit} to stop after the current batch (Keras's stop_training). */
  public void stopTraining() {
    stopRequested = true;
  }

  boolean stopRequested() {
    return stopRequested;
  }

  void clearStop() {
    stopRequested = false;
  }

  // ------------------------------------------------------------------ files

  /**
   * Writes an inference-only SavedModel for Python TensorFlow and TF Serving: tag
   * {@code serve}, signature {@code serving_default} (method
   * {@code tensorflow/serving/predict}) with the inputs keyed by their names
   * ({@code input_layer} unless named, as Keras 3) and the outputs by the output layers'
   * names ({@code output_0} for a Sequential); batch dimension -1. No optimizer state, no
   * dropout. Written atomically: a temporary sibling directory renamed into place.
   */
  public void export(Path dir) {
    Checks.notNull(subject(), "export directory", dir);
    ModelFiles.export(built("export"), topology, dir);
  }

  /** Exports into TF Serving's layout {@code <base>/<version>/}. */
  public void export(Path base, long version) {
    export(ModelFiles.versionDir(subject(), base, version));
  }

  /**
   * Saves everything needed to serve the model and to resume training: an inference
   * SavedModel (as {@link #export}), {@code kava.json} (architecture as each component's
   * config, compile settings, epoch counter) and {@code assets.extra/training/checkpoint}
   * (weights, optimizer slots, learning rate and step counter). Atomic.
   */
  public void save(Path dir) {
    Checks.notNull(subject(), "save directory", dir);
    ModelGraph g = built("save");
    ModelFiles.save(new ModelJson.Saved(name, this instanceof Sequential, topology,
        compiled.compile(), epochsCompleted, compiled.weightSeed()), g, dir);
  }

  /**
   * Loads a model written by {@link #save}: a {@link Sequential} if one was saved, else a
   * functional model, with the same layers, names and compile settings and the exact weights
   * and optimizer state, so predictions are identical and {@code fit} continues exactly.
   */
  public static Model load(Path dir) {
    return load(dir, Registry.defaults());
  }

  /** {@link #load(Path)} with {@code registry} to find the user's own components. */
  public static Model load(Path dir, Registry registry) {
    return ModelFiles.load(dir, registry, "Model.load");
  }

  /**
   * A model from a Keras file, a legacy {@code .h5} or a Keras 3 {@code .keras} zip (told by
   * content): a {@link Sequential} if it holds one, else functional, with Keras's layer names
   * and weights, compiled from its training config when Kava has every part of it (else
   * uncompiled, with a warning). Unsupported layers fail in one error that lists them all.
   */
  public static Model loadKeras(Path file) {
    return KerasFiles.load(file);
  }

  /** An unbuilt model from Keras's {@code model.to_json()} (Keras 1, 2 or 3). */
  public static Model fromKerasJson(String json) {
    return KerasFiles.fromJson(json);
  }

  /**
   * Sets every weight from a Keras weights file: Keras 2's {@code save_weights} HDF5 (matched
   * by layer name, else by order), Keras 3's {@code .weights.h5}, or a full {@code .h5}.
   */
  public void loadKerasWeights(Path file) {
    KerasFiles.loadWeights(this, file);
  }

  /**
   * Writes a Keras 3 {@code .keras} zip ({@code metadata.json}, {@code config.json},
   * {@code model.weights.h5}) laid out as Keras 3's own saving code writes it, which Keras 3's
   * {@code keras.saving.load_model} and {@link #loadKeras} read back: Keras's layer configs
   * and names, frozen layers as {@code "trainable": false}, the weights, and the compile
   * settings as {@code compile_config}. Not written: the optimizer's state (training goes on
   * with a fresh optimizer). A custom layer, or a Kava layer Keras lacks, fails with an error
   * listing every such layer. Written atomically (a temporary file renamed into place).
   */
  public void saveKeras(Path file) {
    KerasSave.save(this, file);
  }

  /** Restores a loaded model's settings and training state (called by ModelFiles). */
  void restore(ModelJson.Saved saved, Path checkpoint) {
    compiled.weightSeed(saved.weightSeed());
    epochsCompleted = saved.epochsCompleted();
    if (saved.compile() != null) {
      compile(saved.compile());
    }
    built("load").restoreCheckpoint(checkpoint);
  }

  // ------------------------------------------------------------------ internals for subclasses

  /** The topology, failing with {@code what} named if it is not known yet. */
  Topology requireTopology(String what) {
    if (topology == null) {
      throw new IllegalStateException(subject() + ": " + what + "() needs the input shape;"
          + " start the model with Input.of(...) or fit/predict it first.");
    }
    return topology;
  }

  Topology topology() {
    return topology;
  }

  void topology(Topology t) {
    this.topology = t == null ? null
        : policies.apply(subject(), t.withFrozen(subject(), frozen));
  }

  /** Infers the topology from the first input array where the model has none yet. */
  void inferTopology(FloatNdArray x) {
    requireTopology("fit");
  }

  /** Throws if the model cannot be compiled yet. */
  void checkCompilable() {}

  /** The compile settings and the graph built from them. */
  CompiledGraph compiled() {
    return compiled;
  }

  /** The graph, built now if the topology is known. */
  ModelGraph built(String what) {
    return compiled.built(requireTopology(what), subject());
  }

  private ModelGraph trainable(String what) {
    requireCompiled(what);
    return built(what);
  }

  void requireCompiled(String what) {
    if (compiled.compile() == null) {
      throw new IllegalStateException(subject() + ": " + what + "() called before compile();"
          + " call model.compile(optimizer, loss, metrics...) first.");
    }
  }

  /** {@code Model} or {@code Sequential}: how messages name this kind of model. */
  String kind() {
    return "Model";
  }

  String subject() {
    return kind() + " '" + name + "'";
  }

  /** Frees the native graph and session; the model can be rebuilt by compiling again. */
  @Override
  public void close() {
    compiled.close();
  }

  @Override
  public String toString() {
    return "Model(name=" + name + ", inputs=" + topology.inputNames() + ", outputs="
        + topology.outputNames() + String.format(Locale.ROOT, ", params=%,d", countParams())
        + compiled.describe() + ")";
  }
}
