package io.kava.optimizers;

import io.kava.internal.Checks;
import io.kava.saving.Config;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.train.ApplyMomentum;
import org.tensorflow.types.TFloat32;

/**
 * Stochastic gradient descent with optional (Nesterov) momentum, Keras's {@code SGD}.
 * Defaults: learning rate 0.01, momentum 0, nesterov false.
 *
 * <p>With momentum it uses TensorFlow's {@code ApplyMomentum}
 * ({@code a = m*a + g; w -= lr*a}), which equals Keras's form while the learning rate is
 * constant.
 *
 * <pre>{@code
 * jshell> new SGD(0.01).momentum(0.9).nesterov(true)
 * $1 ==> SGD(learning_rate=0.01, momentum=0.9, nesterov=true)
 * }</pre>
 */
public final class SGD implements Optimizer {
  private final double learningRate;
  private final double momentum;
  private final boolean nesterov;

  /** Plain SGD with learning rate 0.01. */
  public SGD() {
    this(0.01);
  }

  public SGD(double learningRate) {
    this(Checks.positive("SGD", "learning rate", learningRate), 0, false);
  }

  private SGD(double learningRate, double momentum, boolean nesterov) {
    this.learningRate = learningRate;
    this.momentum = momentum;
    this.nesterov = nesterov;
  }

  /** Momentum in [0, 1). */
  public SGD momentum(double momentum) {
    Checks.inRangeExclusive("SGD", "momentum", momentum, 0, 1);
    return new SGD(learningRate, momentum, nesterov);
  }

  public SGD nesterov(boolean nesterov) {
    return new SGD(learningRate, momentum, nesterov);
  }

  public double momentum() {
    return momentum;
  }

  public boolean nesterov() {
    return nesterov;
  }

  @Override
  public String name() {
    return "SGD";
  }

  @Override
  public double learningRate() {
    return learningRate;
  }

  @Override
  public Op applyGradients(OptimizerContext ctx, List<Variable<TFloat32>> vars,
      List<Operand<TFloat32>> grads) {
    var tf = ctx.tf();
    if (momentum == 0 && !nesterov) {
      return Updates.group(ctx, vars, grads,
          (v, g) -> tf.train.applyGradientDescent(v, ctx.learningRate(), g));
    }
    Operand<TFloat32> m = tf.constant((float) momentum);
    return Updates.group(ctx, vars, grads, (v, g) -> tf.train.applyMomentum(v,
        ctx.slot(v, "momentum", 0f), ctx.learningRate(), g, m,
        ApplyMomentum.useNesterov(nesterov)));
  }

  /** Keras's config: learning_rate, momentum, nesterov. */
  @Override
  public Config config() {
    return Config.builder().put("learning_rate", learningRate).put("momentum", momentum)
        .put("nesterov", nesterov).build();
  }

  /** Rebuilds an SGD from {@link #config()}; missing keys take the defaults. */
  public static SGD fromConfig(Config c) {
    SGD d = new SGD(c.getDouble("learning_rate", new SGD().learningRate));
    return d.momentum(c.getDouble("momentum", d.momentum))
        .nesterov(c.getBoolean("nesterov", d.nesterov));
  }

  @Override
  public String toString() {
    return "SGD(" + Updates.lr(learningRate) + (momentum == 0 ? "" : ", momentum=" + momentum)
        + (nesterov ? ", nesterov=true" : "") + ")";
  }
}
