package io.kava.distribute;

import org.tensorflow.Server;
import org.tensorflow.proto.ClusterDef;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.JobDef;
import org.tensorflow.proto.ServerDef;

/**
 * One worker's TensorFlow gRPC server, started from a cluster config: job {@code worker},
 * one task per address, this process's task serving at its address. TensorFlow 2.18 cannot
 * stop a server ({@code stop()} is unimplemented), so it serves until the process ends.
 */
final class WorkerServer {
  private final ClusterConfig cluster;
  private final Server server;

  private WorkerServer(ClusterConfig cluster, Server server) {
    this.cluster = cluster;
    this.server = server;
  }

  /** Starts this task's server; fails with the address named if it cannot. */
  static WorkerServer start(ClusterConfig cluster) {
    JobDef.Builder job = JobDef.newBuilder().setName("worker");
    for (int i = 0; i < cluster.workers().size(); i++) {
      job.putTasks(i, cluster.workers().get(i));
    }
    ServerDef def = ServerDef.newBuilder()
        .setCluster(ClusterDef.newBuilder().addJob(job))
        .setJobName("worker")
        .setTaskIndex(cluster.index())
        .setProtocol("grpc")
        .setDefaultSessionConfig(collectiveConfig(ConfigProto.newBuilder(), cluster))
        .build();
    try {
      Server s = new Server(def);
      s.start();
      return new WorkerServer(cluster, s);
    } catch (RuntimeException e) {
      throw new IllegalStateException(ClusterConfig.SUBJECT + ": cannot start the TensorFlow"
          + " server of worker " + cluster.index() + " at " + cluster.address() + " (is the"
          + " port free, and is the host this machine?): " + e.getMessage(), e);
    }
  }

  /** The gRPC target of this worker's own server. */
  String target() {
    return "grpc://" + cluster.address();
  }

  /**
   * {@code base} for a session on this worker: it sees only its own task's devices (the
   * replicas meet in collective ops, not in the graph), and task 0 leads the collective group.
   */
  ConfigProto sessionConfig(ConfigProto base) {
    return collectiveConfig(base.toBuilder(), cluster).build();
  }

  private static ConfigProto.Builder collectiveConfig(ConfigProto.Builder b,
      ClusterConfig cluster) {
    b.clearDeviceFilters().addDeviceFilters("/job:worker/task:" + cluster.index());
    b.getExperimentalBuilder().setCollectiveGroupLeader("/job:worker/replica:0/task:0");
    return b;
  }

  /** Blocks until the server ends, which is when the process ends. */
  void join() {
    server.join();
  }

  @Override
  public String toString() {
    return "WorkerServer(task=" + cluster.index() + ", target=" + target() + ")";
  }
}
