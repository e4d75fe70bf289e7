package io.kava.data.image;

/**
 * The per-image pixel work of augmentation, in plain Java: an affine resampling with the same
 * semantics as TensorFlow's {@code ImageProjectiveTransformV3} (output pixel (x, y) reads the
 * input at (a0 x + a1 y + a2, b0 x + b1 y + b2), fill modes and bilinear weights as TF computes
 * them, in float), then channel shift and brightness. Flips are folded into the matrix. The
 * tests check it against the TensorFlow op; it is several times faster on CPU because it
 * computes each source coordinate once per pixel instead of once per channel and skips
 * bounds checks inside the image.
 */
final class Warp {
  private Warp() {}

  /**
   * Resamples the image at {@code src[srcBase..]} ({@code h x w x c}, HWC) into
   * {@code dst[dstBase..]}. {@code m} holds a0 a1 a2 b0 b1 b2.
   */
  static void affine(float[] src, int srcBase, float[] dst, int dstBase, int h, int w, int c,
      float[] m, FillMode mode, float cval, boolean bilinear) {
    int base = srcBase;
    float a0 = m[0];
    float a1 = m[1];
    float a2 = m[2];
    float b0 = m[3];
    float b1 = m[4];
    float b2 = m[5];
    int at = dstBase;
    int row = w * c;
    boolean clampOrWrap = mode != FillMode.CONSTANT;
    for (int y = 0; y < h; y++) {
      float rx = a1 * y + a2;
      float ry = b1 * y + b2;
      for (int x = 0; x < w; x++, at += c) {
        float sx = a0 * x + rx;
        float sy = b0 * x + ry;
        if (clampOrWrap) {
          if (sx < 0 || sx > w - 1) {
            sx = map(sx, w, mode);
          }
          if (sy < 0 || sy > h - 1) {
            sy = map(sy, h, mode);
          }
        }
        if (sx < 0 || sx > w - 1 || sy < 0 || sy > h - 1) {
          // Only CONSTANT gets here (the other modes map inside).
          constantBorder(src, base, dst, at, h, w, c, sx, sy, cval, bilinear);
          continue;
        }
        if (!bilinear) {
          int p = base + ((int) Math.round((double) sy) * w + (int) Math.round((double) sx)) * c;
          System.arraycopy(src, p, dst, at, c);
          continue;
        }
        // sx, sy >= 0 here, so the int cast is the floor.
        int x0 = (int) sx;
        int y0 = (int) sy;
        float xf = x0;
        float yf = y0;
        float wx1 = sx - xf;
        float wx0 = (xf + 1) - sx;
        float wy1 = sy - yf;
        float wy0 = (yf + 1) - sy;
        int p00 = base + y0 * row + x0 * c;
        if (x0 + 1 < w && y0 + 1 < h) {
          // All four neighbours inside: the common case, without bounds checks.
          int p10 = p00 + row;
          if (c == 3) {
            dst[at] = wy0 * (wx0 * src[p00] + wx1 * src[p00 + 3])
                + wy1 * (wx0 * src[p10] + wx1 * src[p10 + 3]);
            dst[at + 1] = wy0 * (wx0 * src[p00 + 1] + wx1 * src[p00 + 4])
                + wy1 * (wx0 * src[p10 + 1] + wx1 * src[p10 + 4]);
            dst[at + 2] = wy0 * (wx0 * src[p00 + 2] + wx1 * src[p00 + 5])
                + wy1 * (wx0 * src[p10 + 2] + wx1 * src[p10 + 5]);
            continue;
          }
          for (int k = 0; k < c; k++) {
            float top = wx0 * src[p00 + k] + wx1 * src[p00 + c + k];
            float bottom = wx0 * src[p10 + k] + wx1 * src[p10 + c + k];
            dst[at + k] = wy0 * top + wy1 * bottom;
          }
          continue;
        }
        // On the last row or column the missing neighbours read the fill value with weight 0.
        boolean right = x0 + 1 < w;
        boolean down = y0 + 1 < h;
        for (int k = 0; k < c; k++) {
          float v00 = src[p00 + k];
          float v01 = right ? src[p00 + c + k] : cval;
          float v10 = down ? src[p00 + row + k] : cval;
          float v11 = right && down ? src[p00 + row + c + k] : cval;
          float top = wx0 * v00 + wx1 * v01;
          float bottom = wx0 * v10 + wx1 * v11;
          dst[at + k] = wy0 * top + wy1 * bottom;
        }
      }
    }
  }

  /** Warps of a 24x24 image that get C2 to compile {@link #affine} (measured: ~3,000). */
  private static final int WARM_UP_IMAGES = 3000;

