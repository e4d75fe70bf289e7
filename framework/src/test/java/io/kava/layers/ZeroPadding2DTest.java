package io.kava.layers;

import static io.kava.TestArrays.array;
import static io.kava.TestArrays.shape;
import static io.kava.TestArrays.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kava.Sequential;
import io.kava.saving.Config;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ZeroPadding2DTest extends LayerContract {

  @Override
  List<ShapeCase> shapeCases() {
    return List.of(
        ShapeCase.of(ZeroPadding2D.of(1), shape(3, 3, 2), 5, 5, 2),
        ShapeCase.of(ZeroPadding2D.of(2, 1), shape(3, 4, 1), 7, 6, 1),
        ShapeCase.of(ZeroPadding2D.of(0, 1, 0, 1), shape(4, 4, 3), 5, 5, 3),
        ShapeCase.of(ZeroPadding2D.of(3), shape(224, 224, 3), 230, 230, 3));
  }

  @Override
  List<String> expectedWeightNames() {
    return List.of();
  }

  /** Padding between weights: zeros reach the second convolution, gradients the first. */
  @Override
  GradientCase gradientCase() {
    Sequential model = new Sequential(Input.of(3, 3, 2), Conv2D.of(2, 1)
        .activation(Activation.TANH), ZeroPadding2D.of(1, 0, 0, 1), Conv2D.of(1, 2), Flatten.of(),
        Dense.of(1)).seed(6);
    return GradientCase.of(model, uniform(1, -1, 1, 3, 3, 3, 2), uniform(2, -1, 1, 3, 1));
  }

  @Test
  void putsZerosOnEachSide() {
    // The 2x2 image 1..4 with one row above, none below, none left and two columns right.
    assertValues(shape(1, 3, 4, 1), new float[] {0, 0, 0, 0, 1, 2, 0, 0, 3, 4, 0, 0},
        predict(ZeroPadding2D.of(1, 0, 0, 2), array(shape(1, 2, 2, 1), 1, 2, 3, 4)));
    // Symmetric: a 1x1 image in a frame of zeros, per channel.
    assertValues(shape(1, 3, 3, 2), new float[] {0, 0, 0, 0, 0, 0, 0, 0, 5, -5, 0, 0, 0, 0, 0,
        0, 0, 0}, predict(ZeroPadding2D.of(1), array(shape(1, 1, 1, 2), 5, -5)));
  }

  @Test
  void configIsKerasNestedPadding() {
    assertEquals(Config.of(Map.of("padding", List.of(List.of(0, 1), List.of(2, 3)))),
        ZeroPadding2D.of(0, 1, 2, 3).config());
    // Keras also accepts one number or a symmetric (height, width) pair.
    assertEquals(ZeroPadding2D.of(2).toString(),
        ZeroPadding2D.fromConfig(Config.of(Map.of("padding", 2))).toString());
    assertEquals(ZeroPadding2D.of(1, 3).toString(),
        ZeroPadding2D.fromConfig(Config.of(Map.of("padding", List.of(1, 3)))).toString());
    var e = assertThrows(IllegalArgumentException.class, () -> ZeroPadding2D.fromConfig(
        Config.of(Map.of("padding", List.of(List.of(1), List.of(2))))));
    assertEquals("ZeroPadding2D: config padding must be a whole number, [height, width] or"
        + " [[top, bottom], [left, right]]; got [[1], [2]].", e.getMessage());
  }

  @Test
  void paddingMustNotBeNegative() {
    var e = assertThrows(IllegalArgumentException.class, () -> ZeroPadding2D.of(-1));
    assertEquals("ZeroPadding2D: padding (top, bottom, left, right) must be >= 0; got"
        + " [-1, -1, -1, -1].", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ZeroPadding2D.of(0, 1, -2, 0));
    assertEquals("ZeroPadding2D: padding (top, bottom, left, right) must be >= 0; got"
        + " [0, 1, -2, 0].", e.getMessage());
  }

  @Test
  void inputMustBeAnImage() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> new Sequential(Input.of(8), ZeroPadding2D.of(1)));
    assertEquals("ZeroPadding2D: input must have rank 3 (height, width, channels) per sample;"
        + " got shape (8,). Images are NHWC: use Input.of(h, w, c).", e.getMessage());
  }

  @Test
  void toStringShowsEachSide() {
    assertEquals("ZeroPadding2D(padding=((3, 3), (3, 3)))", ZeroPadding2D.of(3).toString());
    assertEquals("ZeroPadding2D(padding=((0, 1), (0, 1)), name=pad)",
        ZeroPadding2D.of(0, 1, 0, 1).name("pad").toString());
  }
}
