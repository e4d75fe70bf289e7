package io.kava.layers;

import io.kava.internal.Checks;
import io.kava.saving.Config;

/**
 * The options {@link RandomRotation}, {@link RandomZoom} and {@link RandomTranslation} share:
 * how points outside the image are filled and how pixels are interpolated, with their config
 * and description under Keras's names. Defaults as Keras: reflect, bilinear, fill value 0.
 */
record WarpOptions(FillMode fillMode, Interpolation interpolation, double fillValue) {

  static final WarpOptions DEFAULTS = new WarpOptions(FillMode.REFLECT, Interpolation.BILINEAR,
      0);

  WarpOptions fillMode(String subject, FillMode mode) {
    return new WarpOptions(Checks.notNull(subject, "fill mode", mode), interpolation, fillValue);
  }

  WarpOptions interpolation(String subject, Interpolation i) {
    return new WarpOptions(fillMode, Checks.notNull(subject, "interpolation", i), fillValue);
  }

  WarpOptions fillValue(String subject, double value) {
    if (!Double.isFinite(value)) {
      throw Checks.invalid(subject, "fill value", "a finite number", value, null);
    }
    return new WarpOptions(fillMode, interpolation, value);
  }

  /** Adds fill_mode, interpolation and fill_value to {@code b}. */
  Config.Builder config(Config.Builder b) {
    return b.put("fill_mode", fillMode.kerasName()).put("interpolation",
        interpolation.kerasName()).put("fill_value", fillValue);
  }

  /** The options of config {@code c}; missing keys take Keras's defaults. */
  static WarpOptions read(String subject, Config c) {
    return DEFAULTS.fillMode(subject, FillMode.of(c.getString("fill_mode", "reflect")))
        .interpolation(subject, Interpolation.of(c.getString("interpolation", "bilinear")))
        .fillValue(subject, c.getDouble("fill_value", 0));
  }

  /** The non-default options, each as {@code ", key=value"}. */
  String describe() {
    StringBuilder b = new StringBuilder();
    if (fillMode != FillMode.REFLECT) {
      b.append(", fill_mode=").append(fillMode.kerasName());
    }
    if (interpolation != Interpolation.BILINEAR) {
      b.append(", interpolation=").append(interpolation.kerasName());
    }
    if (fillValue != 0) {
      b.append(", fill_value=").append(fillValue);
    }
    return b.toString();
  }
}
