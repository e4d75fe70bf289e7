package io.kava.tools;

import io.kava.tools.bench.Bench;
import io.kava.tools.bench.DataBench;
import io.kava.tools.bench.DistributeBench;
import io.kava.tools.bench.MixedBench;
import io.kava.tools.bench.ServeBench;
import io.kava.tools.bench.SoakBench;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kava bench}: prints the training-step benchmark table. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Times training steps of the tutorial CNNs (batch 32) in Kava and in a"
        + " hand-written TF-Java graph of the same network, and the images/s of the data"
        + " pipeline (augmented flow, flowFromDirectory over CIFAR-10 JPEGs), serving, and a"
        + " memory soak with the latency of predict on one image.")
final class BenchCommand implements Runnable {
  private static final List<String> PARTS = List.of("training", "mixed", "data", "serve",
      "soak", "distribute");

  @Option(names = "--quick", description = "Fewer steps (a smoke run, noisy figures).")
  boolean quick;

  @Option(names = "--only",
      description = "Run only one part: training, mixed, data, serve, soak or distribute.")
  String only;

  @Option(names = "--cifar", defaultValue = "../shared/data/cifar10-jpg/train",
      description = "CIFAR-10 class folders of JPEGs (default: ${DEFAULT-VALUE}).")
  Path cifar;

  @Override
  public void run() {
    if (only != null && !PARTS.contains(only)) {
      throw new IllegalArgumentException("--only must be training, mixed, data, serve, soak or"
          + " distribute; got '" + only + "'.");
    }
    if (only == null || only.equals("training")) {
      Bench.run(System.out, quick);
    }
    if (only == null || only.equals("mixed")) {
      MixedBench.run(System.out, quick);
    }
    if (only == null || only.equals("data")) {
      DataBench.run(System.out, quick, cifar);
    }
    if (only == null || only.equals("serve")) {
      ServeBench.run(System.out, quick, Path.of("../shared/fixtures/half_plus_two"));
    }
    if (only == null || only.equals("soak")) {
      SoakBench.run(System.out, quick);
    }
    if (only == null || only.equals("distribute")) {
      DistributeBench.run(System.out, quick);
    }
  }
}
