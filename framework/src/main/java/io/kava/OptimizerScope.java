package io.kava;

import io.kava.optimizers.OptimizerContext;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * The {@link OptimizerContext} a model hands its optimizer: ops that run after every
 * gradient is ready, the learning rate and step counter, and slot variables whose
 * initializers the model runs when it draws fresh weights.
 */
final class OptimizerScope implements OptimizerContext {
  private final Ops root;
  private final Ops scoped;
  private final Operand<TFloat32> lr;
  private final Operand<TInt64> steps;
  private final List<Op> slotInits;
  private final OptimizerSlots slots;

  /** Slot initializers are added to {@code slotInits}, the slots to {@code slots}. */
  OptimizerScope(Ops root, Ops scoped, Variable<TFloat32> learningRate,
      Variable<TInt64> iterations, List<Op> slotInits, OptimizerSlots slots) {
    this.root = root;
    this.scoped = scoped;
    this.lr = root.identity(learningRate);
    this.steps = root.identity(iterations);
    this.slotInits = slotInits;
    this.slots = slots;
  }

  @Override
  public Ops tf() {
    return scoped;
  }

  @Override
  public Operand<TFloat32> learningRate() {
    return lr;
  }

  @Override
  public Operand<TInt64> iterations() {
    return steps;
  }

  @Override
  public Variable<TFloat32> slot(Variable<TFloat32> weight, String slotName, float init) {
    String base = weight.op().name();
    Ops scope = root.withSubScope("optimizer");
    Variable<TFloat32> v = scope.withName(base.replace('/', '_') + "_" + slotName)
        .variable(weight.shape(), TFloat32.class);
    slotInits.add(scope.assign(v, root.fill(root.constant(weight.shape().asArray()),
        root.constant(init))));
    slots.add(scope, weight, slotName, v);
    return v;
  }
}
