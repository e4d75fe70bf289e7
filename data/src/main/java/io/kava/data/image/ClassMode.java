package io.kava.data.image;

/**
 * The labels {@code flowFromDirectory} yields, as Keras's {@code class_mode}.
 *
 * <pre>{@code
 * jshell> FlowOptions.defaults().classMode(ClassMode.SPARSE)
 * }</pre>
 */
public enum ClassMode {
  /** One-hot float labels {@code [n, classes]}. Keras's default. */
  CATEGORICAL,
  /** The class index (0 or 1) as a float {@code [n]}, as Keras. */
  BINARY,
  /** The class index as a float {@code [n]}. */
  SPARSE,
  /** The images themselves (autoencoders). */
  INPUT,
  /** No labels (prediction). */
  NONE
}
