package io.kava.layers;

import io.kava.internal.Checks;
import java.util.List;
import org.tensorflow.ndarray.Shape;

/** A 2-D sliding window (size, strides, padding): the geometry convolution and pooling share. */
record Window(int height, int width, int strideH, int strideW, Padding padding) {

  static Window of(String subject, int h, int w, int sh, int sw, Padding padding) {
    if (h <= 0 || w <= 0) {
      throw Checks.invalid(subject, "window size", "> 0", new int[] {h, w}, null);
    }
    if (sh <= 0 || sw <= 0) {
      throw Checks.invalid(subject, "strides", "> 0", new int[] {sh, sw}, null);
    }
    return new Window(h, w, sh, sw, Checks.notNull(subject, "padding", padding));
  }

  /** Output (h, w) for an NHWC sample {@code (h, w, c)}; fails if the window does not fit. */
  long[] outputSize(String subject, Shape input) {
    Images.requireImage(subject, input);
    long oh = padding.outputSize(input.get(0), height, strideH);
    long ow = padding.outputSize(input.get(1), width, strideW);
    if (oh <= 0 || ow <= 0) {
      throw new IllegalArgumentException(subject + ": window " + height + "x" + width
          + " must fit in the input; got input " + Checks.shape(input)
          + " with padding " + padding.kerasName() + ". Use Padding.SAME or a smaller window.");
    }
    return new long[] {oh, ow};
  }

  List<Long> ksize() {
    return List.of(1L, (long) height, (long) width, 1L);
  }

  List<Long> strides() {
    return List.of(1L, (long) strideH, (long) strideW, 1L);
  }

  String paddingName() {
    return padding.name();
  }

  String describe(String sizeName) {
    StringBuilder b = new StringBuilder(sizeName).append('=').append(pair(height, width));
    if (strideH != height || strideW != width || "kernel_size".equals(sizeName)) {
      b.append(", strides=").append(pair(strideH, strideW));
    }
    if (padding != Padding.VALID) {
      b.append(", padding=").append(padding.kerasName());
    }
    return b.toString();
  }

  private static String pair(int a, int b) {
    return "(" + a + ", " + b + ")";
  }
}
