package io.kava.layers;

/**
 * How convolution and pooling windows treat the border, as in Keras.
 *
 * <pre>{@code
 * jshell> Conv2D.of(32, 3).padding(Padding.SAME)
 * }</pre>
 */
public enum Padding {
  /** No padding: the output shrinks to {@code floor((in - k) / s) + 1}. Keras's default. */
  VALID,
  /** Zero padding so that the output size is {@code ceil(in / s)}. */
  SAME;

  /** Keras's string form, {@code "valid"} or {@code "same"}. */
  public String kerasName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** Parses Keras's string form ({@code "valid"}, {@code "same"}), case-insensitively. */
  public static Padding of(String keras) {
    for (Padding p : values()) {
      if (p.name().equalsIgnoreCase(keras)) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "Padding: must be 'valid' or 'same'; got '" + keras + "'.");
  }

  long outputSize(long in, int window, int stride) {
    if (in < 0) {
      return -1;
    }
    // floorDiv: a window larger than the input gives 0 (plain division truncates -1/2 to 0).
    return this == SAME ? (in + stride - 1) / stride : Math.floorDiv(in - window, stride) + 1;
  }
}
