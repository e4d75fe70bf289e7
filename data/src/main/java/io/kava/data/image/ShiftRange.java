package io.kava.data.image;

import java.util.SplittableRandom;

/**
 * Keras's shift-range forms: a float below 1 is a fraction of the size, U(-r, r) * size; a
 * float of 1 or more is pixels, U(-r, r); an int N draws an integer in {-(N-1) .. N-1}; a
 * list draws one of its values times a random sign.
 */
record ShiftRange(Kind kind, double range, double[] choices) {
  enum Kind { NONE, FLOAT, INTEGER, CHOICES }

  static final ShiftRange NONE = new ShiftRange(Kind.NONE, 0, null);

  static ShiftRange ofFloat(String option, double r) {
    if (!(r >= 0) || Double.isInfinite(r)) {
      throw new IllegalArgumentException("ImageDataGenerator: " + option + " must be a finite"
          + " number >= 0; got " + r + ".");
    }
    return r == 0 ? NONE : new ShiftRange(Kind.FLOAT, r, null);
  }

  static ShiftRange ofInt(String option, int n) {
    if (n < 0) {
      throw new IllegalArgumentException("ImageDataGenerator: " + option + " must be >= 0;"
          + " got " + n + ".");
    }
    return n <= 1 ? NONE : new ShiftRange(Kind.INTEGER, n, null);
  }

  static ShiftRange ofChoices(String option, double[] values) {
    if (values == null || values.length == 0) {
      throw new IllegalArgumentException("ImageDataGenerator: " + option + " choices must hold"
          + " at least one value; got none.");
    }
    return new ShiftRange(Kind.CHOICES, 0, values.clone());
  }

  /** A shift in pixels for an axis of {@code size} pixels. */
  double draw(SplittableRandom r, int size) {
    return switch (kind) {
      case NONE -> 0;
      case FLOAT -> {
        double v = (2 * r.nextDouble() - 1) * range;
        yield range < 1 ? v * size : v;
      }
      case INTEGER -> r.nextInt(-(int) range + 1, (int) range);
      case CHOICES -> {
        double v = choices[r.nextInt(choices.length)] * (r.nextBoolean() ? 1 : -1);
        double max = 0;
        for (double c : choices) {
          max = Math.max(max, c);
        }
        yield max < 1 ? v * size : v;
      }
    };
  }

  @Override
  public String toString() {
    return switch (kind) {
      case NONE -> "0";
      case FLOAT -> Double.toString(range);
      case INTEGER -> Integer.toString((int) range);
      case CHOICES -> java.util.Arrays.toString(choices);
    };
  }
}
