package io.kava.tools;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * Draws images {@code [n, h, w, c]} in a captioned grid under a title: the picture behind
 * {@link Plots#imageGrid} and {@link Plots#augmented}. Package-private: use {@link Plots}.
 */
final class ImageGrid {
  /** Each image is drawn at about this many pixels on its longer side. */
  static final int CELL = 112;
  static final int PAD = 10;
  static final int CAPTION = 30;
  static final int TITLE = 46;
  static final Color WRONG = new Color(214, 39, 40);

  private ImageGrid() {}

  /**
   * {@code captions[i]} under image i; {@code wrong[i]} frames it and its caption in red.
   * {@code wrong} may be null; {@code footer} (may be null) is a line under the title.
   */
  static BufferedImage draw(FloatNdArray images, int n, String[] captions, boolean[] wrong,
      String title, String footer) {
    int h = (int) images.shape().get(1);
    int w = (int) images.shape().get(2);
    int c = (int) images.shape().get(3);
    double zoom = (double) CELL / Math.max(h, w);
    int dw = Math.max(1, (int) Math.round(w * zoom));
    int dh = Math.max(1, (int) Math.round(h * zoom));
    int cols = Math.max(1, (int) Math.ceil(Math.sqrt(n)));
    int rows = Math.max(1, (n + cols - 1) / cols);
    Font captionFont = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    int cellW = Math.max(Math.max(dw, 120), widest(captions, n, captionFont) + 6) + PAD;
    int cellH = dh + CAPTION + PAD;
    Font titleFont = new Font(Font.SANS_SERIF, Font.BOLD, 15);
    int width = Math.max(Math.max(cols * cellW + PAD, 420),
        widest(new String[] {title}, 1, titleFont) + 2 * PAD);
    int height = TITLE + (footer == null ? 0 : 18) + rows * cellH + PAD;
    BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING,
        RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, zoom >= 1
        ? RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR
        : RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, width, height);
    g.setColor(Color.BLACK);
    g.setFont(titleFont);
    centered(g, title, width / 2, 28);
    int top = TITLE;
    if (footer != null) {
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
      g.setColor(Color.DARK_GRAY);
      centered(g, footer, width / 2, TITLE - 2);
      top += 18;
    }
    float[] range = range(images, n, h * w * c);
    for (int i = 0; i < n; i++) {
      int x0 = PAD + (i % cols) * cellW + (cellW - PAD - dw) / 2;
      int y0 = top + (i / cols) * cellH;
      g.drawImage(picture(images, i, h, w, c, range), x0, y0, dw, dh, null);
      boolean bad = wrong != null && wrong[i];
      if (bad) {
        g.setColor(WRONG);
        g.setStroke(new BasicStroke(3));
        g.drawRect(x0 - 2, y0 - 2, dw + 3, dh + 3);
      }
      g.setColor(bad ? WRONG : Color.DARK_GRAY);
      g.setFont(bad ? captionFont.deriveFont(Font.BOLD) : captionFont);
      centered(g, captions[i], x0 + dw / 2, y0 + dh + 18);
    }
    g.dispose();
    return out;
  }

  /** The width of the longest caption, in bold (the wrong ones are drawn bold). */
  private static int widest(String[] captions, int n, Font font) {
    Graphics2D g = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
    FontMetrics m = g.getFontMetrics(font.deriveFont(Font.BOLD));
    int widest = 0;
    for (int i = 0; i < n; i++) {
      widest = Math.max(widest, m.stringWidth(captions[i]));
    }
    g.dispose();
    return widest;
  }

  private static void centered(Graphics2D g, String text, int cx, int baseline) {
    FontMetrics m = g.getFontMetrics();
    g.drawString(text, cx - m.stringWidth(text) / 2, baseline);
  }

  /**
   * How pixel values map to 0..255, from the values shown: {@code [scale, offset]}, or null
   * to stretch each image to its own range (standardized or mean-subtracted data).
   */
  private static float[] range(FloatNdArray images, int n, int per) {
    float lo = Float.POSITIVE_INFINITY;
    float hi = Float.NEGATIVE_INFINITY;
    float[] v = new float[per];
    for (int i = 0; i < n; i++) {
      images.get(i).copyTo(DataBuffers.of(v, false, false));
      for (float f : v) {
        lo = Math.min(lo, f);
        hi = Math.max(hi, f);
      }
    }
    if (lo >= 0 && hi <= 1.0001f) {
      return new float[] {255f, 0};
    }
    if (lo >= 0 && hi <= 255.5f) {
      return new float[] {1f, 0};
    }
    return null;
  }

  private static BufferedImage picture(FloatNdArray images, int i, int h, int w, int c,
      float[] range) {
    float[] v = new float[h * w * c];
    images.get(i).copyTo(DataBuffers.of(v, false, false));
    float scale;
    float offset;
    if (range != null) {
      scale = range[0];
      offset = range[1];
    } else {
      float lo = Float.POSITIVE_INFINITY;
      float hi = Float.NEGATIVE_INFINITY;
      for (float f : v) {
        lo = Math.min(lo, f);
        hi = Math.max(hi, f);
      }
      scale = hi > lo ? 255f / (hi - lo) : 1f;
      offset = -lo * scale;
    }
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int p = (y * w + x) * c;
        int r = clamp(v[p] * scale + offset);
        int gr = c >= 3 ? clamp(v[p + 1] * scale + offset) : r;
        int b = c >= 3 ? clamp(v[p + 2] * scale + offset) : r;
        img.setRGB(x, y, (r << 16) | (gr << 8) | b);
      }
    }
    return img;
  }

  private static int clamp(float v) {
    return Math.max(0, Math.min(255, Math.round(v)));
  }

  /** The class name of {@code k}, or the number when there are no names for it. */
  static String label(List<String> names, int k) {
    return names != null && k >= 0 && k < names.size() ? names.get(k) : Integer.toString(k);
  }
}
