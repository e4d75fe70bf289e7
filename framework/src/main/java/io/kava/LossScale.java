package io.kava;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.SwitchCond;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Keras's dynamic loss scaling (LossScaleOptimizer) in a model's training graph, for
 * float16 compute: the loss is multiplied by the scale before backprop so that small gradients
 * do not flush to zero, the gradients are divided back, and the optimizer's update runs only
 * when every gradient is finite; the scale starts at 2^15, halves on overflow and doubles after
 * {@link #GROWTH_INTERVAL} finite steps in a row.
 */
final class LossScale {
  /** Keras's LossScaleOptimizer: initial scale 2^15, doubled after 2,000 finite steps. */
  static final float INITIAL = 32768f;
  static final long GROWTH_INTERVAL = 2000;

  private final Ops tf;
  private final ScalarVariable<TFloat32> scale;
  private final ScalarVariable<TInt64> goodSteps;

  LossScale(Ops tf) {
    this.tf = tf;
    scale = new ScalarVariable<>(tf, "loss_scale", TFloat32.class);
    goodSteps = new ScalarVariable<>(tf, "loss_scale_good_steps", TInt64.class);
  }

  /** The scale, read once per step. */
  Operand<TFloat32> read() {
    return tf.identity(scale.variable);
  }

  /**
   * The optimizer's update, applied only when every gradient is finite (a Switch on that
   * predicate, so on overflow the Apply ops never run and the weights and optimizer slots stay
   * as they were), and the scale's own update. {@code apply} builds the optimizer's update
   * from the (gated) gradients; {@code after} orders the assignments after the gradients.
   */
  List<Op> gatedUpdate(Ops after, List<Operand<TFloat32>> grads, Operand<TFloat32> current,
      Function<List<Operand<TFloat32>>, Op> apply) {
    List<Operand<TBool>> checks = new ArrayList<>();
    for (Operand<TFloat32> g : grads) {
      int[] axes = java.util.stream.IntStream.range(0, g.shape().numDimensions()).toArray();
      checks.add(tf.reduceAll(tf.math.isFinite(g), tf.constant(axes)));
    }
    Operand<TBool> finite = tf.withName("gradients_finite").reduceAll(tf.stack(checks),
        tf.constant(new int[] {0}));
    List<Operand<TFloat32>> gated = new ArrayList<>();
    grads.forEach(g -> gated.add(tf.switchCond(g, finite).outputTrue()));
    Op applied = apply.apply(gated);
    // A Merge of the applied branch and the skipped branch is alive either way, so the
    // step's later ops (the step counter) run whether or not the update did.
    SwitchCond<TFloat32> branch = tf.switchCond(tf.constant(0f), finite);
    Operand<TFloat32> appliedBranch = tf.withControlDependencies(List.of(applied))
        .identity(branch.outputTrue());
    Op done = tf.merge(List.of(appliedBranch, tf.identity(branch.outputFalse())));

    Operand<TInt64> good = tf.math.add(tf.identity(goodSteps.variable), tf.constant(1L));
    Operand<TBool> grow = tf.math.greaterEqual(good, tf.constant(GROWTH_INTERVAL));
    Operand<TFloat32> newScale = tf.select(finite,
        tf.select(grow, tf.math.mul(current, tf.constant(2f)), current),
        tf.math.div(current, tf.constant(2f)));
    Operand<TInt64> newGood = tf.select(finite, tf.select(grow, tf.constant(0L), good),
        tf.constant(0L));
    return List.of(done, after.assign(scale.variable, newScale),
        after.assign(goodSteps.variable, newGood));
  }

  /** Back to the initial scale and no finite steps yet. */
  void reset(Session session) {
    try (TFloat32 s = TFloat32.scalarOf(INITIAL); TInt64 n = TInt64.scalarOf(0)) {
      scale.set(session, s);
      goodSteps.set(session, n);
    }
  }

  /** The current scale. */
  double value(Session session) {
    try (Result r = scale.get(session)) {
      return ((TFloat32) r.get(0)).getFloat();
    }
  }

  @Override
  public String toString() {
    return "LossScale(initial " + INITIAL + ", growth every " + GROWTH_INTERVAL + " steps)";
  }
}
