package io.kava.data.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.image.ImageProjectiveTransformV3;
import org.tensorflow.types.TFloat32;

/**
 * {@link Warp#affine} against TensorFlow's {@code ImageProjectiveTransformV3}, which it claims
 * to reproduce, on random non-square images and random transforms whose source points fall
 * far outside the image, for every fill mode and both interpolations.
 */
class WarpTest {
  private static final int H = 7;
  private static final int W = 9;
  private static final int C = 3;
  private static final int N = 60;

  /** Random transforms with ranges large enough to sample far outside the image. */
  private static List<Transform> transforms() {
    ImageDataGenerator wild = ImageDataGenerator.builder().rotationRange(180)
        .widthShiftRange(0.9).heightShiftRange(0.9).shearRange(60).zoomRange(0.3, 2.5)
        .horizontalFlip(true).verticalFlip(true).build();
    List<Transform> ts = new ArrayList<>();
    for (int i = 0; i < N - 4; i++) {
      ts.add(wild.randomTransform(Shape.of(H, W, C), 100 + i));
    }
    // Whole-pixel shifts put source points exactly on and beyond the borders.
    ts.add(Transform.IDENTITY.withShift(3, 0));
    ts.add(Transform.IDENTITY.withShift(-11, 5));
    ts.add(Transform.IDENTITY.withShift(0.25, -20.75).withFlips(true, false));
    ts.add(Transform.IDENTITY.withZoom(3.1, 0.45).withFlips(false, true));
    return ts;
  }

  /** TensorFlow's output for {@code n} copies of {@code image}, one transform each. */
  private static float[] tensorflow(float[] image, List<float[]> matrices, FillMode mode,
      boolean bilinear, float cval) {
    int n = matrices.size();
    float[] images = new float[n * image.length];
    float[] transforms = new float[n * 8];
    for (int i = 0; i < n; i++) {
      System.arraycopy(image, 0, images, i * image.length, image.length);
      System.arraycopy(matrices.get(i), 0, transforms, i * 8, 6);
    }
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      var out = tf.image.imageProjectiveTransformV3(
          tf.constant(Shape.of(n, H, W, C), DataBuffers.of(images, true, false)),
          tf.constant(Shape.of(n, 8), DataBuffers.of(transforms, true, false)),
          tf.constant(new int[] {H, W}), tf.constant(cval), bilinear ? "BILINEAR" : "NEAREST",
          ImageProjectiveTransformV3.fillMode(mode.tensorflowName()));
      try (Result r = s.runner().fetch(out).run()) {
        TFloat32 t = (TFloat32) r.get(0);
        float[] v = new float[n * image.length];
        t.copyTo(DataBuffers.of(v, false, false));
        return v;
      }
    }
  }

  /** Distance of {@code v} from the nearest x.5, where nearest rounding is a coin toss. */
  private static double fromTie(double v) {
    return Math.abs(v - Math.floor(v) - 0.5);
  }

  @ParameterizedTest
  @EnumSource(FillMode.class)
  void bilinearEqualsTensorFlow(FillMode mode) {
    compare(mode, true);
  }

  @ParameterizedTest
  @EnumSource(FillMode.class)
  void nearestEqualsTensorFlow(FillMode mode) {
    compare(mode, false);
  }

  private static void compare(FillMode mode, boolean bilinear) {
    float[] image = TestImages.uniform(7, H * W * C, 0, 1);
    float cval = 0.625f;
    List<Transform> ts = transforms();
    List<float[]> matrices = new ArrayList<>();
    for (Transform t : ts) {
      matrices.add(t.samplingMatrix(H, W));
    }
    float[] expected = tensorflow(image, matrices, mode, bilinear, cval);
    int outside = 0;
    int compared = 0;
    for (int i = 0; i < ts.size(); i++) {
      float[] m = matrices.get(i);
      float[] got = new float[H * W * C];
      Warp.affine(image, 0, got, 0, H, W, C, m, mode, cval, bilinear);
      for (int y = 0; y < H; y++) {
        for (int x = 0; x < W; x++) {
          double sx = (double) m[0] * x + (double) m[1] * y + m[2];
          double sy = (double) m[3] * x + (double) m[4] * y + m[5];
          if (sx < 0 || sx > W - 1 || sy < 0 || sy > H - 1) {
            outside++;
          }
          // Warp and TF sum the matrix terms in a different order, so a source point within
          // float rounding of a half-pixel may round to either neighbour; only NEAREST cares.
          if (!bilinear && (fromTie(sx) < 1e-4 || fromTie(sy) < 1e-4)) {
            continue;
          }
          for (int k = 0; k < C; k++) {
            int at = (y * W + x) * C + k;
            compared++;
            float want = expected[i * H * W * C + at];
            if (Math.abs(want - got[at]) > 1e-4f) {
              fail(mode + " " + (bilinear ? "bilinear" : "nearest") + " transform " + ts.get(i)
                  + " output (x=" + x + ", y=" + y + ", c=" + k + ") from source (" + sx + ", "
                  + sy + "): TensorFlow " + want + ", Warp " + got[at]);
            }
          }
        }
      }
    }
    int total = ts.size() * H * W * C;
    assertTrue(compared > total * 0.99, "ties are rare: compared " + compared + " of " + total);
    assertTrue(outside > H * W * ts.size() / 4, "the transforms must sample outside the image"
        + " often, to exercise the fill mode; got " + outside);
  }

  @Test
  void theGeneratorsPipelineEqualsTensorFlowForEachFillMode() {
    float[] image = TestImages.uniform(8, H * W * C, 0, 255);
    for (FillMode mode : FillMode.values()) {
      ImageDataGenerator gen = ImageDataGenerator.builder().rotationRange(90)
          .widthShiftRange(0.5).shearRange(30).zoomRange(0.5).horizontalFlip(true)
          .fillMode(mode).cval(17).build();
      Transform t = gen.randomTransform(Shape.of(H, W, C), 5);
      float[] got = TestImages.flat(gen.applyTransform(TestImages.image(H, W, C, image), t));
      float[] want = tensorflow(image, List.of(t.samplingMatrix(H, W)), mode, true, 17);
      assertArrayEquals(want, got, 2e-3f, mode.name());
    }
  }
}
