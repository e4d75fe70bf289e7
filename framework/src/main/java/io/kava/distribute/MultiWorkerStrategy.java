package io.kava.distribute;

import io.kava.Model;
import io.kava.internal.Checks;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Synchronous data-parallel training on several workers, as Keras's
 * {@code MultiWorkerMirroredStrategy}, on TensorFlow's own gRPC runtime. Every worker runs
 * the same program with its own {@code TF_CONFIG} (Keras's JSON:
 * {@code {"cluster": {"worker": ["host1:port", ...]}, "task": {"type": "worker", "index": i}}});
 * worker 0 is the chief. Each worker is a replica: it starts a TensorFlow server at its address,
 * trains on its share of every global batch ({@code FitOptions.batchSize}, which must be
 * divisible by the number of workers), and each step the replicas sum their gradients and logs,
 * weighted by their share of the batch, with TensorFlow's collective all-reduce. So every
 * replica applies the same update, holds the same weights, and every worker's {@code fit}
 * returns the same {@code History}: the global batches' losses and metrics, as one process
 * training on the whole batches would (up to float summation order).
 *
 * <p>At the start of every {@code fit} the replicas take the chief's weights and the chief's
 * seed (shuffling). Validation data is evaluated whole on every worker. Not synchronized:
 * BatchNormalization's moving statistics (each replica keeps its own, from its share, as in
 * Keras), and dropout masks (each replica draws its share's from the same seeds).
 *
 * <p>Without {@code TF_CONFIG}, or with a one-worker cluster, the strategy is a single local
 * replica: {@link #build} returns the model as the factory made it.
 *
 * <pre>{@code
 * jshell> var strategy = MultiWorkerStrategy.fromEnvironment()
 * strategy ==> MultiWorkerStrategy(workers=2, task=0, address=127.0.0.1:2222)
 * jshell> Model model = strategy.build(() -> MnistSimpleCnn.create().seed(1))
 * jshell> model.compile(new Adam(), new CategoricalCrossentropy(), new Accuracy())
 * jshell> model.fit(x, y, FitOptions.defaults().batchSize(64).seed(3))   // the global batch
 * }</pre>
 */
public final class MultiWorkerStrategy {
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration DEFAULT_START_TIMEOUT = Duration.ofMinutes(5);

  private final ClusterConfig cluster;
  private final Duration timeout;
  private final Duration startTimeout;
  /** Every how many training steps to trace the all-reduce; 0 for never. */
  private final int traceEvery;
  private final Consumer<AllReduceTrace> traceListener;
  /** Started by the first multi-worker build; one server per strategy and process. */
  private CollectiveReplication replication;

  private MultiWorkerStrategy(ClusterConfig cluster, Duration timeout, Duration startTimeout,
      int traceEvery, Consumer<AllReduceTrace> traceListener) {
    this.cluster = cluster;
    this.timeout = timeout;
    this.startTimeout = startTimeout;
    this.traceEvery = traceEvery;
    this.traceListener = traceListener;
  }

  /**
   * The strategy {@code TF_CONFIG} describes, or a single local replica when it is unset or
   * blank. A malformed {@code TF_CONFIG} fails with what is wrong in it.
   */
  public static MultiWorkerStrategy fromEnvironment() {
    String config = System.getenv("TF_CONFIG");
    return config == null || config.isBlank() ? local() : fromConfig(config);
  }

  /** The strategy a {@code TF_CONFIG} JSON string describes (checked as fromEnvironment). */
  public static MultiWorkerStrategy fromConfig(String tfConfig) {
    return new MultiWorkerStrategy(ClusterConfig.parse(tfConfig), DEFAULT_TIMEOUT,
        DEFAULT_START_TIMEOUT, 0, null);
  }

  /** A single local replica: models train as without a strategy. */
  public static MultiWorkerStrategy local() {
    return new MultiWorkerStrategy(ClusterConfig.local(), DEFAULT_TIMEOUT,
        DEFAULT_START_TIMEOUT, 0, null);
  }

  /**
   * How long one training step may wait for the other workers before it fails, naming the
   * workers that cannot be reached. Default 60 s; raise it for steps that take longer.
   */
  public MultiWorkerStrategy timeout(Duration timeout) {
    return new MultiWorkerStrategy(cluster, positive("timeout", timeout), startTimeout,
        traceEvery, traceListener);
  }

  /**
   * How long the first exchange of a {@code fit} (the chief's weights) waits for every worker
   * to start and reach it. Default 5 minutes.
   */
  public MultiWorkerStrategy startTimeout(Duration startTimeout) {
    return new MultiWorkerStrategy(cluster, timeout, positive("start timeout", startTimeout),
        traceEvery, traceListener);
  }

  /**
   * Traces every {@code everySteps}-th training step of this worker's replicas (steps counted
   * from 1 over every fit) with TensorFlow's step statistics and passes {@code listener}, in
   * the training thread, the step's time and its all-reduce's time, both from the step's
   * statistics. A traced step is slower than the others (collecting the trace costs time),
   * so time untraced steps for speed. Default: no tracing. A single local replica has no
   * all-reduce and traces nothing.
   */
  public MultiWorkerStrategy traceAllReduce(int everySteps, Consumer<AllReduceTrace> listener) {
    if (everySteps < 1) {
      throw Checks.invalid(ClusterConfig.SUBJECT, "everySteps", ">= 1",
          everySteps, null);
    }
    Checks.notNull(ClusterConfig.SUBJECT, "trace listener", listener);
    return new MultiWorkerStrategy(cluster, timeout, startTimeout, everySteps, listener);
  }

  /**
   * The model {@code factory} makes, set up to train as this worker's replica; the first call
   * starts this worker's TensorFlow server. Call it before the model is compiled or built, and
   * build and train models in the same order on every worker.
   */
  public <M extends Model> M build(Supplier<M> factory) {
    Checks.notNull(ClusterConfig.SUBJECT, "model factory", factory);
    M model = Checks.notNull(ClusterConfig.SUBJECT, "model from the factory", factory.get());
    if (replicas() > 1) {
      model.replication(replication());
    }
    return model;
  }

  /**
   * Serves this worker's TensorFlow server until the process ends, running no model of its
   * own ({@code tools/kava worker}): a plain task of the cluster for TensorFlow clients that
   * place ops on it. It does not take part in a {@link #build} replica's collectives.
   */
  public void serve() {
    if (cluster.workers().isEmpty()) {
      throw new IllegalStateException(ClusterConfig.SUBJECT + ": serve() needs a cluster; set"
          + " TF_CONFIG to Keras's JSON with this worker's address.");
    }
    WorkerServer.start(cluster).join();
  }

  /** Number of replicas (workers); 1 for a local strategy. */
  public int replicas() {
    return cluster.replicas();
  }

  /** This worker's task index; 0 for a local strategy. */
  public int taskIndex() {
    return cluster.index();
  }

  /** Whether this worker is the chief (task 0), the one that writes files. */
  public boolean isChief() {
    return cluster.index() == 0;
  }

  private synchronized CollectiveReplication replication() {
    if (replication == null) {
      replication = new CollectiveReplication(cluster, WorkerServer.start(cluster),
          timeout.toMillis() / 1000.0, startTimeout.toMillis() / 1000.0, traceEvery,
          traceListener);
    }
    return replication;
  }

  private static Duration positive(String what, Duration d) {
    Checks.notNull(ClusterConfig.SUBJECT, what, d);
    if (d.isNegative() || d.isZero()) {
      throw Checks.invalid(ClusterConfig.SUBJECT, what, "> 0", d, null);
    }
    return d;
  }

  @Override
  public String toString() {
    if (cluster.workers().isEmpty()) {
      return "MultiWorkerStrategy(local)";
    }
    return "MultiWorkerStrategy(workers=" + cluster.workers().size() + ", task="
        + cluster.index() + ", address=" + cluster.address() + ")";
  }
}
