package io.kava.layers;

import static io.kava.TestArrays.array;
import static io.kava.TestArrays.shape;
import static io.kava.TestArrays.uniform;
import static io.kava.layers.PoolingCases.RAMP_3X3;
import static io.kava.layers.PoolingCases.RAMP_4X4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kava.Sequential;
import java.util.List;
import org.junit.jupiter.api.Test;

class MaxPooling2DTest extends LayerContract {

  @Override
  List<ShapeCase> shapeCases() {
    return List.of(
        ShapeCase.of(MaxPooling2D.of(2), shape(4, 4, 3), 2, 2, 3),
        ShapeCase.of(MaxPooling2D.of(2), shape(5, 5, 1), 2, 2, 1),
        ShapeCase.of(MaxPooling2D.of(2).padding(Padding.SAME), shape(5, 5, 1), 3, 3, 1),
        ShapeCase.of(MaxPooling2D.of(3).strides(1), shape(4, 4, 2), 2, 2, 2),
        ShapeCase.of(MaxPooling2D.of(3).strides(2).padding(Padding.SAME), shape(7, 6, 2), 4, 3,
            2),
        ShapeCase.of(MaxPooling2D.of(2, 1), shape(4, 3, 1), 2, 3, 1),
        ShapeCase.of(MaxPooling2D.of(2), shape(26, 26, 32), 13, 13, 32));
  }

  @Override
  List<String> expectedWeightNames() {
    return List.of();
  }

  @Override
  GradientCase gradientCase() {
    return PoolingCases.through(MaxPooling2D.of(2));
  }

  @Test
  void keepsTheLargestValueOfEachWindow() {
    assertValues(shape(1, 2, 2, 1), new float[] {5, 7, 13, 15},
        predict(MaxPooling2D.of(2), RAMP_4X4));
  }

  @Test
  void poolsEachChannelSeparately() {
    // Channel 0 is 0..15, channel 1 its negation: the max of a negated window is its min.
    float[] v = new float[32];
    for (int k = 0; k < 16; k++) {
      v[2 * k] = k;
      v[2 * k + 1] = -k;
    }
    assertValues(shape(1, 2, 2, 2), new float[] {5, 0, 7, -2, 13, -8, 15, -10},
        predict(MaxPooling2D.of(2), array(shape(1, 4, 4, 2), v)));
  }

  @Test
  void stridesSmallerThanThePoolOverlapWindows() {
    assertValues(shape(1, 3, 3, 1), new float[] {5, 6, 7, 9, 10, 11, 13, 14, 15},
        predict(MaxPooling2D.of(2).strides(1), RAMP_4X4));
  }

  @Test
  void samePaddingKeepsPartialWindows() {
    // 3x3 -> 2x2: windows {1,2,4,5}, {3,6}, {7,8}, {9}.
    assertValues(shape(1, 2, 2, 1), new float[] {5, 6, 8, 9},
        predict(MaxPooling2D.of(2).padding(Padding.SAME), RAMP_3X3));
    // VALID drops the last row and column.
    assertValues(shape(1, 1, 1, 1), new float[] {5}, predict(MaxPooling2D.of(2), RAMP_3X3));
  }

  @Test
  void poolSizeMustBePositive() {
    var e = assertThrows(IllegalArgumentException.class, () -> MaxPooling2D.of(0));
    assertEquals("MaxPooling2D: pool size must be > 0; got 0.", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> MaxPooling2D.of(2).strides(-1));
    assertEquals("MaxPooling2D: strides must be > 0; got [-1, -1].", e.getMessage());
  }

  @Test
  void windowBiggerThanTheInputFails() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> new Sequential(Input.of(4, 4, 1), MaxPooling2D.of(5).name("pool")));
    assertEquals("MaxPooling2D 'pool': window 5x5 must fit in the input; got input (4, 4, 1)"
        + " with padding valid. Use Padding.SAME or a smaller window.", e.getMessage());
  }

  @Test
  void windowBiggerThanAnInferredInputFailsAtFirstPredict() {
    try (Sequential model = new Sequential(MaxPooling2D.of(3))) {
      var e = assertThrows(IllegalArgumentException.class,
          () -> model.predict(uniform(1, 0, 1, 1, 2, 2, 1)));
      assertTrue(e.getMessage().startsWith("MaxPooling2D: window 3x3 must fit"),
          e.getMessage());
    }
  }

  @Test
  void toStringShowsPoolAndNonDefaultStrides() {
    assertEquals("MaxPooling2D(pool_size=(2, 2))", MaxPooling2D.of(2).toString());
    assertEquals("MaxPooling2D(pool_size=(3, 3), strides=(2, 2), padding=same)",
        MaxPooling2D.of(3).strides(2).padding(Padding.SAME).toString());
  }
}
