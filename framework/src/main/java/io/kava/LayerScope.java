package io.kava;

import io.kava.layers.Activation;
import io.kava.layers.LayerContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TFloating;

/**
 * The {@link LayerContext} of one pass through the model while its graph is built: the
 * training or the inference path. It hands each layer its own weights, collects the layers'
 * update ops and remembers the last activation, so the loss can use a softmax's logits.
 */
final class LayerScope implements LayerContext {
  private final Ops tf;
  private final boolean training;
  private final IntFunction<Operand<TInt64>> seeds;
  private final List<Op> updates = new ArrayList<>();
  private final Map<String, Operand<TFloat32>> reads = new HashMap<>();
  private Map<String, ModelGraph.Weight> own;
  private int step;
  private boolean frozen;
  private Class<? extends TFloating> computeType = TFloat32.class;
  private Operand<TFloat32> activated;
  private Operand<TFloat32> preActivation;
  private Activation activation;

  /** {@code seeds} gives the per-step random seed of the layer applied at a topology step. */
  LayerScope(Ops tf, boolean training, IntFunction<Operand<TInt64>> seeds) {
    this.tf = tf;
    this.training = training;
    this.seeds = seeds;
  }

  /**
   * Starts topology step {@code step}, whose layer owns {@code ownWeights} and computes in
   * {@code computeType} (its weight reads are cast to it: Keras's autocast).
   */
  void begin(int step, Map<String, ModelGraph.Weight> ownWeights, boolean frozen,
      Class<? extends TFloating> computeType) {
    this.step = step;
    this.frozen = frozen;
    this.computeType = computeType;
    own = ownWeights;
    reads.clear();
    activated = null;
  }

  /** The update ops layers registered on this path (moving averages). */
  List<Op> updates() {
    return updates;
  }

  /** The pre-activation of {@code output} if the current layer produced it by activating. */
  Operand<TFloat32> preActivationOf(Operand<TFloat32> output) {
    return activated == output ? preActivation : null;
  }

  /** The activation that produced {@code output}, or LINEAR. */
  Activation activationOf(Operand<TFloat32> output) {
    return activated == output ? activation : Activation.LINEAR;
  }

  @Override
  public Ops tf() {
    return tf;
  }

  @Override
  public boolean training() {
    return training;
  }

  @Override
  public boolean trainable() {
    return !frozen;
  }

  @Override
  public Operand<TFloat32> weight(String name) {
    return reads.computeIfAbsent(name, n -> Autocast.to(tf, tf.identity(variable(n)),
        computeType));
  }

  @Override
  public Variable<TFloat32> variable(String name) {
    ModelGraph.Weight w = own.get(name);
    if (w == null) {
      throw new IllegalStateException("Layer asked for weight '" + name
          + "' it did not declare; declared: " + own.keySet());
    }
    return w.variable();
  }

  @Override
  public void addUpdate(Op update) {
    updates.add(update);
  }

  @Override
  public Operand<TInt64> randomSeed() {
    return seeds.apply(step);
  }

  @Override
  public Operand<TFloat32> activate(Activation a, Operand<TFloat32> z) {
    Operand<TFloat32> out = a.apply(tf, z);
    if (!a.equals(Activation.LINEAR)) {
      activated = out;
      preActivation = z;
      activation = a;
    }
    return out;
  }
}
