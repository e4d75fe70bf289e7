package io.kava.tools.bench;

import io.kava.FitOptions;
import io.kava.Model;
import io.kava.callbacks.Callback;
import io.kava.distribute.AllReduceTrace;
import io.kava.distribute.MultiWorkerStrategy;
import io.kava.internal.AtomicFiles;
import io.kava.losses.CategoricalCrossentropy;
import io.kava.metrics.Accuracy;
import io.kava.models.MnistSimpleCnn;
import io.kava.optimizers.Adam;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.tensorflow.ndarray.Shape;

/**
 * Synchronous data-parallel training ({@link MultiWorkerStrategy}) of the MNIST simple CNN by
 * 1, 2 and 3 worker JVMs on the loopback address, global batch 96 on synthetic digits: the
 * time per global step, the bytes each worker sends per step and the all-reduce's share of
 * the step. The workers share this machine's cores, so on a small machine the table shows the
 * cost of replication, not a speed-up.
 *
 * <p>Bytes are computed: each step all-reduces one float32 vector of the trainable weights'
 * gradients and the logs (loss, accuracy), and a ring all-reduce sends {@code 2(N-1)/N * 4 *
 * values} bytes per worker. The all-reduce's time is measured: every few steps a worker traces
 * its step ({@link MultiWorkerStrategy#traceAllReduce}) and TensorFlow's step statistics give
 * the {@code CollectiveReduce} op's start and end, which includes waiting for the slowest
 * worker. Untraced steps give the step time.
 *
 * <pre>{@code
 * jshell> DistributeBench.run(System.out, true)    // or: tools/kava bench --only distribute
 * }</pre>
 */
public final class DistributeBench {
  private static final int BATCH = 96;
  private static final String WORKER = "--worker";

  /** What one worker process reports. */
  private record Worker(double stepMs, long values, int traces, double reduceMs,
      double tracedStepMs) {}

  private DistributeBench() {}

  /** Runs 1, 2 and 3 workers and prints a table; quick mode runs fewer steps. */
  public static void run(PrintStream out, boolean quick) {
    int steps = quick ? 16 : 80;
    int traceEvery = quick ? 4 : 8;
    int warmup = quick ? 3 : 8;
    out.printf("%nMultiWorkerStrategy, MNIST simple CNN, global batch %d (synthetic digits),"
        + " N worker JVMs on 127.0.0.1 sharing %d cores%n", BATCH,
        Runtime.getRuntime().availableProcessors());
    out.printf("%-7s %9s %6s %11s %15s %11s %13s %8s%n", "workers", "ms/step", "img/s",
        "floats/step", "KiB/step/worker", "allred. ms", "traced st. ms", "allred.");
    Path dir;
    try {
      dir = Files.createTempDirectory("kava-bench-distribute");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      for (int n = 1; n <= 3; n++) {
        List<Worker> ws = job(dir, n, steps, traceEvery, warmup);
        double stepMs = ws.stream().mapToDouble(Worker::stepMs).average().orElse(0);
        long values = ws.get(0).values();
        double kib = 2.0 * (n - 1) / n * 4 * values / 1024;
        int traces = ws.stream().mapToInt(Worker::traces).sum();
        double reduceMs = ws.stream().mapToDouble(w -> w.reduceMs() * w.traces()).sum()
            / Math.max(1, traces);
        double tracedMs = ws.stream().mapToDouble(w -> w.tracedStepMs() * w.traces()).sum()
            / Math.max(1, traces);
        out.printf(Locale.ROOT, "%-7d %9.2f %6.0f %11d %15.1f %11s %13s %8s%n", n, stepMs,
            BATCH * 1000 / stepMs, values, kib,
            n == 1 ? "-" : String.format(Locale.ROOT, "%.2f", reduceMs),
            n == 1 ? "-" : String.format(Locale.ROOT, "%.2f", tracedMs),
            n == 1 ? "none" : String.format(Locale.ROOT, "%.0f%%", 100 * reduceMs / tracedMs));
      }
    } finally {
      AtomicFiles.deleteTree(dir);
    }
    out.printf("ms/step: mean time of a global step of %d images (each of N workers trains"
        + " %d/N),%n  steps %d-%d minus the traced ones, averaged over the workers.%n", BATCH,
        BATCH, warmup + 1, steps);
    out.printf("KiB/step/worker = 2(N-1)/N x 4 bytes x floats/step: a ring all-reduce of one"
        + " float32 vector%n  (trainable weights' gradients + loss and accuracy); computed, not"
        + " counted.%n");
    out.printf("allred. = allred. ms / traced st. ms, measured with TensorFlow's step statistics"
        + " (FULL_TRACE%n  on every %dth step of every worker): the CollectiveReduce op's start"
        + " to end, waiting for%n  the slowest worker included, over the same step's first op"
        + " start to last op end.%n  Traced steps run slower and are left out of ms/step. 1"
        + " worker trains alone: no all-reduce.%n", traceEvery);
    out.printf("The workers share the machine's cores with each other and with any other"
        + " process:%n  this measures replication's overhead, not a speed-up; figures are"
        + " noisy.%n");
  }

