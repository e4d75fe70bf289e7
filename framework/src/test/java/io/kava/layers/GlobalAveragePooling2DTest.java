package io.kava.layers;

import static io.kava.TestArrays.array;
import static io.kava.TestArrays.shape;
import static io.kava.layers.PoolingCases.RAMP_4X4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kava.Sequential;
import java.util.List;
import org.junit.jupiter.api.Test;

class GlobalAveragePooling2DTest extends LayerContract {

  @Override
  List<ShapeCase> shapeCases() {
    return List.of(
        ShapeCase.of(GlobalAveragePooling2D.of(), shape(4, 4, 3), 3),
        ShapeCase.of(GlobalAveragePooling2D.of().keepdims(true), shape(5, 3, 2), 1, 1, 2),
        ShapeCase.of(GlobalAveragePooling2D.of(), shape(1, 1, 8), 8));
  }

  @Override
  List<String> expectedWeightNames() {
    return List.of();
  }

  @Override
  GradientCase gradientCase() {
    return PoolingCases.through(GlobalAveragePooling2D.of(), array(shape(2, 1), 0.5f, -0.3f));
  }

  @Test
  void averagesEachChannelOverTheImage() {
    // Channel 0 is 0..15 (mean 7.5), channel 1 twice its negation (mean -15).
    float[] v = new float[32];
    for (int k = 0; k < 16; k++) {
      v[2 * k] = k;
      v[2 * k + 1] = -2 * k;
    }
    assertValues(shape(1, 2), new float[] {7.5f, -15},
        predict(GlobalAveragePooling2D.of(), array(shape(1, 4, 4, 2), v)));
    assertValues(shape(1, 1, 1, 1), new float[] {7.5f},
        predict(GlobalAveragePooling2D.of().keepdims(true), RAMP_4X4));
  }

  @Test
  void inputMustBeAnImage() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> new Sequential(Input.of(10), GlobalAveragePooling2D.of().name("gap")));
    assertEquals("GlobalAveragePooling2D 'gap': input must have rank 3 (height, width, channels)"
        + " per sample; got shape (10,). Images are NHWC: use Input.of(h, w, c).",
        e.getMessage());
  }

  @Test
  void toStringShowsKeepdimsWhenSet() {
    assertEquals("GlobalAveragePooling2D()", GlobalAveragePooling2D.of().toString());
    assertEquals("GlobalAveragePooling2D(keepdims=true, name=gap)",
        GlobalAveragePooling2D.of().keepdims(true).name("gap").toString());
  }
}
