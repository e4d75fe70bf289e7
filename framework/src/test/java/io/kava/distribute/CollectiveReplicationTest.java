package io.kava.distribute;

import static io.kava.TestArrays.oneHot;
import static io.kava.TestArrays.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kava.FitOptions;
import io.kava.Sequential;
import io.kava.layers.Activation;
import io.kava.layers.Dense;
import io.kava.layers.Input;
import io.kava.losses.CategoricalCrossentropy;
import io.kava.optimizers.SGD;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.DeviceStepStats;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.StepStats;

class CollectiveReplicationTest {

  /**
   * A one-worker collective group (this JVM's server on a free loopback port, which lives as
   * long as the JVM) runs the real all-reduce each step, so its traces are real ones.
   */
  @Test
  void tracesEveryNthStepWithItsAllReduceTime() throws IOException {
    ClusterConfig cluster = new ClusterConfig(List.of("127.0.0.1:" + freePort()), 0);
    List<AllReduceTrace> traces = new ArrayList<>();
    CollectiveReplication r = new CollectiveReplication(cluster, WorkerServer.start(cluster),
        30, 30, 2, traces::add);
    try (Sequential model = new Sequential(Input.of(3),
        Dense.of(2).activation(Activation.SOFTMAX))) {
      model.replication(r);
      model.compile(new SGD(0.1), new CategoricalCrossentropy());
      model.fit(uniform(1, -1, 1, 8, 3), oneHot(2, 0, 1, 0, 1, 0, 1, 0, 1),
          FitOptions.defaults().batchSize(2).epochs(2).verbose(0).seed(1));
    }
    // 8 steps, every second one traced.
    assertEquals(List.of(2L, 4L, 6L, 8L), traces.stream().map(AllReduceTrace::step).toList());
    for (AllReduceTrace t : traces) {
      assertTrue(t.allReduceMillis() > 0 && t.allReduceMillis() < t.stepMillis(), t.toString());
      assertTrue(t.share() > 0 && t.share() < 1, t.toString());
    }
  }

  /** The step spans its ops on every device; the all-reduce is found by its op's name. */
  @Test
  void traceTakesTheStepsSpanAndItsAllReduceFromStepStatistics() {
    ClusterConfig cluster = new ClusterConfig(List.of("127.0.0.1:1", "127.0.0.1:2"), 0);
    CollectiveReplication r = new CollectiveReplication(cluster, null, 30, 30, 1, t -> {});
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      r.sumOfShares(tf, List.of(tf.constant(new float[] {1, 2}), tf.constant(3f)),
          tf.constant(0.5f));
      assertEquals("CollectiveReduce", g.operation("all_reduce").type());
    }
    StepStats stats = StepStats.newBuilder()
        .addDevStats(DeviceStepStats.newBuilder().setDevice("/job:worker/task:0/device:CPU:0")
            .addNodeStats(node("conv", 900, 50))
            .addNodeStats(node("all_reduce", 1000, 300))
            .addNodeStats(node("apply", 1350, 50)))
        .addDevStats(DeviceStepStats.newBuilder().setDevice("/job:worker/task:0/device:CPU:1")
            .addNodeStats(node("read", 880, 10)))
        .build();
    assertEquals(new AllReduceTrace(7, 0.52, 0.3), r.trace(7, stats));
  }

  private static NodeExecStats node(String name, long start, long micros) {
    return NodeExecStats.newBuilder().setNodeName(name).setAllStartMicros(start)
        .setAllEndRelMicros(micros).build();
  }

  @Test
  void shareIsTheAllReducesFractionOfTheStep() {
    assertEquals(0.25, new AllReduceTrace(1, 8, 2).share());
    assertEquals(0, new AllReduceTrace(1, 0, 2).share());
  }

  @Test
  void rejectsABadTraceInterval() {
    MultiWorkerStrategy s = MultiWorkerStrategy.local();
    assertEquals("MultiWorkerStrategy: everySteps must be >= 1; got 0.",
        assertThrows(IllegalArgumentException.class, () -> s.traceAllReduce(0, t -> {}))
            .getMessage());
    assertThrows(IllegalArgumentException.class, () -> s.traceAllReduce(1, null));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
