package io.kava.layers;

import static io.kava.TestArrays.array;
import static io.kava.TestArrays.flat;
import static io.kava.TestArrays.shape;
import static io.kava.TestArrays.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kava.saving.Config;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.FloatNdArray;

class RandomRotationTest extends LayerContract {
  /** The 3x3 image 1..9. */
  private static final FloatNdArray IMAGE = array(shape(1, 3, 3, 1), 1, 2, 3, 4, 5, 6, 7, 8, 9);
  /** IMAGE turned a quarter counter-clockwise. */
  private static final float[] QUARTER_LEFT = {3, 6, 9, 2, 5, 8, 1, 4, 7};

  @Override
  List<ShapeCase> shapeCases() {
    return List.of(
        ShapeCase.of(RandomRotation.of(0.2), shape(4, 4, 3), 4, 4, 3),
        ShapeCase.of(RandomRotation.of(-0.1, 0.3).fillMode(FillMode.CONSTANT).fillValue(0.5)
            .interpolation(Interpolation.NEAREST), shape(5, 3, 1), 5, 3, 1));
  }

  @Override
  List<String> expectedWeightNames() {
    return List.of();
  }

  @Override
  GradientCase gradientCase() {
    return AugmentationCases.beforeWeights(RandomRotation.of(0.1));
  }

  /**
   * The warp has no gradient and sits before the weights; what the contract's check would
   * miss is whether training sees the rotated image. With the range fixed at a quarter turn the
   * rotation is certain: the image the training step trained on is the image turned left.
   */
  @Override
  @Test
  void gradientsMatchFiniteDifferences() {
    assertArrayEquals(QUARTER_LEFT, AugmentationCases.seenByTraining(
        RandomRotation.of(0.25, 0.25), IMAGE, 7), 1e-5f);
  }

  @Test
  void positiveAnglesTurnCounterClockwiseAboutTheCentre() {
    assertArrayEquals(QUARTER_LEFT, flat(GraphContext.run(RandomRotation.of(0.25, 0.25), true,
        IMAGE)), 1e-5f);
    assertArrayEquals(new float[] {7, 4, 1, 8, 5, 2, 9, 6, 3}, flat(GraphContext.run(
        RandomRotation.of(-0.25, -0.25), true, IMAGE)), 1e-5f);
    // Half a turn of a 2x3 image about its true centre: both axes reversed.
    assertArrayEquals(new float[] {6, 5, 4, 3, 2, 1}, flat(GraphContext.run(
        RandomRotation.of(0.5, 0.5), true, array(shape(1, 2, 3, 1), 1, 2, 3, 4, 5, 6))), 1e-5f);
  }

  @Test
  void eachImageDrawsItsOwnAngleAndASeedRepeatsThem() {
    FloatNdArray twice = array(shape(2, 3, 3, 1), 1, 2, 3, 4, 5, 6, 7, 8, 9, 1, 2, 3, 4, 5, 6,
        7, 8, 9);
    float[] out = flat(GraphContext.run(RandomRotation.of(0.3), true, twice, 1, 2));
    assertFalse(Arrays.equals(Arrays.copyOfRange(out, 0, 9), Arrays.copyOfRange(out, 9, 18)));
    assertArrayEquals(out, flat(GraphContext.run(RandomRotation.of(0.3), true, twice, 1, 2)));
    float[] a = AugmentationCases.seenByTraining(RandomRotation.of(0.3), IMAGE, 11);
    assertArrayEquals(a, AugmentationCases.seenByTraining(RandomRotation.of(0.3), IMAGE, 11));
    assertFalse(Arrays.equals(a, AugmentationCases.seenByTraining(RandomRotation.of(0.3), IMAGE,
        12)));
    assertFalse(Arrays.equals(a, flat(IMAGE)), "training sees a rotated image");
  }

  @Test
  void isTheIdentityAtInferenceAndInExports(@TempDir Path tmp) {
    FloatNdArray x = uniform(4, 0, 1, 3, 5, 4, 1);
    AugmentationCases.assertIdentityAtInference(RandomRotation.of(0.5), x);
    AugmentationCases.assertExportIsIdentity(RandomRotation.of(0.5), x, tmp.resolve("export"));
  }

  @Test
  void trainingRefusesWeightsBeforeTheWarp() {
    AugmentationCases.assertRefusedAfterWeights(RandomRotation.of(0.1).name("rot"),
        "RandomRotation 'rot': position must be before every layer with weights (TensorFlow has"
        + " no gradient for its image warp, ImageProjectiveTransformV3); got a layer after"
        + " weights. Put augmentation layers right after the Input.");
  }

  @Test
  void badSettingsFailNamingTheValue() {
    var e = assertThrows(IllegalArgumentException.class, () -> RandomRotation.of(1.5));
    assertEquals("RandomRotation: factor must be in [-1, 1]; got 1.5.", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> RandomRotation.of(-2, 0.1));
    assertEquals("RandomRotation: factor must be in [-1, 1]; got -2.0.", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> RandomRotation.of(0.1).name("rot").fillValue(Double.NaN));
    assertEquals("RandomRotation 'rot': fill value must be a finite number; got NaN.",
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> RandomRotation.of(0.1).fillMode(null));
    assertEquals("RandomRotation: fill mode must be non-null; got null.", e.getMessage());
  }

  @Test
  void configIsKerasFactorPairAndReadsOneNumber() {
    Config c = RandomRotation.of(0.2).config();
    assertEquals(List.of(-0.2, 0.2), c.get("factor"));
    assertEquals(List.of("factor", "fill_mode", "interpolation", "fill_value"),
        List.copyOf(c.asMap().keySet()));
    assertEquals("RandomRotation(factor=(-0.1, 0.1), fill_mode=wrap)", RandomRotation.fromConfig(
        Config.of(Map.of("factor", 0.1, "fill_mode", "wrap"))).toString());
    assertTrue(RandomRotation.of(0.3, -0.1).toString().startsWith("RandomRotation(factor=(-0.1,"
        + " 0.3)"), "bounds are sorted, as Keras");
  }

  @Test
  void toStringShowsNonDefaultSettings() {
    assertEquals("RandomRotation(factor=(-0.1, 0.1))", RandomRotation.of(0.1).toString());
    assertEquals("RandomRotation(factor=(0.0, 0.25), fill_mode=constant, interpolation=nearest,"
        + " fill_value=1.0, name=rot)", RandomRotation.of(0, 0.25).fillMode(FillMode.CONSTANT)
        .interpolation(Interpolation.NEAREST).fillValue(1).name("rot").toString());
  }
}
