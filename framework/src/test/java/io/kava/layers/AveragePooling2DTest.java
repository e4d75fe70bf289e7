package io.kava.layers;

import static io.kava.TestArrays.shape;
import static io.kava.layers.PoolingCases.RAMP_3X3;
import static io.kava.layers.PoolingCases.RAMP_4X4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kava.Sequential;
import java.util.List;
import org.junit.jupiter.api.Test;

class AveragePooling2DTest extends LayerContract {

  @Override
  List<ShapeCase> shapeCases() {
    return List.of(
        ShapeCase.of(AveragePooling2D.of(2), shape(4, 4, 3), 2, 2, 3),
        ShapeCase.of(AveragePooling2D.of(2), shape(5, 5, 1), 2, 2, 1),
        ShapeCase.of(AveragePooling2D.of(2).padding(Padding.SAME), shape(5, 5, 1), 3, 3, 1),
        ShapeCase.of(AveragePooling2D.of(3).strides(1), shape(4, 4, 2), 2, 2, 2),
        ShapeCase.of(AveragePooling2D.of(2, 3).strides(1, 2), shape(5, 7, 1), 4, 3, 1));
  }

  @Override
  List<String> expectedWeightNames() {
    return List.of();
  }

  @Override
  GradientCase gradientCase() {
    return PoolingCases.through(AveragePooling2D.of(2));
  }

  @Test
  void averagesEachWindow() {
    // (0 + 1 + 4 + 5) / 4 = 2.5, (2 + 3 + 6 + 7) / 4 = 4.5, 10.5, 12.5
    assertValues(shape(1, 2, 2, 1), new float[] {2.5f, 4.5f, 10.5f, 12.5f},
        predict(AveragePooling2D.of(2), RAMP_4X4));
  }

  @Test
  void overlappingWindowsWithStrideOne() {
    assertValues(shape(1, 3, 3, 1), new float[] {2.5f, 3.5f, 4.5f, 6.5f, 7.5f, 8.5f, 10.5f,
        11.5f, 12.5f}, predict(AveragePooling2D.of(2).strides(1), RAMP_4X4));
  }

  @Test
  void samePaddingAveragesOnlyRealCells() {
    // Windows {1,2,4,5} -> 3, {3,6} -> 4.5, {7,8} -> 7.5, {9} -> 9: padding is not counted.
    assertValues(shape(1, 2, 2, 1), new float[] {3, 4.5f, 7.5f, 9},
        predict(AveragePooling2D.of(2).padding(Padding.SAME), RAMP_3X3));
  }

  @Test
  void poolSizeMustBePositive() {
    var e = assertThrows(IllegalArgumentException.class, () -> AveragePooling2D.of(2, 0));
    assertEquals("AveragePooling2D: pool size must be > 0; got 0.", e.getMessage());
  }

  @Test
  void windowBiggerThanTheInputFails() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> new Sequential(Input.of(3, 8, 1), AveragePooling2D.of(4)));
    assertEquals("AveragePooling2D: window 4x4 must fit in the input; got input (3, 8, 1)"
        + " with padding valid. Use Padding.SAME or a smaller window.", e.getMessage());
  }

  @Test
  void toStringShowsThePool() {
    assertEquals("AveragePooling2D(pool_size=(2, 2), name=avg)",
        AveragePooling2D.of(2).name("avg").toString());
  }
}
