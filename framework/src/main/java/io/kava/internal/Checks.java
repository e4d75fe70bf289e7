package io.kava.internal;

import java.util.Arrays;
import org.tensorflow.ndarray.Shape;

/**
 * Argument checks that produce Kava's one message shape:
 * {@code <Type> '<name>': <what> must be <expectation>; got <value>. <hint>}.
 * Not part of the public API.
 *
 * <pre>{@code
 * jshell> Checks.positive("Dense", "units", 0)
 * |  Exception java.lang.IllegalArgumentException: Dense: units must be > 0; got 0.
 * }</pre>
 */
public final class Checks {
  private Checks() {}

  /** {@code "Conv2D 'conv1'"}, or just {@code "Conv2D"} while the object has no name yet. */
  public static String subject(String type, String name) {
    return name == null ? type : type + " '" + name + "'";
  }

  public static IllegalArgumentException invalid(String subject, String what, String expectation,
      Object got, String hint) {
    String msg = subject + ": " + what + " must be " + expectation + "; got " + show(got) + ".";
    return new IllegalArgumentException(hint == null || hint.isEmpty() ? msg : msg + " " + hint);
  }

  public static int positive(String subject, String what, int value) {
    if (value <= 0) {
      throw invalid(subject, what, "> 0", value, null);
    }
    return value;
  }

  public static int nonNegative(String subject, String what, int value) {
    if (value < 0) {
      throw invalid(subject, what, ">= 0", value, null);
    }
    return value;
  }

  public static double positive(String subject, String what, double value) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw invalid(subject, what, "a finite number > 0", value, null);
    }
    return value;
  }

  public static double nonNegative(String subject, String what, double value) {
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw invalid(subject, what, "a finite number >= 0", value, null);
    }
    return value;
  }

  /** Checks {@code lo <= value < hi}. */
  public static double inRangeExclusive(String subject, String what, double value, double lo,
      double hi) {
    if (!(value >= lo && value < hi)) {
      throw invalid(subject, what, "in [" + lo + ", " + hi + ")", value, null);
    }
    return value;
  }

  public static <T> T notNull(String subject, String what, T value) {
    if (value == null) {
      throw invalid(subject, what, "non-null", null, null);
    }
    return value;
  }

  public static String name(String subject, String name) {
    if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9_.\\-]*")) {
      throw invalid(subject, "name", "letters, digits, '_', '.' or '-' (not starting with a"
          + " symbol)", name == null ? null : "'" + name + "'", null);
    }
    return name;
  }

  /** Keras's shape notation with the batch dimension: {@code (None, 26, 26, 32)}. */
  public static String batchShape(Shape sample) {
    if (sample == null) {
      return "?";
    }
    StringBuilder b = new StringBuilder("(None");
    for (long d : sample.asArray()) {
      b.append(", ").append(d < 0 ? "None" : Long.toString(d));
    }
    return b.append(')').toString();
  }

  /** A per-sample shape without the batch dimension: {@code (28, 28, 1)}. */
  public static String shape(Shape s) {
    long[] dims = s.asArray();
    if (dims.length == 1) {
      return "(" + dims[0] + ",)";
    }
    String a = Arrays.toString(dims);
    return "(" + a.substring(1, a.length() - 1) + ")";
  }

  private static String show(Object got) {
    if (got instanceof int[] a) {
      return Arrays.toString(a);
    }
    if (got instanceof long[] a) {
      return Arrays.toString(a);
    }
    return String.valueOf(got);
  }
}
