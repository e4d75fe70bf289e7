package io.kava.optimizers;

import io.kava.internal.Checks;
import io.kava.saving.Config;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Adagrad, Keras's defaults: learning rate 0.001, initial accumulator 0.1, epsilon 1e-7:
 * {@code acc += g^2; w -= lr * g / (sqrt(acc) + eps)}.
 *
 * <pre>{@code
 * jshell> new Adagrad(0.01)
 * }</pre>
 */
public final class Adagrad implements Optimizer {
  private final double learningRate;
  private final double initialAccumulator;
  private final double epsilon;

  public Adagrad() {
    this(0.001);
  }

  public Adagrad(double learningRate) {
    this(Checks.positive("Adagrad", "learning rate", learningRate), 0.1, 1e-7);
  }

  private Adagrad(double learningRate, double initialAccumulator, double epsilon) {
    this.learningRate = learningRate;
    this.initialAccumulator = initialAccumulator;
    this.epsilon = epsilon;
  }

  public Adagrad initialAccumulatorValue(double value) {
    return new Adagrad(learningRate, Checks.nonNegative("Adagrad", "initial accumulator value",
        value), epsilon);
  }

  public Adagrad epsilon(double epsilon) {
    return new Adagrad(learningRate, initialAccumulator, Checks.positive("Adagrad", "epsilon",
        epsilon));
  }

  public double initialAccumulatorValue() {
    return initialAccumulator;
  }

  public double epsilon() {
    return epsilon;
  }

  @Override
  public String name() {
    return "Adagrad";
  }

  @Override
  public double learningRate() {
    return learningRate;
  }

  @Override
  public Op applyGradients(OptimizerContext ctx, List<Variable<TFloat32>> vars,
      List<Operand<TFloat32>> grads) {
    var tf = ctx.tf();
    Operand<TFloat32> eps = tf.constant((float) epsilon);
    return Updates.group(ctx, vars, grads, (v, g) -> tf.train.applyAdagradV2(v,
        ctx.slot(v, "accumulator", (float) initialAccumulator), ctx.learningRate(), eps, g));
  }

  /** Keras's config: learning_rate, initial_accumulator_value, epsilon. */
  @Override
  public Config config() {
    return Config.builder().put("learning_rate", learningRate)
        .put("initial_accumulator_value", initialAccumulator).put("epsilon", epsilon)
        .build();
  }

  /** Rebuilds an Adagrad from {@link #config()}; missing keys take the defaults. */
  public static Adagrad fromConfig(Config c) {
    Adagrad d = new Adagrad(c.getDouble("learning_rate", new Adagrad().learningRate));
    return d.initialAccumulatorValue(c.getDouble("initial_accumulator_value",
        d.initialAccumulator)).epsilon(c.getDouble("epsilon", d.epsilon));
  }

  @Override
  public String toString() {
    return "Adagrad(" + Updates.lr(learningRate)
        + (initialAccumulator == 0.1 ? "" : ", initial_accumulator_value=" + initialAccumulator)
        + (epsilon == 1e-7 ? "" : ", epsilon=" + epsilon) + ")";
  }
}
