package io.kava.tools;

import io.kava.saving.ModelVersions;
import io.kava.tools.serving.BatchScheduler;
import io.kava.tools.serving.BatchingOptions;
import io.kava.tools.serving.GrpcServer;
import io.kava.tools.serving.ModelConfigs;
import io.kava.tools.serving.MonitoringOptions;
import io.kava.tools.serving.RestServer;
import io.kava.tools.serving.ServedModel;
import io.kava.tools.serving.ServingCore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tensorflow.serving.ModelServerConfigOuterClass.ModelServerConfig;

/**
 * {@code kava serve}: TensorFlow Serving's gRPC and REST APIs, with tensorflow_model_server's
 * flags.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Serves SavedModels over TensorFlow Serving's gRPC and REST APIs, with the"
        + " flags of tensorflow_model_server. Stops gracefully on Ctrl-C.")
final class ServeCommand implements Runnable {
  @Option(names = "--model_name", description = "Name in the URLs (one model; or use"
      + " --model_config_file).")
  String name;

  @Option(names = "--model_base_path",
      description = "Folder of numbered version folders; the newest is served, new ones are"
          + " picked up while running.")
  Path base;

  @Option(names = "--model_config_file", description = "TF Serving's ModelServerConfig in"
      + " protobuf text format: several models, version policies and labels.")
  Path configFile;

  @Option(names = "--model_config_file_poll_wait_seconds", defaultValue = "0",
      description = "How often to re-read --model_config_file and apply changes (0: never;"
          + " default: ${DEFAULT-VALUE}).")
  double configPoll;

  @Option(names = "--port", defaultValue = "8500",
      description = "gRPC port: tensorflow.serving.PredictionService and ModelService"
          + " (default: ${DEFAULT-VALUE}).")
  int grpcPort;

  @Option(names = "--rest_api_port", defaultValue = "8501",
      description = "HTTP port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--rest_api_host", defaultValue = "0.0.0.0",
      description = "Address to listen on, for gRPC and HTTP (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--file_system_poll_wait_seconds", defaultValue = "1",
      description = "How often to look for new versions (default: ${DEFAULT-VALUE} s).")
  double poll;

  @Option(names = "--max_num_load_retries", defaultValue = "5",
      description = "Retries of a version that fails to load, one per poll (default:"
          + " ${DEFAULT-VALUE}).")
  int loadRetries;

  @Option(names = "--allow_version_labels_for_unavailable_models", defaultValue = "false",
      description = "Let version_labels name versions that are not loaded (yet).")
  boolean labelsForUnavailable;

  @Option(names = "--enable_batching", defaultValue = "false",
      description = "Merge concurrent requests to one signature into one TensorFlow run.")
  boolean batching;

  @Option(names = "--batching_parameters_file", description = "TF Serving's"
      + " BatchingParameters in protobuf text format (max_batch_size, batch_timeout_micros,"
      + " num_batch_threads, max_enqueued_batches, allowed_batch_sizes,"
      + " pad_variable_length_inputs); implies --enable_batching.")
  Path batchingFile;

  @Option(names = "--monitoring_config_file", description = "TF Serving's MonitoringConfig in"
      + " protobuf text format: prometheus_config { enable: true path: '...' } serves"
      + " Prometheus metrics on the REST port.")
  Path monitoringFile;

  @Option(names = "--enable_model_warmup", defaultValue = "true", arity = "0..1",
      description = "Before a version serves, replay its"
      + " assets.extra/tf_serving_warmup_requests (or, without one, run its predict signatures"
      + " once on zeros) (default: ${DEFAULT-VALUE}).")
  boolean warmup;

  @Option(names = "--num_request_iterations_for_warmup", defaultValue = "0",
      description = "Times each warmup request is replayed; used only if > 0 (else once).")
  int warmupIterations;

  @Option(names = "--max_request_bytes", defaultValue = "67108864",
      description = "Largest request body or gRPC message (default: ${DEFAULT-VALUE}).")
  long maxBytes;

  @Override
  public void run() {
    ModelServerConfig config = config();
    MonitoringOptions monitoring = monitoringFile == null ? MonitoringOptions.disabled()
        : MonitoringOptions.fromFile(monitoringFile);
    BatchScheduler scheduler = batching || batchingFile != null
        ? BatchScheduler.start(batchingFile == null ? BatchingOptions.defaults()
            : BatchingOptions.fromFile(batchingFile)) : null;
    ServingCore core;
    try {
      core = ServingCore.start(config, ServingCore.Options.defaults()
          .pollSeconds(poll).maxLoadRetries(loadRetries)
          .allowLabelsForUnavailable(labelsForUnavailable).batching(scheduler)
          .warmupIterations(warmup ? Math.max(1, warmupIterations) : 0));
    } catch (RuntimeException e) {
      if (scheduler != null) {
        scheduler.close();
      }
      throw e;
    }
    RestServer server;
    GrpcServer grpc;
    try {
      if (configFile != null && configPoll > 0) {
        core.watch(configFile, configPoll);
      }
      server = RestServer.start(core, host, port, maxBytes, 30_000, monitoring);
      try {
        grpc = GrpcServer.start(core, host, grpcPort, maxBytes);
      } catch (RuntimeException e) {
        server.close();
        throw e;
      }
    } catch (RuntimeException e) {
      core.close();
      if (scheduler != null) {
        scheduler.close();
      }
      throw e;
    }
    core.models().forEach((n, m) -> System.out.println("Serving " + n + " versions "
        + m.available() + " at http://" + host + ":" + server.port() + "/v1/models/" + n));
    System.out.println("gRPC (PredictionService, ModelService) at " + host + ":"
        + grpc.port() + (scheduler == null ? "" : "; batching " + scheduler.options())
        + (monitoring.enabled() ? "; Prometheus metrics at " + monitoring.path() : ""));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      grpc.close();
      server.close();
      core.close();
      if (scheduler != null) {
        scheduler.close();
      }
      stopped.countDown();
    }));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The models to serve, from the flags; errors name the flag to fix. */
  private ModelServerConfig config() {
    if (grpcPort < 0 || grpcPort > 65535 || grpcPort != 0 && grpcPort == port) {
      throw new IllegalArgumentException("--port must be a free TCP port (0 to 65535) other"
          + " than --rest_api_port; got " + grpcPort + ".");
    }
    if (loadRetries < 0) {
      throw new IllegalArgumentException("--max_num_load_retries must be >= 0; got "
          + loadRetries + ".");
    }
    if (!(configPoll >= 0) || !(poll >= 0)) {
      throw new IllegalArgumentException("--model_config_file_poll_wait_seconds and"
          + " --file_system_poll_wait_seconds must be >= 0; got " + configPoll + " and " + poll
          + ".");
    }
    if (configFile != null) {
      if (name != null || base != null) {
        throw new IllegalArgumentException("--model_config_file cannot be combined with"
            + " --model_name / --model_base_path; list the model in the file instead.");
      }
      return ModelConfigs.parse(configFile);
    }
    if (name == null || base == null) {
      throw new IllegalArgumentException("Give --model_name and --model_base_path, or"
          + " --model_config_file; got " + (name == null ? "no --model_name" : "no"
              + " --model_base_path") + ".");
    }
    if (!ServedModel.isValidName(name)) {
      throw new IllegalArgumentException("--model_name must be letters, digits, '_', '.' or"
          + " '-'; got '" + name + "'.");
    }
    if (!Files.isDirectory(base)) {
      throw new IllegalArgumentException("--model_base_path " + base + " must be a directory;"
          + " it " + (Files.exists(base) ? "is a file." : "does not exist."));
    }
    if (ModelVersions.list(base).isEmpty()) {
      throw new IllegalArgumentException("--model_base_path " + base + " must contain"
          + " numbered version folders (1/, 2/, ...) holding a saved_model.pb; it has none."
          + " kava train and kava export write them.");
    }
    return ModelConfigs.single(name, base);
  }
}
