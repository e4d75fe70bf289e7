package io.kava.tools.bench;

import io.kava.FitOptions;
import io.kava.Model;
import io.kava.Sequential;
import io.kava.callbacks.Callback;
import io.kava.losses.BinaryCrossentropy;
import io.kava.losses.CategoricalCrossentropy;
import io.kava.losses.Loss;
import io.kava.metrics.Accuracy;
import io.kava.models.Cifar10Cnn;
import io.kava.models.MnistDeepCnn;
import io.kava.models.MnistSimpleCnn;
import io.kava.models.MobileNetV2;
import io.kava.models.ResNet20;
import io.kava.optimizers.Adam;
import io.kava.optimizers.Optimizer;
import io.kava.optimizers.RMSprop;
import io.kava.optimizers.SGD;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * Training-step speed of the tutorial CNNs at batch 32: Kava's {@code fit} side by side with
 * the same network hand-written in raw TF-Java ({@link RawGraph}), in the same process, on
 * the same data. Before timing, it checks that both compute the same losses from the same
 * weights (so the comparison is between equal work). Then the step time of two standard
 * architectures, ResNet20 and MobileNetV2 at 96x96, which have no hand-written twin.
 *
 * <pre>{@code
 * jshell> io.kava.tools.bench.Bench.run(System.out, true)    // or: tools/kava bench
 * }</pre>
 */
public final class Bench {
  private static final int BATCH = 32;
  private static final int ROUNDS = 3;

  private record Case(String name, Supplier<Sequential> model, List<RawGraph.Step> raw,
      Supplier<Optimizer> optimizer, RawGraph.Opt rawOpt, double lr, Loss loss, int classes,
      int steps, double pytorchMs) {}

  private Bench() {}

  public static void main(String[] args) {
    run(System.out, args.length > 0 && args[0].equals("--quick"));
  }

  /** Runs every case and prints a table; quick mode runs fewer steps. */
  public static void run(PrintStream out, boolean quick) {
    List<Case> cases = List.of(
        new Case("MNIST simple CNN", MnistSimpleCnn::create, List.of(
            new RawGraph.Conv(32, 3, true), new RawGraph.Pool(2), new RawGraph.Flatten(),
            new RawGraph.Dense(10, "softmax")), () -> new Adam(0.001), RawGraph.Opt.ADAM, 0.001,
            new CategoricalCrossentropy(), 10, quick ? 30 : 200, 4.5),
        new Case("MNIST deep binary CNN", MnistDeepCnn::create, List.of(
            new RawGraph.Conv(32, 3, true), new RawGraph.Conv(32, 3, true), new RawGraph.Pool(2),
            new RawGraph.Drop(0.25), new RawGraph.Conv(64, 3, true),
            new RawGraph.Conv(64, 3, true), new RawGraph.Pool(2), new RawGraph.Drop(0.25),
            new RawGraph.Flatten(), new RawGraph.Dense(256, "relu"), new RawGraph.Drop(0.5),
            new RawGraph.Dense(1, "sigmoid")), () -> new SGD(0.01), RawGraph.Opt.SGD, 0.01,
            new BinaryCrossentropy(), 1, quick ? 10 : 60, 28),
        new Case("CIFAR-10 CNN", Cifar10Cnn::create, List.of(
            new RawGraph.Conv(64, 3, true), new RawGraph.Conv(64, 3, true), new RawGraph.Pool(2),
            new RawGraph.Conv(128, 3, true), new RawGraph.Conv(128, 3, true),
            new RawGraph.Pool(2), new RawGraph.Flatten(), new RawGraph.Dense(1024, "relu"),
            new RawGraph.Dense(1024, "relu"), new RawGraph.Dense(10, "softmax")),
            () -> new RMSprop(0.0001), RawGraph.Opt.RMSPROP, 0.0001,
            new CategoricalCrossentropy(), 10, quick ? 4 : 20, 130));
    out.printf("Training step, batch %d, CPU (%d cores)%n", BATCH,
        Runtime.getRuntime().availableProcessors());
    out.printf("%-24s %12s %12s %10s %12s %10s %s%n", "model", "kava ms/step", "raw ms/step",
        "kava/raw", "kava img/s", "target ms", "losses equal");
    for (Case c : cases) {
      Result r = measure(c);
      out.printf("%-24s %12.2f %12.2f %9.3fx %12.0f %10.1f %s%n", c.name, r.kavaMs, r.rawMs,
          r.kavaMs / r.rawMs, BATCH * 1000 / r.kavaMs, c.pytorchMs, r.lossesMatch);
    }
    out.printf("%nStandard architectures (Kava only), batch %d, Adam, 10 classes%n", BATCH);
    out.printf("%-24s %12s %12s %12s%n", "model", "params", "ms/step", "img/s");
    int steps = quick ? 3 : 15;
    zoo(out, "ResNet20 32x32", ResNet20::create, Shape.of(32, 32, 3), steps);
    zoo(out, "MobileNetV2 96x96", () -> MobileNetV2.create(10, 96, 96), Shape.of(96, 96, 3),
        steps);
  }

