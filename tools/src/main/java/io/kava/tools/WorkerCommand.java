package io.kava.tools;

import io.kava.distribute.MultiWorkerStrategy;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kava worker}: a plain TensorFlow gRPC server for one task of a cluster, until the
 * process is killed.
 */
@Command(name = "worker", mixinStandardHelpOptions = true,
    description = "Runs a plain TensorFlow gRPC server for one worker task of a cluster until"
        + " killed: the cluster comes from TF_CONFIG (Keras's JSON) or from --cluster and"
        + " --task. It serves TensorFlow clients that place ops on it; Kava training replicas"
        + " are started with the training program itself on every worker.")
final class WorkerCommand implements Runnable {
  @Option(names = "--cluster", split = ",", paramLabel = "HOST:PORT",
      description = "Every worker's address, task 0 first (instead of TF_CONFIG).")
  List<String> cluster;

  @Option(names = "--task", description = "This worker's task index in --cluster.")
  Integer task;

  @Override
  public void run() {
    MultiWorkerStrategy strategy = strategy();
    System.out.println("kava worker: serving task " + strategy.taskIndex() + " of "
        + strategy.replicas() + " (" + strategy + ") until killed");
    System.out.flush();
    strategy.serve();
  }

  private MultiWorkerStrategy strategy() {
    if (cluster == null && task == null) {
      String config = System.getenv("TF_CONFIG");
      if (config == null || config.isBlank()) {
        throw new IllegalArgumentException("set TF_CONFIG (Keras's JSON) or give --cluster"
            + " HOST:PORT,... and --task N.");
      }
      return MultiWorkerStrategy.fromConfig(config);
    }
    if (cluster == null || task == null) {
      throw new IllegalArgumentException("--cluster and --task go together; got only "
          + (cluster == null ? "--task" : "--cluster") + ".");
    }
    String workers = cluster.stream().map(a -> "\"" + a.replace("\"", "") + "\"")
        .collect(Collectors.joining(", "));
    return MultiWorkerStrategy.fromConfig("{\"cluster\": {\"worker\": [" + workers + "]},"
        + " \"task\": {\"type\": \"worker\", \"index\": " + task + "}}");
  }
}
