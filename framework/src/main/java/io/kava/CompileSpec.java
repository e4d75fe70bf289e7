package io.kava;

import io.kava.losses.Loss;
import io.kava.metrics.Metric;
import io.kava.optimizers.Optimizer;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code compile} fixed, resolved against the model's outputs: the optimizer, one loss
 * and loss weight per output (in output order), and the metrics every output reports.
 */
record CompileSpec(Optimizer optimizer, List<Loss> losses, List<Double> lossWeights,
    List<Metric> metrics) {

  CompileSpec {
    losses = List.copyOf(losses);
    lossWeights = List.copyOf(lossWeights);
    metrics = List.copyOf(metrics);
  }

  /**
   * The log keys, in the order the graph computes them: {@code loss}; with several outputs
   * each output's {@code <out>_loss}; then each metric, prefixed by its output's name when
   * there are several ({@code digit_accuracy}), as Keras's History.
   */
  List<String> logKeys(List<String> outputNames) {
    boolean several = outputNames.size() > 1;
    List<String> keys = new ArrayList<>();
    keys.add("loss");
    if (several) {
      outputNames.forEach(o -> keys.add(o + "_loss"));
    }
    for (String o : outputNames) {
      for (Metric m : metrics) {
        keys.add(several ? o + "_" + m.name() : m.name());
      }
    }
    return keys;
  }
}