  /** Times {@code steps} training steps of a zoo model on random images (best of rounds). */
  private static void zoo(PrintStream out, String name, Supplier<Model> create, Shape input,
      int steps) {
    try (Model model = create.get().seed(3)) {
      int n = BATCH * steps;
      FloatNdArray x = random(Shape.of(n).append(input), 1);
      FloatNdArray y = labels(n, 10, 2);
      model.compile(new Adam(0.001), new CategoricalCrossentropy(), new Accuracy());
      FitOptions opts = FitOptions.defaults().batchSize(BATCH).shuffle(false).verbose(0).seed(5);
      model.fit(rows(x, BATCH * Math.min(steps, 5)), rows(y, BATCH * Math.min(steps, 5)), opts);
      double best = Double.MAX_VALUE;
      for (int round = 0; round < ROUNDS; round++) {
        long t0 = System.nanoTime();
        model.fit(x, y, opts);
        best = Math.min(best, (System.nanoTime() - t0) / 1e6 / steps);
      }
      out.printf("%-24s %,12d %12.1f %12.0f%n", name, model.countParams(), best,
          BATCH * 1000 / best);
    }
  }

  private record Result(double kavaMs, double rawMs, String lossesMatch) {}

  private static Result measure(Case c) {
    Shape input;
    try (Sequential probe = c.model.get()) {
      input = probe.inputShape();
    }
    int n = BATCH * c.steps;
    FloatNdArray x = random(Shape.of(n).append(input), 1);
    FloatNdArray y = labels(n, c.classes, 2);
    try (Sequential model = c.model.get().seed(3)) {
      model.compile(c.optimizer.get(), c.loss, new Accuracy());
      List<FloatNdArray> start = model.getWeights();
      String equal = compare(model, c, input, x, y, start);
      // Warm up both (graph optimization, kernel selection, the JIT), then time them in
      // alternating rounds and keep each one's best round: the machine's noise only adds.
      FitOptions opts = FitOptions.defaults().batchSize(BATCH).shuffle(false).verbose(0).seed(5);
      int warm = Math.min(c.steps, 20);
      double kava = Double.MAX_VALUE;
      double raw = Double.MAX_VALUE;
      try (RawGraph g = new RawGraph(input, c.raw, start, c.rawOpt, c.lr)) {
        model.fit(rows(x, BATCH * warm), rows(y, BATCH * warm), opts);
        rawSteps(g, x, y, input, warm);
        for (int round = 0; round < ROUNDS; round++) {
          long t0 = System.nanoTime();
          model.fit(x, y, opts);
          kava = Math.min(kava, (System.nanoTime() - t0) / 1e6 / c.steps);
          long t1 = System.nanoTime();
          rawSteps(g, x, y, input, c.steps);
          raw = Math.min(raw, (System.nanoTime() - t1) / 1e6 / c.steps);
        }
      }
      return new Result(kava, raw, equal);
    }
  }

