package io.kava.optimizers;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * What an optimizer needs from the model while adding its update ops.
 *
 * <pre>{@code
 * jshell> // inside a custom Optimizer.applyGradients: plain SGD
 * jshell> tf.train.applyGradientDescent(var, ctx.learningRate(), grad)
 * }</pre>
 */
public interface OptimizerContext {

  Ops tf();

  /** The model's current learning rate (a variable callbacks can change). */
  Operand<TFloat32> learningRate();

  /** Training steps completed before this one (0 on the first step). */
  Operand<TInt64> iterations();

  /**
   * A slot variable for {@code weight} (Adam's {@code m}, momentum's accumulator), same shape,
   * every element {@code initialValue}; saved and restored with the model.
   */
  Variable<TFloat32> slot(Variable<TFloat32> weight, String slotName, float initialValue);
}
