package io.kava.tools.bench;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.kava.Sequential;
import io.kava.internal.AtomicFiles;
import io.kava.models.MnistCnn;
import io.kava.tools.serving.BatchScheduler;
import io.kava.tools.serving.BatchingOptions;
import io.kava.tools.serving.GrpcServer;
import io.kava.tools.serving.Lease;
import io.kava.tools.serving.ModelConfigs;
import io.kava.tools.serving.RestServer;
import io.kava.tools.serving.ServingCore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;
import tensorflow.serving.Model.ModelSpec;
import tensorflow.serving.Predict.PredictRequest;
import tensorflow.serving.PredictionServiceGrpc;

/**
 * A load test of {@code kava serve} on the loopback address, clients in the same process:
 * the first second after start with and without warmup (each in a fresh JVM); REST predict on
 * half_plus_two against the same server's model status endpoint, and gRPC predict, 16
 * concurrent clients; the MNIST CNN export with 32 concurrent gRPC clients, batching off and
 * on; and the process's resident memory before and after many requests.
 *
 * <pre>{@code
 * jshell> ServeBench.run(System.out, true, Path.of("../shared/fixtures/half_plus_two"))
 * }</pre>
 */
public final class ServeBench {
  private static final String PREDICT_BODY = "{\"instances\": [1.0, 2.0, 5.0]}";
  private static final String ROW = "%-34s %10s %9s %9s %9s %7s%n";

  private ServeBench() {}

  /** Runs every part and prints a table; quick mode runs each for a fraction of the time. */
  public static void run(PrintStream out, boolean quick, Path model) {
    double seconds = quick ? 1 : 10;
    out.printf("%nkava serve, loopback, clients in the same process, CPU (%d cores)%n",
        Runtime.getRuntime().availableProcessors());
    out.printf(ROW, "case", "req/s", "p50 ms", "p99 ms", "max ms", "errors");
    for (boolean warm : new boolean[] {false, true}) {
      row(out, "first second, 16 REST, warmup " + (warm ? "on" : "off"), firstSecond(model,
          warm));
    }
    try (ServingCore core = ServingCore.start(ModelConfigs.single("half_plus_two", model),
        ServingCore.Options.defaults().pollSeconds(0).log(s -> {}));
        RestServer rest = RestServer.start(core, "127.0.0.1", 0, 1 << 20, 10_000);
        GrpcServer grpc = GrpcServer.start(core, "127.0.0.1", 0, 1 << 20)) {
      String base = "http://127.0.0.1:" + rest.port() + "/v1/models/half_plus_two";
      Http http = new Http(16);
      HttpRequest predict = HttpRequest.newBuilder(URI.create(base + ":predict"))
          .POST(HttpRequest.BodyPublishers.ofString(PREDICT_BODY)).build();
      HttpRequest status = HttpRequest.newBuilder(URI.create(base)).GET().build();
      BooleanSupplier predictCall = () -> http.send(predict, "[2.5, 3.0, 4.5]");
      BooleanSupplier statusCall = () -> http.send(status, "AVAILABLE");
      // On two cores the JIT takes 20-30 s to compile Jetty's, Jackson's and the client's
      // paths (predict ran at ~2,300 req/s after 5 s, ~7,000 after 25 s): measure both warm.
      Load.run(16, quick ? 1 : 20, 0, predictCall);
      Load.run(16, quick ? 1 : 10, 0, statusCall);
      Load.Result p = Load.run(16, seconds, 0, predictCall);
      Load.Result s = Load.run(16, seconds, 0, statusCall);
      row(out, "REST predict, 16 clients", p);
      row(out, "REST GET status, 16 clients", s);
      ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", grpc.port())
          .usePlaintext().build();
      try {
        var stub = PredictionServiceGrpc.newBlockingStub(channel);
        PredictRequest request = PredictRequest.newBuilder().setModelSpec(ModelSpec.newBuilder()
            .setName("half_plus_two")).putInputs("x", floats(new float[] {1, 2, 5}, 3))
            .build();
        BooleanSupplier grpcCall = () -> {
          try {
            return stub.predict(request).getOutputsOrThrow("y").getFloatVal(2) == 4.5f;
          } catch (RuntimeException e) {
            return false;
          }
        };
        Load.run(16, quick ? 1 : 10, 0, grpcCall);
        row(out, "gRPC predict, 16 clients", Load.run(16, seconds, 0, grpcCall));
      } finally {
        channel.shutdownNow();
      }
      out.printf("REST predict / status throughput: %.2fx (target >= 0.6x); predict p99 %.2f ms"
          + " (target <= 10 ms)%n", p.perSecond() / s.perSecond(), p.p99());
      long n = quick ? 10_000 : 100_000;
      System.gc();
      long before = rssKb();
      Load.Result r = Load.run(16, 0, n, predictCall);
      System.gc();
      long after = rssKb();
      out.printf("RSS %d MiB before, %d MiB after %,d more REST predicts (%.0f req/s, %d"
          + " errors)%n", before / 1024, after / 1024, r.count(), r.perSecond(), r.errors());
      http.close();
    }
    batching(out, quick);
  }

