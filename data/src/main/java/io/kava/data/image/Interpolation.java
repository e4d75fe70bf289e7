package io.kava.data.image;

/**
 * How images are resampled when resized ({@code flowFromDirectory}'s target size) or warped
 * (random transforms: NEAREST or BILINEAR, Keras's interpolation order 0 or 1).
 *
 * <pre>{@code
 * jshell> FlowOptions.defaults().targetSize(227, 227).interpolation(Interpolation.BICUBIC)
 * }</pre>
 */
public enum Interpolation {
  NEAREST, BILINEAR, BICUBIC
}
