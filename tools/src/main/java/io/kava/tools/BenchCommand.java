package io.kava.tools;

import io.kava.tools.bench.Bench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kava bench}: prints the training-step benchmark table. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Times training steps of the tutorial CNNs (batch 32) in Kava and in a"
        + " hand-written TF-Java graph of the same network, and prints ms/step and images/s.")
final class BenchCommand implements Runnable {
  @Option(names = "--quick", description = "Fewer steps (a smoke run, noisy figures).")
  boolean quick;

  @Override
  public void run() {
    Bench.run(System.out, quick);
  }
}
