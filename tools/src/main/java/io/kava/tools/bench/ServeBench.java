package io.kava.tools.bench;

import io.kava.tools.serving.RestServer;
import io.kava.tools.serving.ServingCore;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A bounded load test of {@code kava serve} on the loopback address: concurrent clients send
 * TF Serving predict requests to half_plus_two; prints requests/s, latency percentiles and
 * errors.
 *
 * <pre>{@code
 * jshell> ServeBench.run(System.out, true, Path.of("../shared/fixtures/half_plus_two"))
 * }</pre>
 */
public final class ServeBench {
  private ServeBench() {}

  public static void run(PrintStream out, boolean quick, Path model) {
    int clients = 16;
    int perClient = quick ? 100 : 1000;
    try (ServingCore served = ServingCore.serve("half_plus_two", model, 0);
        RestServer server = RestServer.start(served, "127.0.0.1", 0, 1 << 20, 10_000)) {
      URI uri = URI.create("http://127.0.0.1:" + server.port()
          + "/v1/models/half_plus_two:predict");
      HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(4))
          .build();
      HttpRequest request = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers
          .ofString("{\"instances\": [1.0, 2.0, 5.0]}")).build();
      for (int i = 0; i < 200; i++) {
        send(http, request);
      }
      ExecutorService pool = Executors.newFixedThreadPool(clients);
      List<Future<long[]>> work = new ArrayList<>();
      long t0 = System.nanoTime();
      for (int c = 0; c < clients; c++) {
        work.add(pool.submit(() -> {
          long[] latencies = new long[perClient];
          for (int i = 0; i < perClient; i++) {
            long s = System.nanoTime();
            latencies[i] = send(http, request) ? System.nanoTime() - s : -1;
          }
          return latencies;
        }));
      }
      long[] all = new long[clients * perClient];
      int at = 0;
      for (Future<long[]> f : work) {
        long[] l = f.get();
        System.arraycopy(l, 0, all, at, l.length);
        at += l.length;
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      pool.shutdown();
      long errors = Arrays.stream(all).filter(v -> v < 0).count();
      long[] ok = Arrays.stream(all).filter(v -> v >= 0).sorted().toArray();
      out.printf("%nkava serve, half_plus_two, %d concurrent clients x %d requests, loopback%n",
          clients, perClient);
      out.printf("%.0f requests/s, latency p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, errors %d%n",
          all.length / seconds, pct(ok, 0.5), pct(ok, 0.9), pct(ok, 0.99), errors);
    } catch (Exception e) {
      throw new IllegalStateException("serve bench failed: " + e.getMessage(), e);
    }
  }

  private static boolean send(HttpClient http, HttpRequest request) {
    try {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 && r.body().contains("4.5");
    } catch (Exception e) {
      return false;
    }
  }

  private static double pct(long[] sorted, double p) {
    return sorted.length == 0 ? Double.NaN
        : sorted[Math.min(sorted.length - 1, (int) (p * sorted.length))] / 1e6;
  }
}
