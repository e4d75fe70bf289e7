package io.kava.losses;

import io.kava.layers.Activation;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * The model's output as a loss sees it: the values, and, when the last op was a softmax or
 * sigmoid, the logits before it, so cross-entropies can use the numerically stable form.
 *
 * @param values the model's output, {@code [batch, ...]}
 * @param logits the input of the final activation, or {@code null} if there was none
 * @param activation the final activation ({@link Activation#LINEAR} if none)
 *
 * <pre>{@code
 * jshell> // inside a custom Loss: use the stable form when the model ends in softmax
 * jshell> Operand<TFloat32> logits = predictions.logitsOf(Activation.SOFTMAX)
 * }</pre>
 */
public record Predictions(Operand<TFloat32> values, Operand<TFloat32> logits,
    Activation activation) {

  /** Logits of a final {@code activation}, or null. */
  public Operand<TFloat32> logitsOf(Activation expected) {
    return logits != null && activation.equals(expected) ? logits : null;
  }
}
