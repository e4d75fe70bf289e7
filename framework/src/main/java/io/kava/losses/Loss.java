package io.kava.losses;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A training objective: the mean over the batch of a per-sample loss, Keras's default
 * {@code sum_over_batch_size} reduction.
 *
 * <pre>{@code
 * jshell> model.compile(new Adam(), new CategoricalCrossentropy(), new Accuracy())
 * }</pre>
 */
public interface Loss {

  /** Keras's name: {@code categorical_crossentropy}. */
  String name();

  /** The per-sample label shape this loss expects for a model output shape. */
  Shape labelShape(Shape outputShape);

  /**
   * Checks label values before training; throws {@link IllegalArgumentException} naming the
   * first bad sample. {@code labels} has shape {@code [n, ...labelShape]}.
   */
  default void checkLabels(FloatNdArray labels, Shape outputShape) {}

  /**
   * Settings as Keras's {@code get_config()}; the default is none (a class with a public
   * no-argument constructor then loads as it is).
   */
  default io.kava.saving.Config config() {
    return io.kava.saving.Config.EMPTY;
  }

  /** The scalar loss for a batch. */
  Operand<TFloat32> call(Ops tf, Operand<TFloat32> labels, Predictions predictions);
}
