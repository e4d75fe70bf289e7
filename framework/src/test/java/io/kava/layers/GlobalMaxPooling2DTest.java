package io.kava.layers;

import static io.kava.TestArrays.array;
import static io.kava.TestArrays.shape;
import static io.kava.layers.PoolingCases.RAMP_3X3;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kava.Sequential;
import java.util.List;
import org.junit.jupiter.api.Test;

class GlobalMaxPooling2DTest extends LayerContract {

  @Override
  List<ShapeCase> shapeCases() {
    return List.of(
        ShapeCase.of(GlobalMaxPooling2D.of(), shape(4, 4, 3), 3),
        ShapeCase.of(GlobalMaxPooling2D.of().keepdims(true), shape(2, 6, 4), 1, 1, 4));
  }

  @Override
  List<String> expectedWeightNames() {
    return List.of();
  }

  /**
   * Keeps the spatial axes, so Flatten sees (1, 1, 2); the inputs have no ties. The three
   * images hold the same values, so their outputs are equal: the dense weights keep that
   * output away from the targets' mean, where every gradient would vanish.
   */
  @Override
  GradientCase gradientCase() {
    return PoolingCases.through(GlobalMaxPooling2D.of().keepdims(true),
        array(shape(2, 1), 0.9f, -0.4f));
  }

  @Test
  void keepsTheLargestValueOfEachChannel() {
    // Channel 0 is 0..15, channel 1 its negation: the largest of the negation is 0.
    float[] v = new float[32];
    for (int k = 0; k < 16; k++) {
      v[2 * k] = k;
      v[2 * k + 1] = -k;
    }
    assertValues(shape(1, 2), new float[] {15, 0},
        predict(GlobalMaxPooling2D.of(), array(shape(1, 4, 4, 2), v)));
    assertValues(shape(1, 1, 1, 1), new float[] {9},
        predict(GlobalMaxPooling2D.of().keepdims(true), RAMP_3X3));
  }

  @Test
  void inputMustBeAnImage() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> new Sequential(Input.of(4, 4), GlobalMaxPooling2D.of()));
    assertEquals("GlobalMaxPooling2D: input must have rank 3 (height, width, channels) per"
        + " sample; got shape (4, 4). Images are NHWC: use Input.of(h, w, c).", e.getMessage());
  }

  @Test
  void toStringShowsKeepdimsWhenSet() {
    assertEquals("GlobalMaxPooling2D()", GlobalMaxPooling2D.of().toString());
    assertEquals("GlobalMaxPooling2D(keepdims=true)",
        GlobalMaxPooling2D.of().keepdims(true).toString());
  }
}