  /** The MNIST CNN export under 32 concurrent gRPC clients, batching off and on. */
  private static void batching(PrintStream out, boolean quick) {
    double seconds = quick ? 1.5 : 10;
    Path base;
    try {
      base = Files.createTempDirectory("kava-bench-mnist");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      try (Sequential m = MnistCnn.create().seed(1)) {
        m.export(base, 1);
      }
      BatchingOptions options = BatchingOptions.defaults().maxBatchSize(32)
          .batchTimeoutMicros(2000).numBatchThreads(2).maxEnqueuedBatches(100);
      out.printf("%nMNIST CNN (mnist_cnn, 1.2M parameters) export, 32 concurrent gRPC clients,"
          + " one 28x28x1 image per request%n");
      out.printf(ROW, "case", "img/s", "p50 ms", "p99 ms", "max ms", "errors");
      double off = 0;
      for (boolean on : new boolean[] {false, true}) {
        BatchScheduler scheduler = on ? BatchScheduler.start(options) : null;
        try (ServingCore core = ServingCore.start(ModelConfigs.single("mnist", base),
            ServingCore.Options.defaults().pollSeconds(0).log(s -> {}).batching(scheduler));
            GrpcServer grpc = GrpcServer.start(core, "127.0.0.1", 0, 1 << 24)) {
          String input;
          try (Lease lease = core.lease("mnist", null, null)) {
            input = lease.model().signature("serving_default").inputs().keySet().iterator()
                .next();
          }
          ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", grpc.port())
              .usePlaintext().build();
          try {
            var stub = PredictionServiceGrpc.newBlockingStub(channel);
            float[] image = new float[28 * 28];
            for (int i = 0; i < image.length; i++) {
              image[i] = (i % 29) / 29f;
            }
            PredictRequest request = PredictRequest.newBuilder().setModelSpec(ModelSpec
                .newBuilder().setName("mnist")).putInputs(input, floats(image, 1, 28, 28, 1))
                .build();
            BooleanSupplier call = () -> {
              try {
                return stub.predict(request).getOutputsCount() == 1;
              } catch (RuntimeException e) {
                return false;
              }
            };
            Load.run(32, quick ? 1 : 10, 0, call);
            Load.Result r = Load.run(32, seconds, 0, call);
            row(out, on ? "batching on (max 32, 2 ms, 2 thr.)" : "batching off", r);
            if (on) {
              out.printf("batching on / off throughput: %.2fx (target >= 2x)%n",
                  r.perSecond() / off);
            }
            off = r.perSecond();
          } finally {
            channel.shutdownNow();
          }
        } finally {
          if (scheduler != null) {
            scheduler.close();
          }
        }
      }
    } finally {
      AtomicFiles.deleteTree(base);
    }
  }

