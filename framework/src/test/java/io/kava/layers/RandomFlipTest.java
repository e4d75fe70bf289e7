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

import io.kava.Sequential;
import io.kava.saving.Config;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.FloatNdArray;

class RandomFlipTest extends LayerContract {
  /** A 2x3 image 1..6 (one channel); flips of it, row-major. */
  private static final FloatNdArray IMAGE = array(shape(1, 2, 3, 1), 1, 2, 3, 4, 5, 6);
  private static final float[] LEFT_RIGHT = {3, 2, 1, 6, 5, 4};
  private static final float[] UP_DOWN = {4, 5, 6, 1, 2, 3};
  private static final float[] TURNED = {6, 5, 4, 3, 2, 1};

  @Override
  List<ShapeCase> shapeCases() {
    return List.of(
        ShapeCase.of(RandomFlip.of(), shape(4, 4, 3), 4, 4, 3),
        ShapeCase.of(RandomFlip.of(RandomFlip.Mode.HORIZONTAL), shape(2, 3, 1), 2, 3, 1));
  }

  @Override
  List<String> expectedWeightNames() {
    return List.of();
  }

  /** Flipping has a gradient, so it may sit between weights: the training step crosses it. */
  @Override
  GradientCase gradientCase() {
    Sequential model = new Sequential(Input.of(4, 4, 1), Conv2D.of(2, 1), RandomFlip.of(),
        Flatten.of(), Dense.of(1)).seed(3);
    return GradientCase.of(model, uniform(1, -1, 1, 3, 4, 4, 1), uniform(2, -1, 1, 3, 1));
  }

  /**
   * The training gradient depends on the random flips, so finite differences of the (flip-
   * free) evaluation loss do not apply: instead the image a training step trains on must be
   * the image or its flip, and over several seeds both.
   */
  @Override
  @Test
  void gradientsMatchFiniteDifferences() {
    boolean kept = false;
    boolean flipped = false;
    for (long seed = 0; seed < 12; seed++) {
      float[] seen = AugmentationCases.seenByTraining(RandomFlip.of(RandomFlip.Mode.HORIZONTAL),
          IMAGE, seed);
      kept |= Arrays.equals(seen, flat(IMAGE));
      flipped |= Arrays.equals(seen, LEFT_RIGHT);
      assertTrue(Arrays.equals(seen, flat(IMAGE)) || Arrays.equals(seen, LEFT_RIGHT),
          Arrays.toString(seen));
    }
    assertTrue(kept && flipped, "12 seeds show both outcomes");
  }

  @Test
  void eachModeFlipsItsAxesWithProbabilityOneHalf() {
    // 64 copies of the image in one batch: each is kept or flipped by its own draw.
    float[] batch = new float[64 * 6];
    for (int i = 0; i < 64; i++) {
      System.arraycopy(flat(IMAGE), 0, batch, 6 * i, 6);
    }
    Map<RandomFlip.Mode, float[]> flips = Map.of(RandomFlip.Mode.HORIZONTAL, LEFT_RIGHT,
        RandomFlip.Mode.VERTICAL, UP_DOWN, RandomFlip.Mode.HORIZONTAL_AND_VERTICAL, TURNED);
    for (RandomFlip.Mode mode : RandomFlip.Mode.values()) {
      float[] out = flat(GraphContext.run(RandomFlip.of(mode), true,
          array(shape(64, 2, 3, 1), batch), 5, 9));
      int flipped = 0;
      for (int i = 0; i < 64; i++) {
        float[] one = Arrays.copyOfRange(out, 6 * i, 6 * i + 6);
        boolean isFlip = Arrays.equals(one, flips.get(mode));
        assertTrue(isFlip || Arrays.equals(one, flat(IMAGE)), mode + ": " + Arrays.toString(one));
        flipped += isFlip ? 1 : 0;
      }
      // Binomial(64, 1/2): 32 +- 4; 12..52 is 5 standard deviations.
      assertTrue(flipped > 12 && flipped < 52, mode + " flipped " + flipped);
    }
  }

  @Test
  void isTheIdentityAtInferenceAndInExports(@TempDir Path tmp) {
    FloatNdArray x = uniform(4, 0, 1, 3, 5, 4, 1);
    assertArrayEquals(flat(x), flat(GraphContext.run(RandomFlip.of(), false, x)));
    AugmentationCases.assertIdentityAtInference(RandomFlip.of(), x);
    AugmentationCases.assertExportIsIdentity(RandomFlip.of(), x, tmp.resolve("export"));
  }

  @Test
  void sameFitSeedGivesTheSameFlips() {
    for (long seed : new long[] {1, 2}) {
      float[] a = AugmentationCases.seenByTraining(RandomFlip.of(), IMAGE, seed);
      float[] b = AugmentationCases.seenByTraining(RandomFlip.of(), IMAGE, seed);
      assertArrayEquals(a, b);
    }
    // Eight images: the flips one seed draws are drawn again by it, not by another seed.
    FloatNdArray batch = uniform(6, 0, 1, 8, 2, 3, 1);
    float[] one = flat(GraphContext.run(RandomFlip.of(), true, batch, 3, 0));
    assertArrayEquals(one, flat(GraphContext.run(RandomFlip.of(), true, batch, 3, 0)));
    assertFalse(Arrays.equals(one, flat(GraphContext.run(RandomFlip.of(), true, batch, 4, 0))));
  }

  @Test
  void modeParsesKerasNames() {
    assertEquals(RandomFlip.Mode.HORIZONTAL_AND_VERTICAL, RandomFlip.fromConfig(Config.EMPTY)
        .mode());
    assertEquals(RandomFlip.Mode.VERTICAL,
        RandomFlip.fromConfig(Config.of(Map.of("mode", "vertical"))).mode());
    var e = assertThrows(IllegalArgumentException.class,
        () -> RandomFlip.fromConfig(Config.of(Map.of("mode", "diagonal"))));
    assertEquals("RandomFlip: mode must be 'horizontal', 'vertical' or 'horizontal_and_vertical';"
        + " got 'diagonal'.", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> RandomFlip.of(null));
    assertEquals("RandomFlip: mode must be non-null; got null.", e.getMessage());
  }

  @Test
  void toStringShowsANonDefaultMode() {
    assertEquals("RandomFlip()", RandomFlip.of().toString());
    assertEquals("RandomFlip(mode=horizontal, name=flip)",
        RandomFlip.of(RandomFlip.Mode.HORIZONTAL).name("flip").toString());
    assertEquals("RandomFlip(name=flip)", RandomFlip.of().name("flip").toString());
  }
}
