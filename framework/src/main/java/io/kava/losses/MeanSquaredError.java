package io.kava.losses;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Mean squared error, Keras's {@code mean_squared_error}: per sample the mean over the last
 * axis of {@code (y - p)^2}, averaged over the batch.
 *
 * <p>Labels: the output's shape.
 *
 * <pre>{@code
 * jshell> model.compile(new SGD(0.1), new MeanSquaredError())
 * }</pre>
 */
public final class MeanSquaredError implements Loss {

  @Override
  public String name() {
    return "mean_squared_error";
  }

  @Override
  public Shape labelShape(Shape outputShape) {
    return outputShape;
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> labels, Predictions p) {
    return Losses.mean(tf, tf.math.mean(tf.math.squaredDifference(p.values(), labels),
        Losses.lastAxis(tf)));
  }

  @Override
  public String toString() {
    return "MeanSquaredError()";
  }
}