  /** Trains both from the same weights on the same batches and compares the first losses. */
  private static String compare(Sequential model, Case c, Shape input, FloatNdArray x,
      FloatNdArray y, List<FloatNdArray> start) {
    boolean dropout = c.raw.stream().anyMatch(s -> s instanceof RawGraph.Drop);
    if (dropout) {
      return "n/a (dropout masks differ)";
    }
    int k = Math.min(3, c.steps);
    List<Double> kavaLosses = new ArrayList<>();
    List<Double> runningMeans = new ArrayList<>();
    Callback record = new Callback() {
      @Override
      public void onBatchEnd(Model m, int batch, Map<String, Double> logs) {
        // Batch logs are the epoch's running means (Keras 3); with equal batches, batch i's
        // own loss is (i + 1) * mean_i - i * mean_(i-1).
        double before = batch == 0 ? 0 : runningMeans.get(batch - 1) * batch;
        runningMeans.add(logs.get("loss"));
        kavaLosses.add(logs.get("loss") * (batch + 1) - before);
      }
    };
    model.fit(rows(x, BATCH * k), rows(y, BATCH * k), FitOptions.defaults().batchSize(BATCH)
        .shuffle(false).verbose(0).callbacks(record));
    List<Double> rawLosses = new ArrayList<>();
    try (RawGraph g = new RawGraph(input, c.raw, start, c.rawOpt, c.lr)) {
      for (int i = 0; i < k; i++) {
        try (TFloat32 xs = batch(x, i, input); TFloat32 ys = batch(y, i, Data.labelShape(y))) {
          rawLosses.add((double) g.step(xs, ys));
        }
      }
    }
    model.setWeights(start);
    double worst = 0;
    for (int i = 0; i < k; i++) {
      worst = Math.max(worst, Math.abs(kavaLosses.get(i) - rawLosses.get(i))
          / Math.max(1e-6, Math.abs(rawLosses.get(i))));
    }
    return (worst < 1e-3 ? "yes" : "NO") + String.format(" (max rel. diff %.1e over %d steps)",
        worst, k);
  }

  private static void rawSteps(RawGraph g, FloatNdArray x, FloatNdArray y, Shape input,
      int steps) {
    for (int i = 0; i < steps; i++) {
      // A hand-written loop also copies each batch into fresh tensors.
      try (TFloat32 xs = batch(x, i, input); TFloat32 ys = batch(y, i, Data.labelShape(y))) {
        g.step(xs, ys);
      }
    }
  }

  private static TFloat32 batch(FloatNdArray a, int i, Shape sample) {
    FloatNdArray rows = a.slice(org.tensorflow.ndarray.index.Indices.range(
        (long) i * BATCH, (long) (i + 1) * BATCH));
    return TFloat32.tensorOf(Shape.of(BATCH).append(sample), t -> rows.copyTo(t));
  }

  private static FloatNdArray rows(FloatNdArray a, int n) {
    return a.slice(org.tensorflow.ndarray.index.Indices.range(0, n));
  }

  static FloatNdArray random(Shape shape, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] v = new float[Math.toIntExact(shape.size())];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) r.nextDouble();
    }
    return NdArrays.wrap(shape, DataBuffers.of(v, false, false));
  }

  static FloatNdArray labels(int n, int classes, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int width = classes == 1 ? 1 : classes;
    float[] v = new float[n * width];
    for (int i = 0; i < n; i++) {
      v[i * width + (classes == 1 ? 0 : r.nextInt(classes))] = classes == 1 ? r.nextInt(2) : 1;
    }
    return NdArrays.wrap(Shape.of(n, width), DataBuffers.of(v, false, false));
  }

  private static final class Data {
    static Shape labelShape(FloatNdArray y) {
      return Shape.of(y.shape().get(1));
    }
  }
}
