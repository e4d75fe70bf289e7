package io.kava.distribute;

import io.kava.internal.Replication;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.TargetSessions;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.DeviceStepStats;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.proto.StepStats;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TNumber;

/**
 * Between-graph synchronous replication over TensorFlow's collective all-reduce: every worker
 * builds the same graph in its own process, runs it on its own gRPC server, and each step sums
 * the replicas' weighted gradients and logs with one {@code CollectiveReduce} (ring
 * all-reduce on CPU), so all replicas apply the same update. Collective keys come from one
 * counter, so workers that build the same graphs in the same order use the same keys.
 */
final class CollectiveReplication implements Replication {
  private static final long GROUP_KEY = 1;

  private final ClusterConfig cluster;
  private final WorkerServer server;
  private final float stepTimeoutSeconds;
  private final float startTimeoutSeconds;
  private long nextInstanceKey = 1;
  /** Every how many training steps to trace (0: never), and who gets the traces. */
  private final int traceEvery;
  private final Consumer<AllReduceTrace> traceListener;
  private final AtomicLong steps = new AtomicLong();
  /** Names of the training graphs' all-reduce ops, to find them in step statistics. */
  private final Set<String> stepReduces = ConcurrentHashMap.newKeySet();
  /** Exchanges of the chief's values, by length (-1 for a long); they live with the process. */
  private final Map<Integer, Exchange> exchanges = new HashMap<>();

  CollectiveReplication(ClusterConfig cluster, WorkerServer server, double stepTimeoutSeconds,
      double startTimeoutSeconds, int traceEvery, Consumer<AllReduceTrace> traceListener) {
    this.cluster = cluster;
    this.server = server;
    this.stepTimeoutSeconds = (float) stepTimeoutSeconds;
    this.startTimeoutSeconds = (float) startTimeoutSeconds;
    this.traceEvery = traceEvery;
    this.traceListener = traceListener;
  }

  @Override
  public int replicas() {
    return cluster.replicas();
  }

  @Override
  public int replica() {
    return cluster.index();
  }

  @Override
  public Session session(Graph graph, ConfigProto config) {
    return TargetSessions.open(graph, server.target(), server.sessionConfig(config));
  }

  @Override
  public synchronized List<Operand<TFloat32>> sumOfShares(Ops tf, List<Operand<TFloat32>> values,
      Operand<TFloat32> share) {
    List<Operand<TFloat32>> flat = new ArrayList<>();
    List<Shape> shapes = new ArrayList<>();
    for (Operand<TFloat32> v : values) {
      Shape s = v.shape();
      if (s.hasUnknownDimension()) {
        throw new IllegalArgumentException(ClusterConfig.SUBJECT + ": values exchanged between"
            + " replicas must have a known shape; got " + s + " for " + v.op().name() + ".");
      }
      shapes.add(s);
      flat.add(tf.reshape(v, tf.constant(new long[] {-1})));
    }
    // A replica without samples (a last batch smaller than the replicas) contributes 0, not NaN.
    Operand<TFloat32> packed = tf.math.mulNoNan(tf.concat(flat, tf.constant(0)), share);
    Output<TFloat32> summed = reduce(tf, packed, stepTimeoutSeconds);
    stepReduces.add(summed.op().name());
    List<Operand<TFloat32>> out = new ArrayList<>();
    long at = 0;
    for (Shape s : shapes) {
      Operand<TFloat32> piece = tf.slice(summed, tf.constant(new long[] {at}),
          tf.constant(new long[] {s.size()}));
      out.add(tf.reshape(piece, tf.constant(s.asArray())));
      at += s.size();
    }
    return out;
  }

