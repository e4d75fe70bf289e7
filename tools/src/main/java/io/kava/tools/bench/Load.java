package io.kava.tools.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

/**
 * A closed-loop load: {@code clients} threads each send a request, wait for its answer and
 * send the next, until a deadline or a request count; the figures are throughput and
 * latency percentiles of the requests that succeeded.
 *
 * <pre>{@code
 * jshell> Load.run(16, 2.0, 0, () -> send(request))
 * $1 ==> Load.Result[perSecond=7712.0, p50=1.9, p99=6.2, max=40.1, errors=0, count=15424]
 * }</pre>
 */
final class Load {
  /** Requests per second, latencies in milliseconds, and failed requests. */
  record Result(double perSecond, double p50, double p99, double max, long errors, long count) {}

  private Load() {}

  /**
   * Runs {@code clients} threads calling {@code request} (true: it succeeded) for
   * {@code seconds}, or, if {@code total > 0}, until {@code total} requests have been sent.
   */
  static Result run(int clients, double seconds, long total, BooleanSupplier request) {
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      long t0 = System.nanoTime();
      long deadline = t0 + (long) (seconds * 1e9);
      long each = total > 0 ? (total + clients - 1) / clients : Long.MAX_VALUE;
      List<Future<long[]>> work = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        work.add(pool.submit(() -> {
          long[] latencies = new long[1024];
          int n = 0;
          for (long i = 0; i < each && (total > 0 || System.nanoTime() < deadline); i++) {
            long s = System.nanoTime();
            boolean ok = request.getAsBoolean();
            if (n == latencies.length) {
              latencies = Arrays.copyOf(latencies, n * 2);
            }
            latencies[n++] = ok ? System.nanoTime() - s : -1;
          }
          return Arrays.copyOf(latencies, n);
        }));
      }
      List<long[]> all = new ArrayList<>();
      for (Future<long[]> f : work) {
        all.add(f.get());
      }
      double elapsed = (System.nanoTime() - t0) / 1e9;
      long[] ok = all.stream().flatMapToLong(Arrays::stream).filter(v -> v >= 0).sorted()
          .toArray();
      long count = all.stream().mapToLong(a -> a.length).sum();
      return new Result(count / elapsed, pct(ok, 0.5), pct(ok, 0.99),
          ok.length == 0 ? Double.NaN : ok[ok.length - 1] / 1e6, count - ok.length, count);
    } catch (Exception e) {
      throw new IllegalStateException("load run failed: " + e, e);
    } finally {
      pool.shutdownNow();
    }
  }

  private static double pct(long[] sorted, double p) {
    return sorted.length == 0 ? Double.NaN
        : sorted[Math.min(sorted.length - 1, (int) (p * sorted.length))] / 1e6;
  }
}
