package io.kava.layers;

import java.util.Locale;

/**
 * How image layers ({@link Resizing}, {@link RandomRotation}, {@link RandomZoom},
 * {@link RandomTranslation}) read a pixel between pixels, as in Keras.
 *
 * <pre>{@code
 * jshell> Resizing.of(224, 224).interpolation(Interpolation.NEAREST)
 * }</pre>
 */
public enum Interpolation {
  /** Weighted mean of the four nearest pixels. Keras's default. */
  BILINEAR,
  /** The nearest pixel. */
  NEAREST;

  /** Keras's string form, {@code "bilinear"} or {@code "nearest"}. */
  public String kerasName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses Keras's string form, case-insensitively. */
  public static Interpolation of(String keras) {
    for (Interpolation i : values()) {
      if (i.name().equalsIgnoreCase(keras)) {
        return i;
      }
    }
    throw new IllegalArgumentException("Interpolation: must be 'bilinear' or 'nearest'; got '"
        + keras + "'.");
  }
}
