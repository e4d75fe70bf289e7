package io.kava.data.image;

/**
 * Channels images are decoded to, as Keras's {@code color_mode}.
 *
 * <pre>{@code
 * jshell> FlowOptions.defaults().colorMode(ColorMode.GRAYSCALE)
 * }</pre>
 */
public enum ColorMode {
  GRAYSCALE(1), RGB(3), RGBA(4);

  private final int channels;

  ColorMode(int channels) {
    this.channels = channels;
  }

  public int channels() {
    return channels;
  }
}