  /**
   * The first second of traffic to a server started just now, with or without warmup, in a
   * fresh JVM, so that neither run profits from the other's JIT-compiled code.
   */
  private static Load.Result firstSecond(Path model, boolean warmup) {
    ProcessBuilder pb = new ProcessBuilder(ChildJvm.command(List.of(), ServeBench.class,
        "--first-second", model.toString(), warmup ? "1" : "0")).redirectErrorStream(true);
    try {
      Process p = pb.start();
      String result = null;
      List<String> lines = new ArrayList<>();
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
          StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          lines.add(line);
          if (line.startsWith("RESULT ")) {
            result = line;
          }
        }
      }
      if (p.waitFor() != 0 || result == null) {
        throw new IllegalStateException("first-second run failed: " + String.join("\n", lines));
      }
      String[] f = result.split(" ");
      return new Load.Result(Double.parseDouble(f[1]), Double.parseDouble(f[2]),
          Double.parseDouble(f[3]), Double.parseDouble(f[4]), Long.parseLong(f[5]),
          Long.parseLong(f[6]));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** {@code --first-second MODEL WARMUP_ITERATIONS}: the child of {@link #firstSecond}. */
  public static void main(String[] args) {
    if (args.length != 3 || !args[0].equals("--first-second")) {
      throw new IllegalArgumentException("usage: ServeBench --first-second MODEL ITERATIONS");
    }
    try (ServingCore core = ServingCore.start(ModelConfigs.single("half_plus_two",
        Path.of(args[1])), ServingCore.Options.defaults().pollSeconds(0).log(s -> {})
        .warmupIterations(Integer.parseInt(args[2])));
        RestServer rest = RestServer.start(core, "127.0.0.1", 0, 1 << 20, 10_000)) {
      Http http = new Http(16);
      HttpRequest predict = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + rest.port()
          + "/v1/models/half_plus_two:predict")).POST(HttpRequest.BodyPublishers.ofString(
          PREDICT_BODY)).build();
      Load.Result r = Load.run(16, 1, 0, () -> http.send(predict, "[2.5, 3.0, 4.5]"));
      System.out.printf(java.util.Locale.ROOT, "RESULT %f %f %f %f %d %d%n", r.perSecond(),
          r.p50(), r.p99(), r.max(), r.errors(), r.count());
      http.close();
    }
  }

  private static void row(PrintStream out, String name, Load.Result r) {
    out.printf(ROW, name, String.format("%.0f", r.perSecond()), String.format("%.2f", r.p50()),
        String.format("%.2f", r.p99()), String.format("%.1f", r.max()), r.errors());
  }

  private static TensorProto floats(float[] values, long... dims) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (long d : dims) {
      shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
    }
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(values.length * 4)
        .order(java.nio.ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(values);
    return TensorProto.newBuilder().setDtype(DataType.DT_FLOAT).setTensorShape(shape)
        .setTensorContent(ByteString.copyFrom(b)).build();
  }

  /** The resident set size of this process, from /proc/self/status (0 where there is none). */
  static long rssKb() {
    try (Stream<String> lines = Files.lines(Path.of("/proc/self/status"))) {
      return lines.filter(l -> l.startsWith("VmRSS:")).findFirst()
          .map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).orElse(0L);
    } catch (IOException | UncheckedIOException e) {
      return 0;
    }
  }

  /** An HTTP/1.1 client whose answers count as successful when they hold an expected text. */
  private static final class Http implements AutoCloseable {
    private final ExecutorService executor;
    private final HttpClient client;

    Http(int threads) {
      executor = Executors.newFixedThreadPool(threads);
      client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(executor)
          .build();
    }

    boolean send(HttpRequest request, String expected) {
      try {
        HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200 && r.body().replace(" ", "").contains(
            expected.replace(" ", ""));
      } catch (IOException e) {
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }

    @Override
    public void close() {
      executor.shutdownNow();
    }
  }
}