  /**
   * Runs {@link #affine} over small images with {@code c} channels until the JIT has compiled
   * it, so that the first epoch does not run interpreted code: measured on 32x32 images, the
   * first epoch of {@code flow()} ran at about a tenth of the steady rate without it. Costs a
   * few tens of milliseconds; iterators call it when they are created.
   */
  static void warmUp(int c, FillMode mode, float cval, boolean bilinear) {
    int side = 24;
    float[] src = new float[side * side * c];
    for (int i = 0; i < src.length; i++) {
      src[i] = i % 251;
    }
    float[] dst = new float[src.length];
    for (int k = 0; k < WARM_UP_IMAGES; k++) {
      Transform t = Transform.IDENTITY.withTheta(k % 40 - 20).withShift(k % 7 - 3, k % 5 - 2)
          .withShear(k % 11 - 5).withFlips(k % 2 == 0, false);
      affine(src, 0, dst, 0, side, side, c, t.samplingMatrix(side, side), mode, cval, bilinear);
    }
  }

  /**
   * A source point outside the image in CONSTANT mode, as TF reads it: neighbours outside the
   * image are {@code cval}, so a point within a pixel of the border still blends with (or, for
   * NEAREST, rounds onto) the edge pixels.
   */
  private static void constantBorder(float[] src, int base, float[] dst, int at, int h, int w,
      int c, float sx, float sy, float cval, boolean bilinear) {
    if (!bilinear) {
      int xi = roundHalfAway(sx);
      int yi = roundHalfAway(sy);
      boolean in = xi >= 0 && xi < w && yi >= 0 && yi < h;
      for (int k = 0; k < c; k++) {
        dst[at + k] = in ? src[base + (yi * w + xi) * c + k] : cval;
      }
      return;
    }
    if (sx <= -1 || sx >= w || sy <= -1 || sy >= h) {
      // No neighbour inside: exactly cval (TF's weighted sum of cval, without its rounding).
      for (int k = 0; k < c; k++) {
        dst[at + k] = cval;
      }
      return;
    }
    float xf = (float) Math.floor(sx);
    float yf = (float) Math.floor(sy);
    float wx1 = sx - xf;
    float wx0 = (xf + 1) - sx;
    float wy1 = sy - yf;
    float wy0 = (yf + 1) - sy;
    int x0 = (int) xf;
    int y0 = (int) yf;
    for (int k = 0; k < c; k++) {
      float top = wx0 * read(src, base, h, w, c, y0, x0, k, cval)
          + wx1 * read(src, base, h, w, c, y0, x0 + 1, k, cval);
      float bottom = wx0 * read(src, base, h, w, c, y0 + 1, x0, k, cval)
          + wx1 * read(src, base, h, w, c, y0 + 1, x0 + 1, k, cval);
      dst[at + k] = wy0 * top + wy1 * bottom;
    }
  }

  private static float read(float[] src, int base, int h, int w, int c, int y, int x, int k,
      float cval) {
    return y >= 0 && y < h && x >= 0 && x < w ? src[base + (y * w + x) * c + k] : cval;
  }

  /** C's {@code std::round}, which TF's nearest interpolation uses: halves away from zero. */
  private static int roundHalfAway(float v) {
    return (int) (v < 0 ? -Math.floor(0.5 - v) : Math.floor(v + 0.5));
  }

  /** TensorFlow's mapping of a coordinate outside [0, len - 1] for a fill mode. */
  static float map(float v, int len, FillMode mode) {
    if (len <= 1) {
      return 0;
    }
    float in = v;
    switch (mode) {
      case REFLECT -> {
        int sz2 = 2 * len;
        if (in < 0) {
          in = sz2 * (int) (-in / sz2) + in;
          in = in < -len ? in + sz2 : -in - 1;
        } else if (in > len - 1) {
          in -= sz2 * (int) (in / sz2);
          if (in >= len) {
            in = sz2 - in - 1;
          }
        }
      }
      case WRAP -> {
        int sz = len - 1;
        if (in < 0) {
          in += len * ((int) (-in / sz) + 1);
        } else if (in > len - 1) {
          in -= len * (int) (in / sz);
        }
      }
      default -> {
        // NEAREST: clamp only.
      }
    }
    return Math.max(0f, Math.min(len - 1f, in));
  }

  /** Keras's channel shift: the same value on every channel, clipped to the image's range. */
  static void channelShift(float[] x, int i, int size, float intensity) {
    int from = i * size;
    float lo = Float.MAX_VALUE;
    float hi = -Float.MAX_VALUE;
    for (int p = from; p < from + size; p++) {
      lo = Math.min(lo, x[p]);
      hi = Math.max(hi, x[p]);
    }
    for (int p = from; p < from + size; p++) {
      x[p] = Math.max(lo, Math.min(hi, x[p] + intensity));
    }
  }

  /** Brightness factor, clipped to 0..255 as Keras's PIL-based version. */
  static void brightness(float[] x, int i, int size, float factor) {
    int from = i * size;
    for (int p = from; p < from + size; p++) {
      x[p] = Math.max(0f, Math.min(255f, x[p] * factor));
    }
  }
}
