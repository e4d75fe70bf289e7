package io.kava.layers;

import static io.kava.TestArrays.array;
import static io.kava.TestArrays.shape;
import static io.kava.TestArrays.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kava.Sequential;
import java.util.List;
import org.junit.jupiter.api.Test;

class RescalingTest extends LayerContract {

  @Override
  List<ShapeCase> shapeCases() {
    return List.of(
        ShapeCase.of(Rescaling.of(1 / 255.0), shape(4, 4, 3), 4, 4, 3),
        ShapeCase.of(Rescaling.of(2).offset(-1), shape(5), 5));
  }

  @Override
  List<String> expectedWeightNames() {
    return List.of();
  }

  @Override
  GradientCase gradientCase() {
    Sequential model = new Sequential(Input.of(3), Dense.of(4), Rescaling.of(0.5).offset(0.25),
        Dense.of(1)).seed(2);
    return GradientCase.of(model, uniform(1, -1, 1, 4, 3), uniform(2, -1, 1, 4, 1));
  }

  @Test
  void scalesThenOffsets() {
    assertValues(shape(1, 4), new float[] {-1, 0, 1, 0.5f},
        predict(Rescaling.of(1 / 127.5).offset(-1), array(shape(1, 4), 0, 127.5f, 255, 191.25f)));
    assertValues(shape(2, 1), new float[] {0.5f, 1},
        predict(Rescaling.of(1 / 255.0), array(shape(2, 1), 127.5f, 255)));
  }

  @Test
  void settingsMustBeFinite() {
    var e = assertThrows(IllegalArgumentException.class, () -> Rescaling.of(Double.NaN));
    assertEquals("Rescaling: scale must be a finite number; got NaN.", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Rescaling.of(1).name("px").offset(Double.POSITIVE_INFINITY));
    assertEquals("Rescaling 'px': offset must be a finite number; got Infinity.",
        e.getMessage());
  }

  @Test
  void toStringShowsScaleAndNonZeroOffset() {
    assertEquals("Rescaling(scale=0.5)", Rescaling.of(0.5).toString());
    assertEquals("Rescaling(scale=2.0, offset=-1.0, name=px)",
        Rescaling.of(2).offset(-1).name("px").toString());
  }
}
