package io.kava.data.image;

import static io.kava.data.image.TestImages.flat;
import static io.kava.data.image.TestImages.image;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.FloatNdArray;

/**
 * What each transform does to small images, by hand. Coordinates are (x = column, y = row);
 * a transform's matrix maps an output pixel to the input point it reads, so a shift
 * {@code tx = +1} gives {@code output(x) = input(x + 1)}: content moves one pixel left.
 */
class TransformTest {
  private static final ImageDataGenerator PLAIN = ImageDataGenerator.identity();

  private static float[] apply(ImageDataGenerator gen, FloatNdArray img, Transform t) {
    return flat(gen.applyTransform(img, t));
  }

  private static ImageDataGenerator fill(FillMode mode) {
    return ImageDataGenerator.builder().fillMode(mode).cval(9).build();
  }

  /** The 1 x 4 row {@code a b c d} = 1 2 3 4 shifted by {@code tx} under {@code mode}. */
  private static float[] shiftedRow(FillMode mode, int width, double tx) {
    float[] row = new float[width];
    for (int i = 0; i < width; i++) {
      row[i] = i + 1;
    }
    return apply(fill(mode), image(1, width, 1, row), Transform.IDENTITY.withShift(tx, 0));
  }

  @Test
  void identityChangesNothing() {
    float[] v = TestImages.uniform(1, 5 * 6 * 3, 0, 255);
    assertArrayEquals(v, apply(PLAIN, image(5, 6, 3, v), Transform.IDENTITY));
    assertFalse(Transform.IDENTITY.isAffine());
    assertFalse(Transform.IDENTITY.resamples());
  }

  @Test
  void horizontalFlipMirrorsColumnsAndVerticalFlipRows() {
    FloatNdArray img = image(2, 3, 1, 0, 1, 2, 3, 4, 5);
    assertArrayEquals(new float[] {2, 1, 0, 5, 4, 3},
        apply(PLAIN, img, Transform.IDENTITY.withFlips(true, false)));
    assertArrayEquals(new float[] {3, 4, 5, 0, 1, 2},
        apply(PLAIN, img, Transform.IDENTITY.withFlips(false, true)));
    assertArrayEquals(new float[] {5, 4, 3, 2, 1, 0},
        apply(PLAIN, img, Transform.IDENTITY.withFlips(true, true)));
  }

  @Test
  void flipsMoveWholePixelsOfEveryChannel() {
    // 1 x 2 RGB: the flip swaps pixels, not channels.
    FloatNdArray img = image(1, 2, 3, 1, 2, 3, 4, 5, 6);
    assertArrayEquals(new float[] {4, 5, 6, 1, 2, 3},
        apply(PLAIN, img, Transform.IDENTITY.withFlips(true, false)));
  }

  @Test
  void flipsComeAfterTheWarp() {
    // Keras flips the warped image: one transform equals the warp, then the flip.
    float[] v = TestImages.uniform(4, 3 * 5 * 2, 0, 255);
    FloatNdArray img = image(3, 5, 2, v);
    Transform warp = Transform.IDENTITY.withShift(1.5, -0.5).withTheta(20).withZoom(1.2, 0.9);
    for (boolean h : new boolean[] {false, true}) {
      for (boolean vert : new boolean[] {false, true}) {
        float[] twoSteps = apply(PLAIN, image(3, 5, 2, apply(PLAIN, img, warp)),
            Transform.IDENTITY.withFlips(h, vert));
        assertArrayEquals(twoSteps, apply(PLAIN, img, warp.withFlips(h, vert)), 1e-3f,
            "flips " + h + " " + vert);
      }
    }
  }

  @Test
  void widthShiftMovesContentHorizontallyByTx() {
    // One bright pixel at x = 2 of a 3 x 5 image (non-square, so swapped axes would show).
    float[] v = new float[15];
    v[1 * 5 + 2] = 100;
    FloatNdArray img = image(3, 5, 1, v);
    float[] out = apply(fill(FillMode.CONSTANT), img, Transform.IDENTITY.withShift(1, 0));
    // output(x) = input(x + 1): the pixel is now at x = 1, same row.
    float[] want = new float[15];
    java.util.Arrays.fill(want, 0);
    want[1 * 5 + 1] = 100;
    for (int y = 0; y < 3; y++) {
      want[y * 5 + 4] = 9; // column 4 reads x = 5, outside: cval
    }
    assertArrayEquals(want, out);
    out = apply(PLAIN, img, Transform.IDENTITY.withShift(-2, 0));
    assertEquals(100f, out[1 * 5 + 4], "tx = -2 moves content 2 pixels right");
  }

