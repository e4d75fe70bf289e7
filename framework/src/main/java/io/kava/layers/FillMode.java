package io.kava.layers;

import java.util.Locale;

/**
 * How the warping augmentation layers ({@link RandomRotation}, {@link RandomZoom},
 * {@link RandomTranslation}) fill points that fall outside the input image, as in Keras.
 *
 * <pre>{@code
 * jshell> RandomRotation.of(0.1).fillMode(FillMode.CONSTANT).fillValue(0.5)
 * }</pre>
 */
public enum FillMode {
  /** {@code (d c b a | a b c d | d c b a)}: mirrored about the edge. Keras's default. */
  REFLECT,
  /** {@code (a b c d | a b c d | a b c d)}: wrapped around to the opposite edge. */
  WRAP,
  /** {@code (k k k k | a b c d | k k k k)}: the fill value. */
  CONSTANT,
  /** {@code (a a a a | a b c d | d d d d)}: the nearest edge pixel. */
  NEAREST;

  /** Keras's string form: {@code "reflect"}, {@code "wrap"}, {@code "constant"}... */
  public String kerasName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses Keras's string form, case-insensitively. */
  public static FillMode of(String keras) {
    for (FillMode m : values()) {
      if (m.name().equalsIgnoreCase(keras)) {
        return m;
      }
    }
    throw new IllegalArgumentException("FillMode: must be 'reflect', 'wrap', 'constant' or"
        + " 'nearest'; got '" + keras + "'.");
  }
}
