package io.kava.layers;

import static io.kava.TestArrays.array;
import static io.kava.TestArrays.flat;
import static io.kava.TestArrays.shape;
import static io.kava.TestArrays.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kava.saving.Config;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.FloatNdArray;

class RandomZoomTest extends LayerContract {

  @Override
  List<ShapeCase> shapeCases() {
    return List.of(
        ShapeCase.of(RandomZoom.of(0.2), shape(4, 4, 3), 4, 4, 3),
        ShapeCase.of(RandomZoom.of(0.2, 0.1).heightRange(-0.3, -0.1)
            .fillMode(FillMode.NEAREST), shape(6, 5, 2), 6, 5, 2));
  }

  @Override
  List<String> expectedWeightNames() {
    return List.of();
  }

  @Override
  GradientCase gradientCase() {
    return AugmentationCases.beforeWeights(RandomZoom.of(0.2));
  }

  /** With the zoom fixed, the image the training step trained on is the zoomed image. */
  @Override
  @Test
  void gradientsMatchFiniteDifferences() {
    assertArrayEquals(zoomedOut(), AugmentationCases.seenByTraining(outTwice(), ramp5x5(), 3),
        1e-5f);
  }

  @Test
  void zoomingOutShrinksTheImageAboutItsCentre() {
    assertArrayEquals(zoomedOut(), flat(GraphContext.run(outTwice(), true, ramp5x5())), 1e-5f);
  }

  @Test
  void zoomingInSamplesBetweenPixels() {
    // Factor -0.5 on the width only: column x reads 0.5 x + 1, so a row 0..4 becomes
    // 1, 1.5, 2, 2.5, 3 (bilinear); rows unchanged.
    RandomZoom in = RandomZoom.of(0).heightRange(0, 0).widthRange(-0.5, -0.5);
    float[] out = flat(GraphContext.run(in, true, ramp5x5()));
    for (int r = 0; r < 5; r++) {
      assertArrayEquals(new float[] {10 * r + 1, 10 * r + 1.5f, 10 * r + 2, 10 * r + 2.5f,
          10 * r + 3}, Arrays.copyOfRange(out, 5 * r, 5 * r + 5), 1e-5f);
    }
  }

  @Test
  void reflectIsTheDefaultFill() {
    // Width zoomed out twice: columns read -2, 0, 2, 4, 6, reflected to 1, 0, 2, 4, 3.
    float[] out = flat(GraphContext.run(RandomZoom.of(0).widthRange(1, 1), true, ramp5x5()));
    assertArrayEquals(new float[] {1, 0, 2, 4, 3}, Arrays.copyOfRange(out, 0, 5), 1e-5f);
  }

  @Test
  void aSeedRepeatsItsZoomsAndAnotherSeedDrawsOthers() {
    float[] a = AugmentationCases.seenByTraining(RandomZoom.of(0.3), ramp5x5(), 1);
    assertArrayEquals(a, AugmentationCases.seenByTraining(RandomZoom.of(0.3), ramp5x5(), 1));
    assertFalse(Arrays.equals(a, AugmentationCases.seenByTraining(RandomZoom.of(0.3), ramp5x5(),
        2)));
    assertFalse(Arrays.equals(a, flat(ramp5x5())), "training sees a zoomed image");
  }

  @Test
  void isTheIdentityAtInferenceAndInExports(@TempDir Path tmp) {
    FloatNdArray x = uniform(4, 0, 1, 3, 5, 4, 1);
    AugmentationCases.assertIdentityAtInference(RandomZoom.of(0.5), x);
    AugmentationCases.assertExportIsIdentity(RandomZoom.of(0.5), x, tmp.resolve("export"));
  }

  @Test
  void trainingRefusesWeightsBeforeTheWarp() {
    AugmentationCases.assertRefusedAfterWeights(RandomZoom.of(0.1),
        "RandomZoom: position must be before every layer with weights (TensorFlow has no"
        + " gradient for its image warp, ImageProjectiveTransformV3); got a layer after"
        + " weights. Put augmentation layers right after the Input.");
  }

  @Test
  void factorsMustBeInMinusOneToOne() {
    var e = assertThrows(IllegalArgumentException.class, () -> RandomZoom.of(1.2));
    assertEquals("RandomZoom: height factor must be in [-1, 1]; got 1.2.", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> RandomZoom.of(0.1).name("zoom").widthRange(0, -3));
    assertEquals("RandomZoom 'zoom': width factor must be in [-1, 1]; got -3.0.",
        e.getMessage());
  }

  @Test
  void configKeepsKerasFactorForms() {
    Map<String, Object> keras = new HashMap<>();
    keras.put("height_factor", 0.2);
    keras.put("width_factor", null);
    keras.put("fill_mode", "reflect");
    keras.put("interpolation", "bilinear");
    keras.put("fill_value", 0.0);
    assertEquals(Config.of(keras).asMap(), RandomZoom.of(0.2).config().asMap());
    assertEquals(List.of(-0.3, -0.1), RandomZoom.of(0.2).heightRange(-0.1, -0.3).config()
        .get("height_factor"));
    assertNull(RandomZoom.fromConfig(Config.of(Map.of("height_factor", 0.2))).widthFactor());
  }

  @Test
  void toStringShowsNonDefaultSettings() {
    assertEquals("RandomZoom(height_factor=0.2)", RandomZoom.of(0.2).toString());
    assertEquals("RandomZoom(height_factor=(-0.3, -0.1), width_factor=0.1, fill_mode=constant,"
        + " name=zoom)", RandomZoom.of(0.2, 0.1).heightRange(-0.3, -0.1)
        .fillMode(FillMode.CONSTANT).name("zoom").toString());
  }

  /** Zoom factor 1 on both axes (twice as wide and high), constant fill 9. */
  private static RandomZoom outTwice() {
    return RandomZoom.of(0).heightRange(1, 1).fillMode(FillMode.CONSTANT).fillValue(9);
  }

  /** 5x5 image 10 r + c. */
  private static FloatNdArray ramp5x5() {
    float[] v = new float[25];
    for (int r = 0; r < 5; r++) {
      for (int c = 0; c < 5; c++) {
        v[5 * r + c] = 10 * r + c;
      }
    }
    return array(shape(1, 5, 5, 1), v);
  }

  /**
   * {@link #outTwice} of {@link #ramp5x5}: output (i, j) reads (2i - 2, 2j - 2), so the inner
   * 3x3 holds rows and columns 0, 2, 4 and the frame is the fill value.
   */
  private static float[] zoomedOut() {
    float[] v = new float[25];
    Arrays.fill(v, 9);
    for (int i = 1; i < 4; i++) {
      for (int j = 1; j < 4; j++) {
        v[5 * i + j] = 10 * (2 * i - 2) + 2 * j - 2;
      }
    }
    return v;
  }
}
