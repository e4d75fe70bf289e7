package io.kava.metrics;

import io.kava.losses.Loss;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A quantity reported during training and evaluation. Each metric adds the op computing its
 * batch mean; the model averages batches weighted by their size, so epoch figures are exact
 * means over samples, as in Keras.
 *
 * <pre>{@code
 * jshell> model.compile(new Adam(), new CategoricalCrossentropy(), new Accuracy())
 * }</pre>
 */
public interface Metric {

  /** The key in logs and {@code History}: {@code accuracy}. */
  String name();

  /**
   * Settings as Keras's {@code get_config()}; the default is none (a class with a public
   * no-argument constructor then loads as it is).
   */
  default io.kava.saving.Config config() {
    return io.kava.saving.Config.EMPTY;
  }

  /**
   * The batch mean of this metric. {@code loss} and {@code outputShape} (per sample) let a
   * metric resolve the label format, as Keras's {@code "accuracy"} does.
   */
  Operand<TFloat32> call(Ops tf, Operand<TFloat32> labels, Operand<TFloat32> predictions,
      Loss loss, Shape outputShape);
}
