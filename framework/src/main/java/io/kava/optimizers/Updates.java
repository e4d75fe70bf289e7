package io.kava.optimizers;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/** Builds one update per weight and groups them into a single op. */
final class Updates {
  private Updates() {}

  static Op group(OptimizerContext ctx, List<Variable<TFloat32>> vars,
      List<Operand<TFloat32>> grads, BiFunction<Variable<TFloat32>, Operand<TFloat32>, Op> one) {
    if (vars.size() != grads.size()) {
      throw new IllegalArgumentException("Optimizer: one gradient per variable expected; got "
          + vars.size() + " variables and " + grads.size() + " gradients.");
    }
    List<Op> ops = new ArrayList<>(vars.size());
    for (int i = 0; i < vars.size(); i++) {
      ops.add(one.apply(vars.get(i), grads.get(i)));
    }
    return ctx.tf().withControlDependencies(ops).noOp();
  }

  static String lr(double lr) {
    return "learning_rate=" + lr;
  }
}
