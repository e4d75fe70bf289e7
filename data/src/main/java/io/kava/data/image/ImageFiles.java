package io.kava.data.image;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import javax.imageio.ImageIO;
import org.tensorflow.ndarray.FloatNdArray;

/** Writes yielded images for inspection, as Keras's {@code save_to_dir}. */
final class ImageFiles {
  private ImageFiles() {}

  /**
   * Saves each image of the batch as {@code <prefix>_<index>_<hash>.<format>}, scaled to
   * 0..255 by its own min and max as Keras's {@code array_to_img(scale=True)}. Returns the
   * next index.
   */
  static int save(FlowOptions options, FloatNdArray batch, int next, long[] seeds) {
    try {
      Files.createDirectories(options.saveToDir);
      int n = (int) batch.shape().get(0);
      int h = (int) batch.shape().get(1);
      int w = (int) batch.shape().get(2);
      int c = (int) batch.shape().get(3);
      for (int i = 0; i < n; i++) {
        FloatNdArray img = batch.get(i);
        float lo = Float.MAX_VALUE;
        float hi = -Float.MAX_VALUE;
        for (int r = 0; r < h; r++) {
          for (int q = 0; q < w; q++) {
            for (int k = 0; k < c; k++) {
              float v = img.getFloat(r, q, k);
              lo = Math.min(lo, v);
              hi = Math.max(hi, v);
            }
          }
        }
        float scale = hi > lo ? 255f / (hi - lo) : 0;
        boolean alpha = c == 4 && options.saveFormat.equals("png");
        BufferedImage out = new BufferedImage(w, h, c == 1 ? BufferedImage.TYPE_BYTE_GRAY
            : alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        for (int r = 0; r < h; r++) {
          for (int q = 0; q < w; q++) {
            int[] v = new int[Math.max(3, c)];
            for (int k = 0; k < c; k++) {
              v[k] = Math.round((img.getFloat(r, q, k) - lo) * scale);
            }
            if (c == 1) {
              out.getRaster().setSample(q, r, 0, v[0]);
            } else {
              int a = alpha ? v[3] : 255;
              out.setRGB(q, r, (a << 24) | (v[0] << 16) | (v[1] << 8) | v[2]);
            }
          }
        }
        String name = options.savePrefix + "_" + (next++) + "_"
            + Long.toUnsignedString(seeds[i] & 0xffffffL) + "." + options.saveFormat;
        io.kava.internal.AtomicFiles.write(options.saveToDir.resolve(name), o -> {
          if (!ImageIO.write(out, options.saveFormat, o)) {
            throw new IllegalArgumentException("FlowOptions: no writer for format "
                + options.saveFormat);
          }
        });
      }
      return next;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot save augmented images to " + options.saveToDir
          + ": " + e.getMessage(), e);
    }
  }
}
