package io.kava.callbacks;

/**
 * Whether a monitored quantity should go down or up, as Keras's {@code mode}.
 * {@link #AUTO} means MAX for accuracy-like names ({@code accuracy}, {@code auc}) and MIN
 * otherwise.
 *
 * <pre>{@code
 * jshell> new EarlyStopping().monitor("val_auc").mode(Mode.MAX)
 * }</pre>
 */
public enum Mode {
  AUTO, MIN, MAX;

  /** Keras's name of the mode in a config: {@code auto}, {@code min}, {@code max}. */
  String configName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** The mode Keras names {@code name} ({@code auto}, {@code min} or {@code max}). */
  static Mode fromConfigName(String owner, String name) {
    for (Mode m : values()) {
      if (m.configName().equals(name)) {
        return m;
      }
    }
    throw io.kava.internal.Checks.invalid(owner, "mode", "one of auto, min, max", name, null);
  }

  /** True if larger values of {@code monitor} are better under this mode. */
  boolean maximizes(String monitor) {
    if (this == AUTO) {
      String m = monitor.toLowerCase(java.util.Locale.ROOT);
      return m.endsWith("accuracy") || m.endsWith("acc") || m.endsWith("auc");
    }
    return this == MAX;
  }
}
