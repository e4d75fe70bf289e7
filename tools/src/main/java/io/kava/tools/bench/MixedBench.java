package io.kava.tools.bench;

import io.kava.DTypePolicy;
import io.kava.FitOptions;
import io.kava.Model;
import io.kava.Sequential;
import io.kava.losses.CategoricalCrossentropy;
import io.kava.metrics.Accuracy;
import io.kava.models.AlexNet;
import io.kava.models.Cifar10Cnn;
import io.kava.models.MnistSimpleCnn;
import io.kava.optimizers.RMSprop;
import java.io.PrintStream;
import java.util.List;
import java.util.function.Supplier;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.Shape;

/**
 * Training-step time in float32 and under {@link DTypePolicy#MIXED_BFLOAT16}, side by side,
 * batch 32, the two timed in alternating rounds (best round kept). The target column is the
 * issue's: 0.55x PyTorch's float32 step on the same machine (the training bench's figure).
 *
 * <pre>{@code
 * jshell> io.kava.tools.bench.MixedBench.run(System.out, true)  // kava bench --only mixed
 * }</pre>
 */
public final class MixedBench {
  private static final int BATCH = 32;
  private static final int ROUNDS = 3;

  private record Case(String name, Supplier<Sequential> model, int steps, double pytorchMs) {}

  private MixedBench() {}

  /** Runs every case and prints the table; quick mode runs fewer steps. */
  public static void run(PrintStream out, boolean quick) {
    List<Case> cases = List.of(
        new Case("MNIST simple CNN", MnistSimpleCnn::create, quick ? 20 : 100, 4.5),
        new Case("CIFAR-10 CNN", Cifar10Cnn::create, quick ? 3 : 15, 130),
        new Case("AlexNet 227x227", () -> AlexNet.create(2), quick ? 1 : 3, Double.NaN));
    out.printf("Mixed precision training step, batch %d, CPU (%d cores, bfloat16 %s)%n", BATCH,
        Runtime.getRuntime().availableProcessors(), nativeBf16() ? "native" : "emulated");
    out.printf("%-18s %12s %12s %10s %12s%n", "model", "fp32 ms", "bf16 ms", "bf16/fp32",
        "target ms");
    for (Case c : cases) {
      double[] ms = measure(c);
      out.printf("%-18s %12.1f %12.1f %9.2fx %12s%n", c.name, ms[0], ms[1], ms[1] / ms[0],
          Double.isNaN(c.pytorchMs) ? "report" : String.format("%.1f", 0.55 * c.pytorchMs));
    }
  }

  private static double[] measure(Case c) {
    try (Sequential fp32 = c.model.get().seed(3);
        Sequential bf16 = c.model.get().seed(3).dtypePolicy(DTypePolicy.MIXED_BFLOAT16)) {
      Shape input = fp32.inputShape();
      int n = BATCH * c.steps;
      FloatNdArray x = Bench.random(Shape.of(n).append(input), 1);
      long classes = fp32.outputShape().get(0);
      FloatNdArray y = Bench.labels(n, (int) classes, 2);
      FitOptions opts = FitOptions.defaults().batchSize(BATCH).shuffle(false).verbose(0).seed(5);
      double[] best = {Double.MAX_VALUE, Double.MAX_VALUE};
      List<Model> models = List.of(fp32, bf16);
      for (Model m : models) {
        m.compile(new RMSprop(0.0001), new CategoricalCrossentropy(), new Accuracy());
        m.fit(x, y, opts);
      }
      for (int round = 0; round < ROUNDS; round++) {
        for (int i = 0; i < 2; i++) {
          long t0 = System.nanoTime();
          models.get(i).fit(x, y, opts);
          best[i] = Math.min(best[i], (System.nanoTime() - t0) / 1e6 / c.steps);
        }
      }
      return best;
    }
  }

  private static boolean nativeBf16() {
    try {
      String info = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/cpuinfo"));
      return info.contains("avx512_bf16") || info.contains("amx_bf16");
    } catch (java.io.IOException e) {
      return false;
    }
  }
}
