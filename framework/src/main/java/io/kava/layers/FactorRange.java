package io.kava.layers;

import io.kava.internal.Checks;
import io.kava.saving.Config;
import java.util.List;

/**
 * A random augmentation's range {@code [lower, upper]}, as Keras reads a factor: one number
 * {@code f} is {@code [-|f|, |f|]}, a pair is sorted; every bound lies in [-1, 1].
 */
record FactorRange(double lower, double upper) {

  /** {@code [-|factor|, |factor|]}. */
  static FactorRange symmetric(String subject, String what, double factor) {
    check(subject, what, factor);
    return new FactorRange(-Math.abs(factor), Math.abs(factor));
  }

  /** {@code [min, max]} of the two bounds. */
  static FactorRange of(String subject, String what, double a, double b) {
    check(subject, what, a);
    check(subject, what, b);
    return new FactorRange(Math.min(a, b), Math.max(a, b));
  }

  private static void check(String subject, String what, double v) {
    if (!(v >= -1 && v <= 1)) {
      throw Checks.invalid(subject, what, "in [-1, 1]", v, null);
    }
  }

  boolean isSymmetric() {
    return lower == -upper;
  }

  /** Keras's config form: the number when symmetric, else {@code [lower, upper]}. */
  Object configValue() {
    return isSymmetric() ? (Object) upper : new double[] {lower, upper};
  }

  /** The range a config value describes: a number or a pair. */
  static FactorRange read(String subject, String what, Config c, String key) {
    Object v = c.get(key);
    if (v instanceof Number n) {
      return symmetric(subject, what, n.doubleValue());
    }
    if (v instanceof List<?> l && l.size() == 2 && l.get(0) instanceof Number a
        && l.get(1) instanceof Number b) {
      return of(subject, what, a.doubleValue(), b.doubleValue());
    }
    throw Checks.invalid(subject, "config " + key, "a number or a pair of numbers", v, null);
  }

  /** {@code 0.2} when symmetric, else {@code (-0.3, 0.1)}. */
  @Override
  public String toString() {
    return isSymmetric() ? Double.toString(upper) : "(" + lower + ", " + upper + ")";
  }
}
