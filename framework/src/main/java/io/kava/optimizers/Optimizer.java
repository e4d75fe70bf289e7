package io.kava.optimizers;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Updates a model's trainable weights from their gradients. An optimizer object is an
 * immutable configuration; the model adds its update ops once, at compile, for its own
 * weight list only (never every variable in the graph).
 *
 * <pre>{@code
 * jshell> model.compile(new SGD(0.01).momentum(0.9).nesterov(true), new CategoricalCrossentropy())
 * }</pre>
 */
public interface Optimizer {

  /** Keras's class name: {@code Adam}. */
  String name();

  /** The initial learning rate (callbacks may change the model's current one). */
  double learningRate();

  /**
   * Settings as Keras's {@code get_config()} ({@code learning_rate}, ...), from which a
   * {@code public static fromConfig(Config)} rebuilds the optimizer when a model loads.
   */
  default io.kava.saving.Config config() {
    return io.kava.saving.Config.builder().put("learning_rate", learningRate()).build();
  }

  /**
   * Adds the ops applying one step of updates and returns one op that runs them all.
   * {@code vars.get(i)} is updated from {@code grads.get(i)}.
   */
  Op applyGradients(OptimizerContext ctx, List<Variable<TFloat32>> vars,
      List<Operand<TFloat32>> grads);
}
