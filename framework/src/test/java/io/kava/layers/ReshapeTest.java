package io.kava.layers;

import static io.kava.TestArrays.array;
import static io.kava.TestArrays.shape;
import static io.kava.TestArrays.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kava.Sequential;
import io.kava.saving.Config;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReshapeTest extends LayerContract {

  @Override
  List<ShapeCase> shapeCases() {
    return List.of(
        ShapeCase.of(Reshape.of(3, 4), shape(12), 3, 4),
        ShapeCase.of(Reshape.of(-1), shape(2, 3, 2), 12),
        ShapeCase.of(Reshape.of(1, 1, -1), shape(256), 1, 1, 256),
        ShapeCase.of(Reshape.of(2, -1, 3), shape(4, 3), 2, 2, 3));
  }

  @Override
  List<String> expectedWeightNames() {
    return List.of();
  }

  /** A dense layer's 12 outputs become a 2x2x3 image for a convolution. */
  @Override
  GradientCase gradientCase() {
    Sequential model = new Sequential(Input.of(3), Dense.of(12).activation(Activation.TANH),
        Reshape.of(2, 2, -1), Conv2D.of(2, 2), Flatten.of(), Dense.of(1)).seed(4);
    return GradientCase.of(model, uniform(1, -1, 1, 4, 3), uniform(2, -1, 1, 4, 1));
  }

  @Test
  void keepsRowMajorOrder() {
    assertValues(shape(2, 2, 3), new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11},
        predict(Reshape.of(2, 3), array(shape(2, 6), 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)));
    assertValues(shape(1, 3, 2), new float[] {0, 1, 2, 3, 4, 5},
        predict(Reshape.of(-1, 2), array(shape(1, 1, 2, 3), 0, 1, 2, 3, 4, 5)));
  }

  @Test
  void sizesMustAgreeAndTheMessageNamesBothShapes() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> new Sequential(Input.of(2, 6), Reshape.of(3, 5)));
    assertEquals("Reshape: target shape (3, 5) must hold the 12 elements of input shape (2, 6);"
        + " got 15 elements.", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new Sequential(Input.of(12), Reshape.of(5, -1).name("r")));
    assertEquals("Reshape 'r': target shape (5, -1) must hold the 12 elements of input shape"
        + " (12,); got no whole size for -1.", e.getMessage());
  }

  @Test
  void targetShapeIsChecked() {
    var e = assertThrows(IllegalArgumentException.class, () -> Reshape.of(-1, 2, -1));
    assertEquals("Reshape: target shape must be dimensions > 0 with at most one -1 (inferred);"
        + " got [-1, 2, -1].", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Reshape.of(0, 3));
    assertEquals("Reshape: target shape must be dimensions > 0 with at most one -1 (inferred);"
        + " got [0, 3].", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Reshape.of());
    assertEquals("Reshape: target shape must be at least one dimension; got ().",
        e.getMessage());
  }

  @Test
  void configIsKerasTargetShape() {
    assertEquals(Config.of(Map.of("target_shape", List.of(1, 1, -1))),
        Reshape.of(1, 1, -1).config());
    assertArrayEquals(new long[] {7, 7, 64},
        Reshape.fromConfig(Config.of(Map.of("target_shape", List.of(7, 7, 64)))).targetShape());
  }

  @Test
  void toStringShowsTheTarget() {
    assertEquals("Reshape(target_shape=(7, 7, 64))", Reshape.of(7, 7, 64).toString());
    assertEquals("Reshape(target_shape=(-1,), name=r)", Reshape.of(-1).name("r").toString());
  }
}
