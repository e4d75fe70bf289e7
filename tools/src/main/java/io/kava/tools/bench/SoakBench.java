package io.kava.tools.bench;

import io.kava.FitOptions;
import io.kava.Sequential;
import io.kava.data.datasets.ImageDataset;
import io.kava.data.datasets.Mnist;
import io.kava.internal.AtomicFiles;
import io.kava.losses.CategoricalCrossentropy;
import io.kava.metrics.Accuracy;
import io.kava.models.MnistCnn;
import io.kava.models.MnistSimpleCnn;
import io.kava.optimizers.Adam;
import io.kava.saving.SavedModel;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.ndarray.index.Indices;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.types.TFloat32;

/**
 * A memory soak and a latency check: in one JVM, many training steps of the MNIST simple CNN
 * (batch 32, Adam, the bundled MNIST sample), many {@code predict} calls on one image, and
 * many export + {@link SavedModel#load} + close cycles, printing the process's resident set
 * size at intervals and the growth of each phase. Then the time of {@code predict} on one image
 * against a raw {@code Session.run} of the same inference graph (the model's export loaded
 * by TF-Java's {@code SavedModelBundle}, same session threads) fed one reused tensor, for
 * an uncompiled model (an inference-only graph) and a compiled one, whose session also holds
 * the training graph (a probe on a loaded machine once saw its Session.run of the same
 * inference ops 15-30% slower than an inference-only session's; this row tells).
 *
 * <pre>{@code
 * jshell> io.kava.tools.bench.SoakBench.run(System.out, true)   // kava bench --only soak
 * }</pre>
 */
public final class SoakBench {
  private static final int BATCH = 32;
  /** Training batches in the data; a fit call runs this many steps per epoch. */
  private static final int BATCHES = 100;
  private static final String HEAP = "512m";

  private SoakBench() {}

  /**
   * Runs the soak in a child JVM whose Java heap is fixed and pre-touched ({@value #HEAP}), so
   * that the RSS it reports grows only with native memory (TensorFlow, malloc, metaspace), not
   * with the heap touching its pages for the first time; then the latency check, here. Quick
   * mode runs a fraction of each.
   */
  public static void run(PrintStream out, boolean quick) {
    ProcessBuilder pb = new ProcessBuilder(ChildJvm.command(List.of("-Xms" + HEAP,
        "-Xmx" + HEAP, "-XX:+AlwaysPreTouch"), SoakBench.class, quick ? "--quick" : "--full"))
        .redirectErrorStream(true);
    try {
      Process p = pb.start();
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
          StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          // TensorFlow's start-up log lines (absl, MLIR) are noise in the table.
          if (!line.startsWith("I0000") && !line.startsWith("WARNING: All log messages")) {
            out.println(line);
          }
        }
      }
      if (p.waitFor() != 0) {
        throw new IllegalStateException("the soak's JVM failed (exit " + p.exitValue() + ")");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    FloatNdArray x = images(BATCH * BATCHES);
    out.printf("%npredict on one image vs a raw Session.run of the same graph (target <="
        + " 1.2x)%n");
    out.printf("%-20s %12s %12s %10s %s%n", "model", "predict ms", "raw run ms", "ratio",
        "outputs equal");
    int n = quick ? 300 : 2_000;
    latency(out, "MNIST simple CNN", MnistSimpleCnn::create, false, x, n);
    latency(out, "MNIST CNN", MnistCnn::create, false, x, n);
    // A compiled model's session also holds the training graph; same inference ops.
    latency(out, "MNIST CNN, compiled", MnistCnn::create, true, x, n);
  }

  /** {@code --quick} or {@code --full}: the soak itself, in the child JVM {@link #run} starts. */
  public static void main(String[] args) {
    soak(System.out, args.length > 0 && args[0].equals("--quick"));
  }

  private static void soak(PrintStream out, boolean quick) {
    int steps = quick ? 500 : 10_000;
    int predicts = quick ? 1_000 : 10_000;
    int cycles = quick ? 50 : 500;
    out.printf("%nSoak, one JVM (heap fixed at %s, pre-touched), CPU (%d cores), MALLOC_ARENA_MAX"
        + " %s: RSS in MiB%n", HEAP, Runtime.getRuntime().availableProcessors(),
        System.getenv().getOrDefault("MALLOC_ARENA_MAX", "unset"));
    FloatNdArray x = images(BATCH * BATCHES);
    FloatNdArray y = oneHot(BATCH * BATCHES);
    Path dir = tempDir();
    try (Sequential model = MnistSimpleCnn.create().seed(1)) {
      model.compile(new Adam(0.001), new CategoricalCrossentropy(), new Accuracy());
      fit(out, model, x, y, steps, steps / 10);
      predicts(out, model, x, predicts, predicts / 10);
      cycles(out, model, x, dir, cycles, cycles / 10);
    } finally {
      AtomicFiles.deleteTree(dir);
    }
  }

  private static void fit(PrintStream out, Sequential model, FloatNdArray x, FloatNdArray y,
      int steps, int every) {
    Meter m = new Meter(out, "fit, batch 32", "steps");
    FitOptions opts = FitOptions.defaults().batchSize(BATCH).verbose(0).seed(5)
        .epochs(Math.max(1, every / BATCHES));
    int per = Math.max(1, every / BATCHES) * BATCHES;
    for (int done = 0; done < steps; done += per) {
      model.fit(x, y, opts);
      m.report(done + per);
    }
    m.end();
  }

