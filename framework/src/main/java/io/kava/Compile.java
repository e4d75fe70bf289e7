package io.kava;

import io.kava.internal.Checks;
import io.kava.losses.Loss;
import io.kava.metrics.Metric;
import io.kava.optimizers.Optimizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The compile arguments, resolved against the outputs once the topology is known. */
record Compile(Optimizer optimizer, Loss loss, Map<String, Loss> losses,
    Map<String, Double> lossWeights, List<Metric> metrics) {
  /** Checks the arguments that need no model: non-null, metric names unique. */
  void check(String subject) {
    Checks.notNull(subject, "optimizer", optimizer);
    java.util.Set<String> keys = new java.util.HashSet<>(java.util.Set.of("loss"));
    for (Metric m : metrics) {
      Checks.notNull(subject, "metric", m);
      if (!keys.add(m.name())) {
        throw new IllegalArgumentException(subject + ": metric names must be unique and not"
            + " 'loss'; got '" + m.name() + "' twice.");
      }
    }
  }

  CompileSpec resolve(String subject, Topology t) {
    List<String> outs = t.outputNames();
    if (losses != null) {
      for (String k : losses.keySet()) {
        if (!outs.contains(k)) {
          throw new IllegalArgumentException(subject + ": loss keys must be output names "
              + outs + "; got '" + k + "'.");
        }
      }
    }
    for (var e : lossWeights.entrySet()) {
      if (!outs.contains(e.getKey()) || !(e.getValue() >= 0)) {
        throw new IllegalArgumentException(subject + ": loss weights must map output names "
            + outs + " to numbers >= 0; got " + e.getKey() + "=" + e.getValue() + ".");
      }
    }
    List<Loss> perOutput = new ArrayList<>();
    List<Double> weights = new ArrayList<>();
    for (String o : outs) {
      Loss l = loss != null ? loss : losses.get(o);
      if (l == null) {
        throw new IllegalArgumentException(subject + ": losses must give a loss for every"
            + " output " + outs + "; got none for '" + o + "'.");
      }
      perOutput.add(l);
      weights.add(lossWeights.getOrDefault(o, 1.0));
    }
    return new CompileSpec(optimizer, perOutput, weights, metrics);
  }
}