  /** Starts {@code n} workers, waits for them and returns their reports. */
  private static List<Worker> job(Path dir, int n, int steps, int traceEvery, int warmup) {
    List<String> addresses = freeAddresses(n);
    String cluster = "{\"worker\": [\"" + String.join("\", \"", addresses) + "\"]}";
    List<Process> ps = new ArrayList<>();
    Thread reaper = new Thread(() -> ps.forEach(Process::destroyForcibly));
    Runtime.getRuntime().addShutdownHook(reaper);
    try {
      for (int i = 0; i < n; i++) {
        ProcessBuilder pb = new ProcessBuilder(ChildJvm.command(List.of(),
            DistributeBench.class, WORKER, String.valueOf(steps), String.valueOf(traceEvery),
            String.valueOf(warmup)))
            .redirectErrorStream(true).redirectOutput(log(dir, n, i).toFile());
        pb.environment().put("TF_CONFIG", "{\"cluster\": " + cluster
            + ", \"task\": {\"type\": \"worker\", \"index\": " + i + "}}");
        pb.environment().putIfAbsent("TF_CPP_MIN_LOG_LEVEL", "2");
        ps.add(pb.start());
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120 + 4L * steps * n);
      List<Worker> reports = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        long left = deadline - System.nanoTime();
        if (!ps.get(i).waitFor(Math.max(1, left), TimeUnit.NANOSECONDS)) {
          throw new IllegalStateException("distribute bench: worker " + i + " of " + n
              + " did not finish in time; its log ends: " + tail(log(dir, n, i)));
        }
        reports.add(report(log(dir, n, i), n, i, ps.get(i).exitValue()));
      }
      return reports;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      for (Process p : ps) {
        p.destroyForcibly();
      }
      for (Process p : ps) {
        try {
          p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      Runtime.getRuntime().removeShutdownHook(reaper);
    }
  }

  private static Worker report(Path log, int n, int i, int exit) throws IOException {
    String result = Files.readAllLines(log).stream().filter(l -> l.startsWith("RESULT "))
        .reduce((a, b) -> b).orElse(null);
    if (exit != 0 || result == null) {
      throw new IllegalStateException("distribute bench: worker " + i + " of " + n
          + " failed (exit " + exit + "); its log ends: " + tail(log));
    }
    String[] f = result.split(" ");
    return new Worker(Double.parseDouble(f[1]), Long.parseLong(f[2]), Integer.parseInt(f[3]),
        Double.parseDouble(f[4]), Double.parseDouble(f[5]));
  }

  /**
   * {@code --worker STEPS TRACE_EVERY WARMUP}, with {@code TF_CONFIG} set: one worker of
   * {@link #job}. Trains {@code STEPS} global batches and prints {@code RESULT stepMs values
   * traces reduceMs tracedStepMs}; halts (a worker's TensorFlow server cannot be stopped).
   */
  public static void main(String[] args) {
    if (args.length != 4 || !args[0].equals(WORKER)) {
      throw new IllegalArgumentException("usage: DistributeBench --worker STEPS TRACE_EVERY"
          + " WARMUP (with TF_CONFIG set)");
    }
    try {
      worker(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
    } catch (RuntimeException e) {
      e.printStackTrace();
      Runtime.getRuntime().halt(3);
    }
    Runtime.getRuntime().halt(0);
  }

  private static void worker(int steps, int traceEvery, int warmup) {
    List<AllReduceTrace> traces = new ArrayList<>();
    MultiWorkerStrategy strategy = MultiWorkerStrategy.fromEnvironment()
        .timeout(Duration.ofSeconds(120)).startTimeout(Duration.ofSeconds(300))
        .traceAllReduce(traceEvery, traces::add);
    int samples = BATCH * steps;
    long[] ends = new long[steps];
    int[] logs = new int[1];
    Callback clock = new Callback() {
      @Override
      public void onBatchEnd(Model model, int batch, Map<String, Double> batchLogs) {
        ends[batch] = System.nanoTime();
        logs[0] = batchLogs.size();
      }
    };
    long params;
    try (Model model = strategy.build(() -> MnistSimpleCnn.create().seed(1))) {
      model.compile(new Adam(0.001), new CategoricalCrossentropy(), new Accuracy());
      model.fit(Bench.random(Shape.of(samples, 28, 28, 1), 1), Bench.labels(samples, 10, 2),
          FitOptions.defaults().batchSize(BATCH).epochs(1).seed(3).verbose(0).callbacks(clock));
      params = model.countParams();
    }
    double sum = 0;
    int timed = 0;
    for (int s = warmup + 1; s <= steps; s++) { // step s (from 1) ends at ends[s - 1]
      if (s % traceEvery != 0 || strategy.replicas() == 1) {
        sum += (ends[s - 1] - ends[s - 2]) / 1e6;
        timed++;
      }
    }
    double reduce = traces.stream().mapToDouble(AllReduceTrace::allReduceMillis).average()
        .orElse(0);
    double traced = traces.stream().mapToDouble(AllReduceTrace::stepMillis).average().orElse(0);
    System.out.printf(Locale.ROOT, "RESULT %.4f %d %d %.4f %.4f%n", sum / timed,
        params + logs[0], traces.size(), reduce, traced);
    traces.forEach(t -> System.out.println("TRACE " + t));
    System.out.flush();
  }

  private static List<String> freeAddresses(int n) {
    List<ServerSocket> held = new ArrayList<>();
    try {
      List<String> addresses = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        held.add(s);
        addresses.add("127.0.0.1:" + s.getLocalPort());
      }
      return addresses;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      for (ServerSocket s : held) {
        try {
          s.close();
        } catch (IOException ignored) {
          // a port we only held to pick it
        }
      }
    }
  }

  private static Path log(Path dir, int n, int i) {
    return dir.resolve("n" + n + "-w" + i + ".log");
  }

  private static String tail(Path log) {
    try {
      String s = Files.readString(log);
      return s.substring(Math.max(0, s.length() - 2000));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }
}