  @Test
  void heightShiftMovesContentVerticallyByTy() {
    float[] v = new float[15];
    v[1 * 5 + 2] = 100;
    float[] out = apply(PLAIN, image(3, 5, 1, v), Transform.IDENTITY.withShift(0, -1));
    float[] want = new float[15];
    want[2 * 5 + 2] = 100; // output(y) = input(y - 1): one row down
    assertArrayEquals(want, out);
  }

  @Test
  void widthShiftsNeverMoveRowsAndHeightShiftsNeverMoveColumns() {
    // keras#17398 (not copied): Keras applies width_shift_range to rows. An image whose rows
    // are constant is unchanged by any horizontal shift (with NEAREST fill), and an image whose
    // columns are constant by any vertical shift.
    int h = 6;
    int w = 10;
    float[] rowsConstant = new float[h * w];
    float[] columnsConstant = new float[h * w];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        rowsConstant[y * w + x] = 10 * y;
        columnsConstant[y * w + x] = 10 * x;
      }
    }
    ImageDataGenerator width = ImageDataGenerator.builder().widthShiftRange(0.4).build();
    ImageDataGenerator height = ImageDataGenerator.builder().heightShiftRange(0.4).build();
    for (long seed = 0; seed < 20; seed++) {
      Transform tw = width.randomTransform(org.tensorflow.ndarray.Shape.of(h, w, 1), seed);
      assertEquals(0, tw.ty());
      assertTrue(Math.abs(tw.tx()) <= 0.4 * w);
      assertArrayEquals(rowsConstant, apply(width, image(h, w, 1, rowsConstant), tw), 1e-4f);
      Transform th = height.randomTransform(org.tensorflow.ndarray.Shape.of(h, w, 1), seed);
      assertEquals(0, th.tx());
      assertArrayEquals(columnsConstant, apply(height, image(h, w, 1, columnsConstant), th),
          1e-4f);
    }
    // ...while they do move the other image.
    Transform t = Transform.IDENTITY.withShift(2, 0);
    assertFalse(java.util.Arrays.equals(columnsConstant,
        apply(PLAIN, image(h, w, 1, columnsConstant), t)));
  }

  @Test
  void rotationBy90TurnsASquareImageAboutItsTrueCentre() {
    // A 4 x 4 image: its centre (1.5, 1.5) is between pixels, so only the true centre maps the
    // grid onto itself. Positive theta turns content clockwise on screen (y down), as Keras's
    // matrix does: output top-left reads input bottom-left.
    float[] v = new float[16];
    for (int i = 0; i < 16; i++) {
      v[i] = i;
    }
    float[] out = apply(PLAIN, image(4, 4, 1, v), Transform.IDENTITY.withTheta(90));
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 4; x++) {
        assertEquals(v[(3 - x) * 4 + y], out[y * 4 + x], 1e-4f, "(" + x + ", " + y + ")");
      }
    }
    assertEquals(12, out[0], 1e-4f, "top-left <- bottom-left");
    assertEquals(0, out[3], 1e-4f, "top-right <- top-left");
    assertEquals(3, out[15], 1e-4f, "bottom-right <- top-right");
    assertEquals(15, out[12], 1e-4f, "bottom-left <- bottom-right");
    float[] back = apply(PLAIN, image(4, 4, 1, out), Transform.IDENTITY.withTheta(-90));
    assertArrayEquals(v, back, 1e-4f);
  }

  @Test
  void rotationBy180OfANonSquareImageIsBothFlips() {
    float[] v = TestImages.uniform(3, 3 * 5 * 2, 0, 255);
    FloatNdArray img = image(3, 5, 2, v);
    assertArrayEquals(apply(PLAIN, img, Transform.IDENTITY.withFlips(true, true)),
        apply(PLAIN, img, Transform.IDENTITY.withTheta(180)), 1e-3f);
  }

  @Test
  void zoomAboveOneZoomsOutAndBelowOneZoomsIn() {
    FloatNdArray row = image(1, 5, 1, 0, 10, 20, 30, 40);
    ImageDataGenerator constant = fill(FillMode.CONSTANT);
    // zx = 2: output(x) = input(2 + 2 (x - 2)); the ends fall outside and read cval 9.
    assertArrayEquals(new float[] {9, 0, 20, 40, 9},
        apply(constant, row, Transform.IDENTITY.withZoom(2, 1)), 1e-4f);
    // zx = 0.5: output(x) = input(2 + (x - 2) / 2), bilinear between pixels.
    assertArrayEquals(new float[] {10, 15, 20, 25, 30},
        apply(constant, row, Transform.IDENTITY.withZoom(0.5, 1)), 1e-4f);
    // zy scales rows only: a single row is unchanged (NEAREST fill repeats it).
    assertArrayEquals(flat(row), apply(PLAIN, row, Transform.IDENTITY.withZoom(1, 3)), 1e-4f);
  }

  @Test
  void shearTiltsColumnsAboutTheCentre() {
    // Sampling matrix of a 30-degree shear on 5 x 7: x' = cos(s) (x - cx) + cx,
    // y' = -sin(s) (x - cx) + y (Keras's shear, counter-clockwise, in (x, y)).
    float[] m = Transform.IDENTITY.withShear(30).samplingMatrix(5, 7);
    double s = Math.toRadians(30);
    double cx = 3;
    assertArrayEquals(new float[] {(float) Math.cos(s), 0, (float) (cx - Math.cos(s) * cx),
        (float) -Math.sin(s), 1, (float) (Math.sin(s) * cx), 0, 0}, m, 1e-6f);
  }

  @Test
  void matrixComposesRotationShiftShearZoomInKerassOrder() {
    // Sampling point = c + R (Sh (Z (p - c)) + t): zoom first, rotation last.
    Transform t = new Transform(90, 1, 2, 0, 2, 3, false, false, 0, 1);
    int h = 5;
    int w = 7;
    float[] m = t.matrix(h, w);
    double cx = 3;
    double cy = 2;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double u = 2 * (x - cx) + 1;
        double v = 3 * (y - cy) + 2;
        // R(90) in (x, y): (u, v) -> (v, -u)
        double sx = cx + v;
        double sy = cy - u;
        assertEquals(sx, m[0] * x + m[1] * y + m[2], 1e-5);
        assertEquals(sy, m[3] * x + m[4] * y + m[5], 1e-5);
      }
    }
    assertEquals(0, m[6]);
    assertEquals(0, m[7]);
  }

  @Test
  void channelShiftAddsOneValueToEveryChannelAndClipsToTheImagesRange() {
    FloatNdArray img = image(1, 2, 3, 10, 20, 30, 40, 50, 60);
    assertArrayEquals(new float[] {35, 45, 55, 60, 60, 60},
        apply(PLAIN, img, Transform.IDENTITY.withChannelShift(25)));
    assertArrayEquals(new float[] {10, 10, 10, 15, 25, 35},
        apply(PLAIN, img, Transform.IDENTITY.withChannelShift(-25)));
  }

  @Test
  void brightnessMultipliesAndClipsTo0To255() {
    FloatNdArray img = image(1, 3, 1, 0, 100, 200);
    assertArrayEquals(new float[] {0, 150, 255},
        apply(PLAIN, img, Transform.IDENTITY.withBrightness(1.5)));
    assertArrayEquals(new float[] {0, 50, 100},
        apply(PLAIN, img, Transform.IDENTITY.withBrightness(0.5)));
    assertArrayEquals(new float[] {0, 0, 0},
        apply(PLAIN, img, Transform.IDENTITY.withBrightness(0)));
  }

  @Test
  void channelShiftBrightnessAndFlipsComposeInKerassOrder() {
    // Channel shift (clipped to the warped image's range), then flips, then brightness.
    FloatNdArray img = image(1, 3, 1, 100, 150, 200);
    Transform t = Transform.IDENTITY.withChannelShift(80).withFlips(true, false)
        .withBrightness(1.5);
    // shift: 180 200 200 (clip at max 200); flip: 200 200 180; brightness: 255 255 255 (clip).
    assertArrayEquals(new float[] {255, 255, 255}, apply(PLAIN, img, t));
    t = Transform.IDENTITY.withChannelShift(-60).withFlips(true, false).withBrightness(0.5);
    // shift: 100 100 140; flip: 140 100 100; brightness: 70 50 50.
    assertArrayEquals(new float[] {70, 50, 50}, apply(PLAIN, img, t));
  }

  @Test
  void constantFillUsesCval() {
    assertArrayEquals(new float[] {3, 4, 9, 9}, shiftedRow(FillMode.CONSTANT, 4, 2));
    assertArrayEquals(new float[] {9, 9, 1, 2}, shiftedRow(FillMode.CONSTANT, 4, -2));
  }

  @Test
  void nearestFillRepeatsTheEdge() {
    // aaaa|abcd|dddd
    assertArrayEquals(new float[] {3, 4, 4, 4}, shiftedRow(FillMode.NEAREST, 4, 2));
    assertArrayEquals(new float[] {1, 1, 1, 2}, shiftedRow(FillMode.NEAREST, 4, -2));
    assertArrayEquals(new float[] {4, 4, 4, 4}, shiftedRow(FillMode.NEAREST, 4, 30));
  }

  @Test
  void reflectFillMirrorsAtTheEdge() {
    // abcddcba|abcd|dcbaabcd
    assertArrayEquals(new float[] {4, 3, 2, 1}, shiftedRow(FillMode.REFLECT, 4, 4));
    assertArrayEquals(new float[] {4, 3, 2, 1}, shiftedRow(FillMode.REFLECT, 4, -4));
    assertArrayEquals(new float[] {3, 4, 4, 3}, shiftedRow(FillMode.REFLECT, 4, 2));
    assertArrayEquals(new float[] {2, 1, 1, 2}, shiftedRow(FillMode.REFLECT, 4, -2));
    // A whole period (8) away reads the image again.
    assertArrayEquals(new float[] {1, 2, 3, 4}, shiftedRow(FillMode.REFLECT, 4, 8));
    assertArrayEquals(new float[] {1, 2, 3, 4}, shiftedRow(FillMode.REFLECT, 4, -8));
  }

  @Test
  void wrapFillTilesTheImage() {
    // abcdabcd|abcd|abcdabcd, for source points up to len - 2 pixels outside.
    assertArrayEquals(new float[] {3, 4, 1, 2}, shiftedRow(FillMode.WRAP, 4, 2));
    assertArrayEquals(new float[] {3, 4, 1, 2}, shiftedRow(FillMode.WRAP, 4, -2));
    assertArrayEquals(new float[] {5, 6, 7, 8, 1, 2, 3, 4}, shiftedRow(FillMode.WRAP, 8, 4));
    assertArrayEquals(new float[] {3, 4, 5, 6, 7, 8, 1, 2}, shiftedRow(FillMode.WRAP, 8, -6));
  }

  @Test
  void wrapFarOutsideClampsAsTensorFlowDoes() {
    // TF's WRAP (which Warp copies, see WarpTest) reduces by len * floor(v / (len - 1)) and then
    // clamps, so points more than len - 2 pixels outside land on an edge instead of tiling:
    // reading 4 5 6 7 of abcd gives a b a a, not a b c d. Pinned so that a change is noticed.
    assertArrayEquals(new float[] {1, 2, 1, 1}, shiftedRow(FillMode.WRAP, 4, 4));
    assertEquals(0f, Warp.map(6f, 4, FillMode.WRAP));
    assertEquals(2f, Warp.map(-2f, 4, FillMode.WRAP));
  }

  @Test
  void fillModesMapCoordinatesAsDocumented() {
    assertEquals(0f, Warp.map(-3.5f, 4, FillMode.NEAREST));
    assertEquals(3f, Warp.map(7f, 4, FillMode.NEAREST));
    assertEquals(0f, Warp.map(-1f, 4, FillMode.REFLECT));
    assertEquals(1.5f, Warp.map(-2.5f, 4, FillMode.REFLECT));
    assertEquals(3f, Warp.map(4f, 4, FillMode.REFLECT));
    assertEquals(3f, Warp.map(-1f, 4, FillMode.WRAP));
    assertEquals(0.5f, Warp.map(4.5f, 4, FillMode.WRAP));
    assertEquals(0f, Warp.map(5f, 1, FillMode.REFLECT), "a 1-pixel axis always reads pixel 0");
  }

  @Test
  void constantFillIsExactlyCvalAwayFromTheImage() {
    ImageDataGenerator g = ImageDataGenerator.builder().fillMode(FillMode.CONSTANT).cval(0.1)
        .build();
    float[] out = apply(g, image(2, 3, 1, 1, 2, 3, 4, 5, 6),
        Transform.IDENTITY.withTheta(37).withShift(123.456, -7.89));
    for (float v : out) {
      assertEquals(0.1f, v);
    }
  }

  @Test
  void constantFillBlendsWithCvalWithinAPixelOfTheBorder() {
    // As TF: a source point at x = -0.25 reads 0.75 * pixel 0 + 0.25 * cval.
    FloatNdArray row = image(1, 4, 1, 1, 2, 3, 4);
    assertArrayEquals(new float[] {0.75f * 1 + 0.25f * 9, 1.75f, 2.75f, 3.75f},
        apply(fill(FillMode.CONSTANT), row, Transform.IDENTITY.withShift(-0.25, 0)), 1e-5f);
  }

  @Test
  void nearestInterpolationPicksTheClosestPixel() {
    ImageDataGenerator nearest = ImageDataGenerator.builder()
        .interpolation(Interpolation.NEAREST).build();
    FloatNdArray row = image(1, 4, 1, 1, 2, 3, 4);
    assertArrayEquals(new float[] {2, 3, 4, 4},
        apply(nearest, row, Transform.IDENTITY.withShift(0.7, 0)));
    assertArrayEquals(new float[] {1, 2, 3, 4},
        apply(nearest, row, Transform.IDENTITY.withShift(0.3, 0)));
  }
}
