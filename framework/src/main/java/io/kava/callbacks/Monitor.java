package io.kava.callbacks;

import io.kava.internal.Checks;
import java.util.Map;

/** A monitored log value with its direction and minimum improvement (shared by callbacks). */
final class Monitor {
  private final String owner;
  private final String key;
  private final boolean maximize;
  private final double minDelta;
  private boolean warned;

  Monitor(String owner, String key, Mode mode, double minDelta) {
    key(owner, key);
    Checks.notNull(owner, "mode", mode);
    this.owner = owner;
    this.key = key;
    this.maximize = mode.maximizes(key);
    this.minDelta = Math.abs(Checks.nonNegative(owner, "min delta", minDelta));
  }

  /** Checks a monitor setting where it is given. */
  static String key(String owner, String key) {
    if (key == null || key.isBlank()) {
      throw Checks.invalid(owner, "monitor", "a log key such as 'val_loss'", key, null);
    }
    return key;
  }

  String key() {
    return key;
  }

  /** The worst possible value, to start a search for the best. */
  double worst() {
    return maximize ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
  }

  /** Whether {@code current} beats {@code reference} by more than min delta. */
  boolean improves(double current, double reference) {
    return maximize ? current - minDelta > reference : current + minDelta < reference;
  }

  /**
   * The value in {@code logs}, or null, with a one-time warning to {@code out} (as Keras)
   * naming the callback, the missing key and the keys there are.
   */
  Double read(Map<String, Double> logs, java.io.PrintStream out) {
    Double v = logs.get(key);
    if (v == null && !warned) {
      warned = true;
      out.println("WARNING: " + owner + " monitors '" + key + "', which is not in the logs;"
          + " skipping. Available keys: " + logs.keySet() + ".");
    }
    return v;
  }

  @Override
  public String toString() {
    return key + (maximize ? " (max)" : " (min)");
  }
}
