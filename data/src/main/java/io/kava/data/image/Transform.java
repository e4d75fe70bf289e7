package io.kava.data.image;

/**
 * The random parameters drawn for one image, as Keras's {@code random_transform} returns
 * them. Apply with {@link ImageDataGenerator#applyTransform}.
 *
 * <p>Coordinates are (x = column, y = row); Kava shifts width horizontally and height
 * vertically (Keras swaps them, keras#17398) and turns about the image's true centre.
 *
 * @param theta rotation in degrees
 * @param tx horizontal shift in pixels
 * @param ty vertical shift in pixels
 * @param shear shear angle in degrees
 * @param zx horizontal zoom (greater than 1 zooms out)
 * @param zy vertical zoom
 * @param flipHorizontal mirror left-right
 * @param flipVertical mirror top-bottom
 * @param channelShift value added to every channel (then clipped to the image's range)
 * @param brightness brightness factor (0 black, 1 unchanged)
 *
 * <pre>{@code
 * jshell> var t = Transform.IDENTITY.withTheta(90)
 * jshell> gen.applyTransform(image, t)
 * }</pre>
 */
public record Transform(double theta, double tx, double ty, double shear, double zx, double zy,
    boolean flipHorizontal, boolean flipVertical, double channelShift, double brightness) {

  /** Changes nothing. */
  public static final Transform IDENTITY = new Transform(0, 0, 0, 0, 1, 1, false, false, 0, 1);

  public Transform withTheta(double degrees) {
    return new Transform(degrees, tx, ty, shear, zx, zy, flipHorizontal, flipVertical,
        channelShift, brightness);
  }

  public Transform withShift(double tx, double ty) {
    return new Transform(theta, tx, ty, shear, zx, zy, flipHorizontal, flipVertical,
        channelShift, brightness);
  }

  public Transform withShear(double degrees) {
    return new Transform(theta, tx, ty, degrees, zx, zy, flipHorizontal, flipVertical,
        channelShift, brightness);
  }

  public Transform withZoom(double zx, double zy) {
    return new Transform(theta, tx, ty, shear, zx, zy, flipHorizontal, flipVertical,
        channelShift, brightness);
  }

  public Transform withFlips(boolean horizontal, boolean vertical) {
    return new Transform(theta, tx, ty, shear, zx, zy, horizontal, vertical, channelShift,
        brightness);
  }

  public Transform withChannelShift(double intensity) {
    return new Transform(theta, tx, ty, shear, zx, zy, flipHorizontal, flipVertical, intensity,
        brightness);
  }

  public Transform withBrightness(double factor) {
    return new Transform(theta, tx, ty, shear, zx, zy, flipHorizontal, flipVertical,
        channelShift, factor);
  }

  /** Whether the affine part (rotation, shift, shear, zoom) changes anything. */
  public boolean isAffine() {
    return theta != 0 || tx != 0 || ty != 0 || shear != 0 || zx != 1 || zy != 1;
  }

  /**
   * The output-to-input sampling matrix for an {@code h x w} image, as the 8 numbers of
   * TensorFlow's {@code ImageProjectiveTransformV3}: output pixel (x, y) reads input point
   * ({@code a0 x + a1 y + a2}, {@code b0 x + b1 y + b2}). Keras's composition
   * rotation · shift · shear · zoom, about the centre ((w - 1) / 2, (h - 1) / 2).
   */
  public float[] matrix(int height, int width) {
    double t = Math.toRadians(theta);
    double s = Math.toRadians(shear);
    // Keras's matrices are in (row, col); swapped into (x = col, y = row).
    double[][] m = identity();
    m = mul(m, new double[][] {{Math.cos(t), Math.sin(t), 0}, {-Math.sin(t), Math.cos(t), 0},
        {0, 0, 1}});
    m = mul(m, new double[][] {{1, 0, tx}, {0, 1, ty}, {0, 0, 1}});
    m = mul(m, new double[][] {{Math.cos(s), 0, 0}, {-Math.sin(s), 1, 0}, {0, 0, 1}});
    m = mul(m, new double[][] {{zx, 0, 0}, {0, zy, 0}, {0, 0, 1}});
    double cx = (width - 1) / 2.0;
    double cy = (height - 1) / 2.0;
    m = mul(mul(new double[][] {{1, 0, cx}, {0, 1, cy}, {0, 0, 1}}, m),
        new double[][] {{1, 0, -cx}, {0, 1, -cy}, {0, 0, 1}});
    return new float[] {(float) m[0][0], (float) m[0][1], (float) m[0][2], (float) m[1][0],
        (float) m[1][1], (float) m[1][2], 0, 0};
  }

  /**
   * {@link #matrix} with the flips folded in (flips commute with the pointwise channel shift
   * and brightness that Keras applies between them): 6 numbers a0 a1 a2 b0 b1 b2.
   */
  float[] samplingMatrix(int height, int width) {
    float[] m = matrix(height, width);
    if (flipHorizontal) {
      // x -> (w - 1) - x on the output side.
      m[2] += m[0] * (width - 1);
      m[0] = -m[0];
      m[5] += m[3] * (width - 1);
      m[3] = -m[3];
    }
    if (flipVertical) {
      m[2] += m[1] * (height - 1);
      m[1] = -m[1];
      m[5] += m[4] * (height - 1);
      m[4] = -m[4];
    }
    return m;
  }

  /** Whether resampling is needed (an affine part or a flip). */
  boolean resamples() {
    return isAffine() || flipHorizontal || flipVertical;
  }

  private static double[][] identity() {
    return new double[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
  }

  private static double[][] mul(double[][] a, double[][] b) {
    double[][] c = new double[3][3];
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        for (int k = 0; k < 3; k++) {
          c[i][j] += a[i][k] * b[k][j];
        }
      }
    }
    return c;
  }
}
