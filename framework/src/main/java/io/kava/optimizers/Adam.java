package io.kava.optimizers;

import io.kava.internal.Checks;
import io.kava.saving.Config;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Adam, Keras's defaults: learning rate 0.001, beta1 0.9, beta2 0.999, epsilon 1e-7
 * (TF-Java's framework uses 1e-8; Kava follows Keras).
 *
 * <pre>{@code
 * jshell> new Adam(0.001)
 * $1 ==> Adam(learning_rate=0.001)
 * }</pre>
 */
public final class Adam implements Optimizer {
  private final double learningRate;
  private final double beta1;
  private final double beta2;
  private final double epsilon;

  public Adam() {
    this(0.001);
  }

  public Adam(double learningRate) {
    this(Checks.positive("Adam", "learning rate", learningRate), 0.9, 0.999, 1e-7);
  }

  private Adam(double learningRate, double beta1, double beta2, double epsilon) {
    this.learningRate = learningRate;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
  }

  /** Decay of the first-moment estimate, in [0, 1). */
  public Adam beta1(double beta1) {
    return new Adam(learningRate, Checks.inRangeExclusive("Adam", "beta1", beta1, 0, 1), beta2,
        epsilon);
  }

  /** Decay of the second-moment estimate, in [0, 1). */
  public Adam beta2(double beta2) {
    return new Adam(learningRate, beta1, Checks.inRangeExclusive("Adam", "beta2", beta2, 0, 1),
        epsilon);
  }

  public Adam epsilon(double epsilon) {
    return new Adam(learningRate, beta1, beta2, Checks.positive("Adam", "epsilon", epsilon));
  }

  public double beta1() {
    return beta1;
  }

  public double beta2() {
    return beta2;
  }

  public double epsilon() {
    return epsilon;
  }

  @Override
  public String name() {
    return "Adam";
  }

  @Override
  public double learningRate() {
    return learningRate;
  }

  @Override
  public Op applyGradients(OptimizerContext ctx, List<Variable<TFloat32>> vars,
      List<Operand<TFloat32>> grads) {
    var tf = ctx.tf();
    Operand<TFloat32> t = tf.dtypes.cast(tf.math.add(ctx.iterations(), tf.constant(1L)),
        TFloat32.class);
    Operand<TFloat32> b1 = tf.constant((float) beta1);
    Operand<TFloat32> b2 = tf.constant((float) beta2);
    Operand<TFloat32> b1Power = tf.math.pow(b1, t);
    Operand<TFloat32> b2Power = tf.math.pow(b2, t);
    Operand<TFloat32> eps = tf.constant((float) epsilon);
    return Updates.group(ctx, vars, grads, (v, g) -> tf.train.applyAdam(v, ctx.slot(v, "m", 0f),
        ctx.slot(v, "v", 0f), b1Power, b2Power, ctx.learningRate(), b1, b2, eps, g));
  }

  /** Keras's config: learning_rate, beta_1, beta_2, epsilon. */
  @Override
  public Config config() {
    return Config.builder().put("learning_rate", learningRate).put("beta_1", beta1)
        .put("beta_2", beta2).put("epsilon", epsilon).build();
  }

  /** Rebuilds an Adam from {@link #config()}; missing keys take the defaults. */
  public static Adam fromConfig(Config c) {
    Adam d = new Adam(c.getDouble("learning_rate", new Adam().learningRate));
    return d.beta1(c.getDouble("beta_1", d.beta1)).beta2(c.getDouble("beta_2", d.beta2))
        .epsilon(c.getDouble("epsilon", d.epsilon));
  }

  @Override
  public String toString() {
    return "Adam(" + Updates.lr(learningRate) + (beta1 == 0.9 ? "" : ", beta_1=" + beta1)
        + (beta2 == 0.999 ? "" : ", beta_2=" + beta2)
        + (epsilon == 1e-7 ? "" : ", epsilon=" + epsilon) + ")";
  }
}
