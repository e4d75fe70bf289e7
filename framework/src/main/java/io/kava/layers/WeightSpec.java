package io.kava.layers;

import org.tensorflow.ndarray.Shape;

/**
 * A weight a layer asks the model to create: its name within the layer ({@code kernel},
 * {@code bias}), shape, initializer, whether the optimizer trains it, and an optional
 * regularizer whose penalty is added to the loss.
 *
 * @param name the weight's name inside its layer, e.g. {@code kernel}
 * @param shape the full shape of the weight
 * @param initializer how fresh weights are drawn
 * @param trainable whether the optimizer updates it (false for moving statistics)
 * @param regularizer penalty added to the training loss, or {@code null}
 *
 * <pre>{@code
 * jshell> WeightSpec.trainable("scale", Shape.of(10), Initializer.ones(), null)
 * }</pre>
 */
public record WeightSpec(String name, Shape shape, Initializer initializer, boolean trainable,
    Regularizer regularizer) {

  /** A trainable weight without regularizer. */
  public static WeightSpec trainable(String name, Shape shape, Initializer init,
      Regularizer regularizer) {
    return new WeightSpec(name, shape, init, true, regularizer);
  }

  /** A weight the optimizer never touches (e.g. batch normalization's moving mean). */
  public static WeightSpec nonTrainable(String name, Shape shape, Initializer init) {
    return new WeightSpec(name, shape, init, false, null);
  }

  /** Number of scalars in this weight. */
  public long size() {
    return shape.size();
  }
}
