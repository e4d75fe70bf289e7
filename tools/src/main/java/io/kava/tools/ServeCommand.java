package io.kava.tools;

import io.kava.saving.ModelVersions;
import io.kava.tools.serving.GrpcServer;
import io.kava.tools.serving.RestServer;
import io.kava.tools.serving.ServedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kava serve}: TensorFlow Serving's gRPC and REST APIs, with tensorflow_model_server's
 * flags.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Serves a SavedModel over TensorFlow Serving's gRPC and REST APIs (the flags"
        + " of tensorflow_model_server). Stops gracefully on Ctrl-C.")
final class ServeCommand implements Runnable {
  @Option(names = "--model_name", required = true, description = "Name in the URLs.")
  String name;

  @Option(names = "--model_base_path", required = true,
      description = "Folder of numbered version folders; the newest is served, new ones are"
          + " picked up while running.")
  Path base;

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

  @Option(names = "--max_request_bytes", defaultValue = "67108864",
      description = "Largest request body or gRPC message (default: ${DEFAULT-VALUE}).")
  long maxBytes;

  @Override
  public void run() {
    checkFlags();
    ServedModel model = new ServedModel(name, base, poll);
    RestServer server;
    GrpcServer grpc;
    try {
      server = RestServer.start(model, host, port, maxBytes, 30_000);
      try {
        grpc = GrpcServer.start(model, host, grpcPort, maxBytes);
      } catch (RuntimeException e) {
        server.close();
        throw e;
      }
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
    System.out.println("Serving " + name + " version " + model.version() + " at http://"
        + host + ":" + server.port() + "/v1/models/" + name + " and over gRPC at " + host + ":"
        + grpc.port());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      grpc.close();
      server.close();
      model.close();
      stopped.countDown();
    }));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Checks the flags ServedModel also checks, so that errors name the flag to fix. */
  private void checkFlags() {
    if (grpcPort < 0 || grpcPort > 65535 || grpcPort != 0 && grpcPort == port) {
      throw new IllegalArgumentException("--port must be a free TCP port (0 to 65535) other"
          + " than --rest_api_port; got " + grpcPort + ".");
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
  }
}
