package io.kava.layers;

import static io.kava.TestArrays.array;
import static io.kava.TestArrays.flat;
import static io.kava.TestArrays.shape;
import static io.kava.TestArrays.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kava.saving.Config;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.FloatNdArray;

class RandomTranslationTest extends LayerContract {
  /** One row 0, 1, 2, 3. */
  private static final FloatNdArray ROW = array(shape(1, 1, 4, 1), 0, 1, 2, 3);

  @Override
  List<ShapeCase> shapeCases() {
    return List.of(
        ShapeCase.of(RandomTranslation.of(0.1, 0.1), shape(4, 4, 3), 4, 4, 3),
        ShapeCase.of(RandomTranslation.of(0, 0.2).heightRange(-0.1, 0.3)
            .fillMode(FillMode.WRAP), shape(6, 5, 2), 6, 5, 2));
  }

  @Override
  List<String> expectedWeightNames() {
    return List.of();
  }

  @Override
  GradientCase gradientCase() {
    return AugmentationCases.beforeWeights(RandomTranslation.of(0.2, 0.2));
  }

  /** With the shift fixed, the image the training step trained on is the shifted image. */
  @Override
  @Test
  void gradientsMatchFiniteDifferences() {
    // Half the height down: rows 0, 1 of the 4x2 image 1..8 move to rows 2, 3; the top is 0.
    FloatNdArray image = array(shape(1, 4, 2, 1), 1, 2, 3, 4, 5, 6, 7, 8);
    RandomTranslation down = RandomTranslation.of(0, 0).heightRange(0.5, 0.5)
        .fillMode(FillMode.CONSTANT);
    assertArrayEquals(new float[] {0, 0, 0, 0, 1, 2, 3, 4},
        AugmentationCases.seenByTraining(down, image, 5), 1e-5f);
  }

  @Test
  void eachFillModeFillsTheUncoveredColumn() {
    // A quarter of the width left: column c reads c + 1; the last reads column 4, outside.
    RandomTranslation left = RandomTranslation.of(0, 0).widthRange(-0.25, -0.25);
    Map<FillMode, float[]> expected = Map.of(FillMode.REFLECT, new float[] {1, 2, 3, 3},
        FillMode.WRAP, new float[] {1, 2, 3, 0}, FillMode.NEAREST, new float[] {1, 2, 3, 3},
        FillMode.CONSTANT, new float[] {1, 2, 3, -1});
    for (FillMode mode : FillMode.values()) {
      assertArrayEquals(expected.get(mode), flat(GraphContext.run(left.fillMode(mode)
          .fillValue(-1), true, ROW)), 1e-5f, mode.toString());
    }
  }

  @Test
  void aSeedRepeatsItsShiftsAndAnotherSeedDrawsOthers() {
    FloatNdArray image = uniform(3, 0, 1, 1, 6, 6, 1);
    float[] a = AugmentationCases.seenByTraining(RandomTranslation.of(0.3, 0.3), image, 1);
    assertArrayEquals(a, AugmentationCases.seenByTraining(RandomTranslation.of(0.3, 0.3), image,
        1));
    assertFalse(Arrays.equals(a, AugmentationCases.seenByTraining(RandomTranslation.of(0.3,
        0.3), image, 2)));
    assertFalse(Arrays.equals(a, flat(image)), "training sees a shifted image");
  }

  @Test
  void isTheIdentityAtInferenceAndInExports(@TempDir Path tmp) {
    FloatNdArray x = uniform(4, 0, 1, 3, 5, 4, 1);
    AugmentationCases.assertIdentityAtInference(RandomTranslation.of(0.5, 0.5), x);
    AugmentationCases.assertExportIsIdentity(RandomTranslation.of(0.5, 0.5), x,
        tmp.resolve("export"));
  }

  @Test
  void trainingRefusesWeightsBeforeTheWarp() {
    AugmentationCases.assertRefusedAfterWeights(RandomTranslation.of(0.1, 0.1),
        "RandomTranslation: position must be before every layer with weights (TensorFlow has"
        + " no gradient for its image warp, ImageProjectiveTransformV3); got a layer after"
        + " weights. Put augmentation layers right after the Input.");
  }

  @Test
  void factorsMustBeInMinusOneToOne() {
    var e = assertThrows(IllegalArgumentException.class, () -> RandomTranslation.of(0.1, 2));
    assertEquals("RandomTranslation: width factor must be in [-1, 1]; got 2.0.", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> RandomTranslation.of(0.1, 0.1).name("shift").heightRange(-1.5, 0));
    assertEquals("RandomTranslation 'shift': height factor must be in [-1, 1]; got -1.5.",
        e.getMessage());
  }

  @Test
  void configKeepsKerasFactorForms() {
    Config c = RandomTranslation.of(0.1, 0.2).widthRange(0, 0.2).config();
    assertEquals(0.1, c.get("height_factor"));
    assertEquals(List.of(0.0, 0.2), c.get("width_factor"));
    var e = assertThrows(IllegalArgumentException.class, () -> RandomTranslation.fromConfig(
        Config.of(Map.of("height_factor", "a lot", "width_factor", 0.1))));
    assertEquals("RandomTranslation: config height_factor must be a number or a pair of"
        + " numbers; got a lot.", e.getMessage());
  }

  @Test
  void toStringShowsNonDefaultSettings() {
    assertEquals("RandomTranslation(height_factor=0.1, width_factor=0.1)",
        RandomTranslation.of(0.1, 0.1).toString());
    assertEquals("RandomTranslation(height_factor=(-0.1, 0.3), width_factor=0.2,"
        + " interpolation=nearest)", RandomTranslation.of(0, 0.2).heightRange(-0.1, 0.3)
        .interpolation(Interpolation.NEAREST).toString());
  }
}
