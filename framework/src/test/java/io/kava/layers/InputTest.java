package io.kava.layers;

import static io.kava.TestArrays.shape;
import static io.kava.TestArrays.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kava.Sequential;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.Shape;

/**
 * Input is not a layer of the model's list (it declares the model's input shape), so it gets
 * the parts of the layer contract that apply: shapes, weights and error messages.
 */
class InputTest {

  @Test
  void declaredShapeIsTheModelsInputAndTheGraphsShape() {
    Input in = Input.of(2, 3);
    assertEquals(Shape.of(2, 3), in.shape());
    assertEquals(Shape.of(2, 3), in.outputShape(Shape.of(2, 3)));
    try (Sequential model = new Sequential(in, Activation.LINEAR)) {
      assertEquals(Shape.of(2, 3), model.inputShape());
      assertEquals(Shape.of(4, 2, 3), model.predict(uniform(1, 0, 1, 4, 2, 3)).shape());
    }
  }

  @Test
  void hasNoWeightsAndNoSummaryRow() {
    try (Sequential model = new Sequential(Input.of(4), Dense.of(2))) {
      assertEquals(List.of("dense/kernel", "dense/bias"), model.weightNames());
      assertEquals(List.of("dense"), model.layerNames());
      assertFalse(model.summaryString().contains("InputLayer"), model.summaryString());
    }
  }

  @Test
  void shapeMustHaveAtLeastOnePositiveDimension() {
    var e = assertThrows(IllegalArgumentException.class, () -> Input.of());
    assertEquals("Input: shape must be at least one dimension; got ().", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Input.of(28, 0, 1));
    assertEquals("Input: every dimension must be > 0; got [28, 0, 1].", e.getMessage());
  }

  @Test
  void anotherShapeFailsWithBothShapes() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> Input.of(3).name("pixels").outputShape(Shape.of(4)));
    assertEquals("Input 'pixels': input shape must be (3,); got (4,).", e.getMessage());
  }

  @Test
  void mustComeFirst() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> new Sequential(Dense.of(2), Input.of(3)));
    assertEquals("Sequential 'sequential': Input must be the first layer and appear once; got"
        + " Input(shape=(3,)) after 1 layer(s).", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new Sequential(Input.of(3), Input.of(3)));
    assertTrue(e.getMessage().endsWith("got Input(shape=(3,)) after another Input."),
        e.getMessage());
  }

  @Test
  void toStringShowsShapeAndName() {
    assertEquals("Input(shape=(28, 28, 1))", Input.of(28, 28, 1).toString());
    assertEquals("Input(shape=(3,), name=pixels)", Input.of(shape(3)).name("pixels").toString());
  }
}
