package io.kava.models;

/** Argument checks the zoo's architectures share, with Keras's limits. */
final class Zoo {
  private Zoo() {}

  static void checkClasses(String model, int numClasses) {
    if (numClasses < 1) {
      throw new IllegalArgumentException(model + ": numClasses must be >= 1; got " + numClasses
          + ".");
    }
  }

  /** Keras's applications refuse inputs smaller than {@code min} pixels a side. */
  static void checkSize(String model, int height, int width, int min) {
    if (height < min || width < min) {
      throw new IllegalArgumentException(model + ": input size must be at least " + min + "x"
          + min + "; got " + height + "x" + width + ".");
    }
  }
}
