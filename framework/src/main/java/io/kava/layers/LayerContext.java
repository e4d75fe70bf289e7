package io.kava.layers;

import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * What a layer sees while the model builds its graph: the ops factory, whether this is the
 * training or the inference path, the layer's own weights, and a per-step random seed.
 * The model implements it; layers only call it.
 *
 * <pre>{@code
 * jshell> // a custom layer's call: y = x * scale
 * jshell> public Operand<TFloat32> call(LayerContext ctx, Operand<TFloat32> x) {
 *    ...>   return ctx.tf().math.mul(x, ctx.weight("scale")); }
 * }</pre>
 */
public interface LayerContext {

  /** The ops factory of the model's graph. */
  Ops tf();

  /** True on the training path (dropout active, batch statistics); false for inference. */
  boolean training();

  /**
   * False when the model froze this layer (Keras's {@code trainable = False}): its weights
   * are not trained, and layers with training-only state (BatchNormalization) behave as in
   * inference even on the training path, as in Keras 3.
   */
  default boolean trainable() {
    return true;
  }

  /** The current value of this layer's weight {@code name} (read, safe for any math). */
  Operand<TFloat32> weight(String name);

  /** This layer's weight {@code name} as a variable, for layers that assign to it. */
  Variable<TFloat32> variable(String name);

  /** Registers an op the training step must run (e.g. a moving-average update). */
  void addUpdate(Op update);

  /**
   * A {@code [2]} int64 seed for stateless random ops, different for every layer and every
   * training step and reproducible from the fit seed.
   */
  Operand<TInt64> randomSeed();

  /**
   * Applies {@code activation} to {@code preActivation}. Layers call this rather than
   * {@link Activation#apply} so the model can hand the loss the logits of a final softmax or
   * sigmoid (numerically stable cross-entropy).
   */
  Operand<TFloat32> activate(Activation activation, Operand<TFloat32> preActivation);
}
