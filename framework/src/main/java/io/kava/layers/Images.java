package io.kava.layers;

import io.kava.internal.Checks;
import org.tensorflow.ndarray.Shape;

/** What the image layers share: per-sample inputs are NHWC images {@code (h, w, c)}. */
final class Images {
  private Images() {}

  /** Fails, naming the layer and the shape, unless {@code input} is {@code (h, w, c)}. */
  static void requireImage(String subject, Shape input) {
    if (input.numDimensions() != 3) {
      throw new IllegalArgumentException(subject + ": input must have rank 3 (height, width,"
          + " channels) per sample; got shape " + Checks.shape(input)
          + ". Images are NHWC: use Input.of(h, w, c).");
    }
  }
}
