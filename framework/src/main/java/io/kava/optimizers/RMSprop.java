package io.kava.optimizers;

import io.kava.internal.Checks;
import io.kava.saving.Config;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * RMSprop, Keras's defaults: learning rate 0.001, rho 0.9, momentum 0, epsilon 1e-7.
 * Uses TensorFlow's {@code ApplyRMSProp}: {@code ms = rho*ms + (1-rho)*g^2;
 * mom = momentum*mom + lr*g/sqrt(ms + eps); w -= mom}.
 *
 * <pre>{@code
 * jshell> new RMSprop(0.0001)
 * $1 ==> RMSprop(learning_rate=1.0E-4)
 * }</pre>
 */
public final class RMSprop implements Optimizer {
  private final double learningRate;
  private final double rho;
  private final double momentum;
  private final double epsilon;

  public RMSprop() {
    this(0.001);
  }

  public RMSprop(double learningRate) {
    this(Checks.positive("RMSprop", "learning rate", learningRate), 0.9, 0, 1e-7);
  }

  private RMSprop(double learningRate, double rho, double momentum, double epsilon) {
    this.learningRate = learningRate;
    this.rho = rho;
    this.momentum = momentum;
    this.epsilon = epsilon;
  }

  /** Discount of the squared-gradient average, in [0, 1). */
  public RMSprop rho(double rho) {
    return new RMSprop(learningRate, Checks.inRangeExclusive("RMSprop", "rho", rho, 0, 1),
        momentum, epsilon);
  }

  public RMSprop momentum(double momentum) {
    return new RMSprop(learningRate, rho,
        Checks.inRangeExclusive("RMSprop", "momentum", momentum, 0, 1), epsilon);
  }

  public RMSprop epsilon(double epsilon) {
    return new RMSprop(learningRate, rho, momentum, Checks.positive("RMSprop", "epsilon",
        epsilon));
  }

  public double rho() {
    return rho;
  }

  public double momentum() {
    return momentum;
  }

  public double epsilon() {
    return epsilon;
  }

  @Override
  public String name() {
    return "RMSprop";
  }

  @Override
  public double learningRate() {
    return learningRate;
  }

  @Override
  public Op applyGradients(OptimizerContext ctx, List<Variable<TFloat32>> vars,
      List<Operand<TFloat32>> grads) {
    var tf = ctx.tf();
    Operand<TFloat32> r = tf.constant((float) rho);
    Operand<TFloat32> m = tf.constant((float) momentum);
    Operand<TFloat32> eps = tf.constant((float) epsilon);
    return Updates.group(ctx, vars, grads, (v, g) -> tf.train.applyRmsProp(v,
        ctx.slot(v, "rms", 0f), ctx.slot(v, "momentum", 0f), ctx.learningRate(), r, m, eps, g));
  }

  /** Keras's config: learning_rate, rho, momentum, epsilon. */
  @Override
  public Config config() {
    return Config.builder().put("learning_rate", learningRate).put("rho", rho)
        .put("momentum", momentum).put("epsilon", epsilon).build();
  }

  /** Rebuilds an RMSprop from {@link #config()}; missing keys take the defaults. */
  public static RMSprop fromConfig(Config c) {
    RMSprop d = new RMSprop(c.getDouble("learning_rate", new RMSprop().learningRate));
    return d.rho(c.getDouble("rho", d.rho)).momentum(c.getDouble("momentum", d.momentum))
        .epsilon(c.getDouble("epsilon", d.epsilon));
  }

  @Override
  public String toString() {
    return "RMSprop(" + Updates.lr(learningRate) + (rho == 0.9 ? "" : ", rho=" + rho)
        + (momentum == 0 ? "" : ", momentum=" + momentum)
        + (epsilon == 1e-7 ? "" : ", epsilon=" + epsilon) + ")";
  }
}
