package io.kava.models;

import io.kava.internal.Checks;
import io.kava.layers.Input;
import org.tensorflow.ndarray.Shape;

/** Argument checks the zoo's architectures share, with Keras's limits. */
final class Zoo {
  private Zoo() {}

  static void checkClasses(String model, int numClasses) {
    if (numClasses < 1) {
      throw new IllegalArgumentException(model + ": numClasses must be >= 1; got " + numClasses
          + ".");
    }
  }

  /**
   * An image input {@code (h, w, c)} of at least {@code min} pixels a side (Keras's
   * applications refuse smaller ones).
   */
  static void checkImage(String model, Input input, int min) {
    if (input == null) {
      throw new IllegalArgumentException(model + ": input must be an Input.of(height, width,"
          + " channels); got null.");
    }
    Shape s = input.shape();
    if (s.numDimensions() != 3 || s.get(0) < min || s.get(1) < min) {
      throw new IllegalArgumentException(model + ": input must be an image of at least " + min
          + "x" + min + " pixels (height, width, channels); got " + Checks.shape(s) + ".");
    }
  }
}
