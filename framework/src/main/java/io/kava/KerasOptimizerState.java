package io.kava;

import io.kava.optimizers.Adagrad;
import io.kava.optimizers.Adam;
import io.kava.optimizers.Optimizer;
import io.kava.optimizers.RMSprop;
import io.kava.optimizers.SGD;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A compiled model's optimizer state as Keras 3 keeps it in a {@code .keras} file's
 * {@code optimizer/vars/<i>}: the optimizer's {@code variables} in creation order
 * ({@code keras/src/optimizers/base_optimizer.py}): {@code iteration}, {@code learning_rate},
 * then what its {@code build} adds for the model's trainable variables, in layer order:
 * <ul>
 *   <li>Adam: per weight its momentum and velocity, interleaved (Kava's {@code m}, {@code v});
 *   <li>RMSprop: every weight's velocity (Kava's {@code rms}), then, when momentum &gt; 0,
 *       every weight's momentum;
 *   <li>SGD: with momentum &gt; 0, every weight's momentum, which Keras keeps as
 *       {@code -learning_rate * } TensorFlow's accumulator (it adds it to the weight; TensorFlow
 *       subtracts {@code learning_rate * accumulator}); without momentum, nothing;
 *   <li>Adagrad: every weight's accumulator.
 * </ul>
 * Other optimizers have no Keras layout here: their state is not written, and a model
 * loaded from the file starts a fresh one.
 */
final class KerasOptimizerState {
  private KerasOptimizerState() {}

  /** One Keras optimizer variable: slot {@code slot} of {@code weight} times {@code scale}. */
  private record Var(ModelGraph.Weight weight, String slot, float scale) {}

  /** Keras's variables after iteration and learning_rate, or null if Kava has no mapping. */
  private static List<Var> layout(Optimizer o, List<ModelGraph.Weight> weights, double lr) {
    List<Var> out = new ArrayList<>();
    if (o instanceof Adam) {
      weights.forEach(w -> {
        out.add(new Var(w, "m", 1));
        out.add(new Var(w, "v", 1));
      });
    } else if (o instanceof RMSprop r) {
      weights.forEach(w -> out.add(new Var(w, "rms", 1)));
      if (r.momentum() > 0) {
        weights.forEach(w -> out.add(new Var(w, "momentum", 1)));
      }
    } else if (o instanceof SGD s) {
      if (s.momentum() > 0) {
        weights.forEach(w -> out.add(new Var(w, "momentum", (float) -lr)));
      }
    } else if (o instanceof Adagrad) {
      weights.forEach(w -> out.add(new Var(w, "accumulator", 1)));
    } else {
      return null;
    }
    return out;
  }

  /**
   * The values Keras 3 would save for {@code m}'s optimizer, its trainable weights taken in
   * the order of {@code layerOrder} (Keras's layer order): the iteration count (a Long), the
   * learning rate (a Float), then float arrays of the weights' shapes; null when the model has
   * not trained or its optimizer has no Keras layout (said on stderr).
   */
  static List<Object> values(Model m, List<String> layerOrder, String where) {
    Compile c = m.compiled().compile();
    if (c == null) {
      return null;
    }
    ModelGraph g = m.built("saveKeras");
    if (g.iterations() == 0) {
      return null;
    }
    List<ModelGraph.Weight> weights = new ArrayList<>(g.trainableWeights());
    weights.sort(Comparator.comparingInt(w -> layerOrder.indexOf(w.layer())));
    double lr = g.learningRate();
    List<Var> vars = layout(c.optimizer(), weights, lr);
    if (vars == null || vars.stream().anyMatch(v -> !g.slots().names(v.weight().variable())
        .contains(v.slot()))) {
      System.err.println("WARNING: " + where + ": the optimizer's state is not saved; Kava"
          + " has no Keras 3 layout for " + c.optimizer().name() + "'s. A model loaded from"
          + " the file trains on with a fresh optimizer.");
      return null;
    }
    List<Object> out = new ArrayList<>(List.of(g.iterations(), (float) lr));
    for (Var v : vars) {
      float[] x = g.slots().get(g.session(), v.weight().variable(), v.slot());
      for (int i = 0; i < x.length; i++) {
        x[i] *= v.scale();
      }
      out.add(KerasSave.nested(x, v.weight().spec().shape()));
    }
    return out;
  }

  /**
   * Restores {@code m}'s optimizer from Keras's {@code optimizer/vars} ({@code learningRate}
   * and the slots), with {@code iteration} steps done. A state that does not fit the model
   * is left out with a warning, as Keras does, and training starts a fresh optimizer.
   */
  static void restore(Model m, long iteration, List<KerasWeights.Stored> stored,
      String where) {
    Compile c = m.compiled().compile();
    if (c == null || stored.size() < 2) {
      return;
    }
    ModelGraph g = m.built("loadKeras");
    float lr = stored.get(1).values()[0];
    List<Var> vars = layout(c.optimizer(), g.trainableWeights(), lr);
    String problem = vars == null ? "Kava has no Keras 3 layout for " + c.optimizer().name()
        + "'s state" : vars.size() + 2 != stored.size() ? "the file has " + stored.size()
        + " optimizer variables; " + c.optimizer().name() + " on this model has "
        + (vars.size() + 2) : null;
    for (int i = 0; problem == null && i < vars.size(); i++) {
      ModelGraph.Weight w = vars.get(i).weight();
      KerasWeights.Stored s = stored.get(i + 2);
      if (!java.util.Arrays.equals(s.shape(), w.spec().shape().asArray())) {
        problem = "optimizer variable " + (i + 2) + " must have the shape of weight '"
            + w.path() + "' " + w.spec().shape() + "; it has " + s.shapeText();
      }
    }
    if (problem != null) {
      System.err.println("WARNING: " + where + ": the optimizer's state is not restored: "
          + problem + ". Training starts a fresh optimizer.");
      return;
    }
    for (int i = 0; i < vars.size(); i++) {
      Var v = vars.get(i);
      float[] x = stored.get(i + 2).values().clone();
      for (int j = 0; j < x.length; j++) {
        x[j] /= v.scale();
      }
      g.slots().set(g.session(), v.weight().variable(), v.slot(), x);
    }
    g.setIterations(iteration);
    g.setLearningRate(lr);
  }
}
