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

  /** True if larger values of {@code monitor} are better under this mode. */
  boolean maximizes(String monitor) {
    if (this == AUTO) {
      String m = monitor.toLowerCase(java.util.Locale.ROOT);
      return m.endsWith("accuracy") || m.endsWith("acc") || m.endsWith("auc");
    }
    return this == MAX;
  }
}