  @Override
  public Result runStep(Session.Runner step) {
    long n = steps.incrementAndGet();
    if (traceEvery == 0 || n % traceEvery != 0) {
      return step.run();
    }
    step.setOptions(RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.FULL_TRACE)
        .build());
    Result r = step.runAndFetchMetadata();
    r.getMetadata().ifPresent(m -> traceListener.accept(trace(n, m.getStepStats())));
    return r;
  }

  /**
   * Step {@code n}'s trace from its {@code stats}: the span from its first op's start to its
   * last op's end, and the start to end of its all-reduce ops (one per step).
   */
  AllReduceTrace trace(long n, StepStats stats) {
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    long reduce = 0;
    for (DeviceStepStats device : stats.getDevStatsList()) {
      for (NodeExecStats node : device.getNodeStatsList()) {
        first = Math.min(first, node.getAllStartMicros());
        last = Math.max(last, node.getAllStartMicros() + node.getAllEndRelMicros());
        if (stepReduces.contains(node.getNodeName())) {
          reduce += node.getAllEndRelMicros();
        }
      }
    }
    return new AllReduceTrace(n, last > first ? (last - first) / 1e3 : 0, reduce / 1e3);
  }

  /** Adds a {@code CollectiveReduce} summing {@code x} over every worker. */
  private <T extends TNumber> Output<T> reduce(Ops tf, Operand<T> x, float timeoutSeconds) {
    GraphOperation op = (GraphOperation) tf.scope().opBuilder("CollectiveReduce", "all_reduce")
        .addInput(x.asOutput())
        .setAttr("T", x.asOutput().dataType())
        .setAttr("group_size", (long) replicas())
        .setAttr("group_key", GROUP_KEY)
        .setAttr("instance_key", nextInstanceKey++)
        .setAttr("merge_op", "Add")
        .setAttr("final_op", "Id")
        .setAttr("subdiv_offsets", new long[0])
        .setAttr("timeout_seconds", timeoutSeconds)
        .build();
    return op.output(0);
  }

  @Override
  public synchronized float[] fromChief(float[] values) {
    Exchange e = exchanges.computeIfAbsent(values.length, n -> new Exchange(TFloat32.class, n));
    float[] mine = cluster.index() == 0 ? values : new float[values.length];
    try (TFloat32 t = TFloat32.vectorOf(mine); Result r = e.run(t)) {
      float[] out = new float[values.length];
      ((TFloat32) r.get(0)).copyTo(DataBuffers.of(out, false, false));
      return out;
    } catch (RuntimeException ex) {
      throw failed(ex);
    }
  }

  @Override
  public synchronized long fromChief(long value) {
    Exchange e = exchanges.computeIfAbsent(-1, n -> new Exchange(TInt64.class, 1));
    long mine = cluster.index() == 0 ? value : 0;
    try (TInt64 t = TInt64.vectorOf(mine); Result r = e.run(t)) {
      return ((TInt64) r.get(0)).getLong(0);
    } catch (RuntimeException ex) {
      throw failed(ex);
    }
  }

  @Override
  public RuntimeException failed(RuntimeException failure) {
    List<String> down = new ArrayList<>();
    for (int i = 0; i < cluster.workers().size(); i++) {
      if (i != cluster.index()) {
        String problem = probe(cluster.workers().get(i));
        if (problem != null) {
          down.add("worker " + i + " at " + cluster.workers().get(i) + " (" + problem + ")");
        }
      }
    }
    String cause = String.valueOf(failure.getMessage()).lines().filter(l -> !l.isBlank())
        .limit(2).reduce((a, b) -> a + " " + b.strip()).orElse("");
    String who;
    if (!down.isEmpty()) {
      who = String.join(", ", down) + (down.size() == 1 ? " is" : " are") + " unreachable";
    } else if (cause.contains("timed out")) {
      who = "every other worker still accepts connections, so one is stuck or slower than the"
          + " timeout (" + stepTimeoutSeconds + " s per step, MultiWorkerStrategy.timeout)";
    } else if (cause.contains("Collective")) {
      who = "every other worker still accepts connections";
    } else {
      return failure; // not about the other workers (e.g. a shape or a value error)
    }
    return new IllegalStateException(ClusterConfig.SUBJECT + ": worker " + cluster.index()
        + " at " + cluster.address() + " could not exchange data with the other workers: "
        + who + ". Restart every worker (TensorFlow cannot recover a failed collective in this"
        + " process). TensorFlow said: " + cause, failure);
  }

  /** Why {@code host:port} refuses a TCP connection, or null if it accepts one. */
  private static String probe(String address) {
    int colon = address.lastIndexOf(':');
    String host = address.substring(0, colon).replace("[", "").replace("]", "");
    int port = Integer.parseInt(address.substring(colon + 1));
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 2000);
      return null;
    } catch (IOException e) {
      return String.valueOf(e.getMessage());
    }
  }

  @Override
  public String toString() {
    return "CollectiveReplication(replica=" + replica() + ", replicas=" + replicas() + ")";
  }

  /** A small graph of its own that sums one vector over the workers (the chief's, zeros). */
  private final class Exchange {
    private final Placeholder<?> in;
    private final Output<?> out;
    private final Session session;

    <T extends TNumber> Exchange(Class<T> type, int length) {
      Graph g = new Graph();
      Ops tf = Ops.create(g);
      Placeholder<T> p = tf.placeholder(type, Placeholder.shape(Shape.of(length)));
      in = p;
      out = reduce(tf, p, startTimeoutSeconds);
      session = session(g, ConfigProto.getDefaultInstance());
    }

    Result run(org.tensorflow.Tensor value) {
      return session.runner().feed(in, value).fetch(out).run();
    }
  }
}