  private static void predicts(PrintStream out, Sequential model, FloatNdArray x, int calls,
      int every) {
    Meter m = new Meter(out, "predict, 1 image", "calls");
    long n = x.shape().get(0);
    for (int i = 1; i <= calls; i++) {
      model.predict(x.slice(Indices.range(i % n, i % n + 1)));
      if (i % every == 0) {
        m.report(i);
      }
    }
    m.end();
  }

  private static void cycles(PrintStream out, Sequential model, FloatNdArray x, Path dir,
      int cycles, int every) {
    Meter m = new Meter(out, "export + load", "cycles");
    Path version = dir.resolve("model");
    Map<String, FloatNdArray> in = null;
    for (int i = 1; i <= cycles; i++) {
      model.export(version);
      try (SavedModel saved = SavedModel.load(version)) {
        if (in == null) {
          String name = saved.signature(SavedModel.DEFAULT_SIGNATURE).inputs().keySet()
              .iterator().next();
          in = Map.of(name, x.slice(Indices.range(0, 1)));
        }
        saved.predict(in);
      }
      if (i % every == 0) {
        m.report(i);
      }
    }
    m.end();
  }

  /** RSS at the start, at each report, and the phase's growth at its end. */
  private static final class Meter {
    private final PrintStream out;
    private final String unit;
    private final long start;
    private long first = -1;
    private long last;

    Meter(PrintStream out, String phase, String unit) {
      this.out = out;
      this.unit = unit;
      this.start = rssMib();
      this.last = start;
      out.printf("%-18s start: RSS %d%n", phase, start);
    }

    void report(int done) {
      last = rssMib();
      if (first < 0) {
        first = last;
      }
      out.printf("  %,7d %-7s RSS %5d%n", done, unit, last);
    }

    void end() {
      out.printf("  growth: %+d MiB over the phase, %+d MiB after its first interval%n",
          last - start, last - first);
    }
  }

  /** Mean ms per call of kava's predict and of a raw run, best of alternating rounds. */
  private static void latency(PrintStream out, String name, Supplier<Sequential> create,
      boolean compiled, FloatNdArray x, int n) {
    FloatNdArray one = NdArrays.ofFloats(Shape.of(1, 28, 28, 1));
    x.slice(Indices.range(7, 8)).copyTo(one);
    Path dir = tempDir();
    try (Sequential model = create.get().seed(1)) {
      if (compiled) {
        model.compile(new Adam(0.001), new CategoricalCrossentropy(), new Accuracy());
      }
      model.predict(one);
      model.export(dir.resolve("m"));
      try (SavedModelBundle bundle = SavedModelBundle.loader(dir.resolve("m").toString())
          .withTags("serve").withConfigProto(RawGraph.defaultConfig()).load();
          TFloat32 t = TFloat32.tensorOf(one)) {
        var sig = bundle.metaGraphDef().getSignatureDefMap().get(SavedModel.DEFAULT_SIGNATURE);
        Operand<?> input = output(bundle, sig.getInputsMap().values().iterator().next());
        Operand<?> output = output(bundle, sig.getOutputsMap().values().iterator().next());
        Session s = bundle.session();
        float[] raw = new float[10];
        Runnable rawCall = () -> {
          try (Result r = s.runner().feed(input, t).fetch(output).run()) {
            ((TFloat32) r.get(0)).copyTo(DataBuffers.of(raw, false, false));
          }
        };
        float[] kava = new float[10];
        Runnable kavaCall = () -> model.predict(one).copyTo(DataBuffers.of(kava, false, false));
        double bestKava = Double.MAX_VALUE;
        double bestRaw = Double.MAX_VALUE;
        for (int round = 0; round < 6; round++) {
          bestKava = Math.min(bestKava, time(kavaCall, n));
          bestRaw = Math.min(bestRaw, time(rawCall, n));
        }
        out.printf("%-20s %12.3f %12.3f %9.2fx %s%n", name, bestKava, bestRaw,
            bestKava / bestRaw, java.util.Arrays.equals(kava, raw) ? "yes" : "NO");
      }
    } finally {
      AtomicFiles.deleteTree(dir);
    }
  }

  private static Operand<?> output(SavedModelBundle bundle, TensorInfo info) {
    String[] name = info.getName().split(":");
    return bundle.graph().operation(name[0]).output(name.length > 1
        ? Integer.parseInt(name[1]) : 0);
  }

  private static double time(Runnable call, int n) {
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      call.run();
    }
    return (System.nanoTime() - t0) / 1e6 / n;
  }

  /** The first {@code n} digits of the bundled MNIST sample, scaled to [0, 1]. */
  private static FloatNdArray images(int n) {
    ImageDataset d = Mnist.sample().take(0, n);
    float[] v = new float[n * 28 * 28];
    d.images().copyTo(DataBuffers.of(v, false, false));
    for (int i = 0; i < v.length; i++) {
      v[i] /= 255f;
    }
    return NdArrays.wrap(Shape.of(n, 28, 28, 1), DataBuffers.of(v, false, false));
  }

  private static FloatNdArray oneHot(int n) {
    return Mnist.sample().take(0, n).oneHotLabels();
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("kava-soak");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long rssMib() {
    return ServeBench.rssKb() / 1024;
  }
}
