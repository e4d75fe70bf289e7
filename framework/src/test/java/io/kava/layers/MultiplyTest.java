package io.kava.layers;

import static io.kava.TestArrays.array;
import static io.kava.TestArrays.shape;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kava.Model;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.Shape;

class MultiplyTest extends LayerContract {

  @Override
  List<ShapeCase> shapeCases() {
    return List.of(
        ShapeCase.of(Multiply.of(), shape(3), 3),
        ShapeCase.of(Multiply.of(), shape(4, 4, 2), 4, 4, 2));
  }

  @Override
  List<String> expectedWeightNames() {
    return List.of();
  }

  @Override
  GradientCase gradientCase() {
    return MergeCases.throughTwoBranches(Multiply.of());
  }

  @Override
  Model shapeModel(ShapeCase c) {
    return MergeCases.twice(c);
  }

  @Override
  Shape declaredShape(ShapeCase c) {
    return MergeCases.declaredTwice(c);
  }

  @Test
  void multipliesTwoInputsElementByElement() {
    assertValues(shape(2, 2), new float[] {2, -6, 0, 2.5f},
        MergeCases.predict(Multiply.of(), array(shape(2, 2), 1, 2, 3, 5),
            array(shape(2, 2), 2, -3, 0, 0.5f)));
  }

  @Test
  void multipliesThreeInputs() {
    assertValues(shape(1, 3), new float[] {-6, 0, 1},
        MergeCases.predict(Multiply.of(), array(shape(1, 3), 1, 2, 4),
            array(shape(1, 3), 2, 0, 0.5f), array(shape(1, 3), -3, 7, 0.5f)));
  }

  @Test
  void needsTwoOrMoreInputsOfOneShape() {
    Input a = Input.of(4);
    var e = assertThrows(IllegalArgumentException.class, () -> Multiply.of().apply(a));
    assertEquals("Multiply: number of inputs must be >= 2 (apply it to several nodes); got 1.",
        e.getMessage());
    Input b = Input.of(5);
    e = assertThrows(IllegalArgumentException.class,
        () -> Multiply.of().name("gate").apply(a, b));
    assertEquals("Multiply 'gate': inputs must all have the same shape; got (4,), (5,).",
        e.getMessage());
  }

  @Test
  void toStringShowsTheName() {
    assertEquals("Multiply()", Multiply.of().toString());
    assertEquals("Multiply(name=gate)", Multiply.of().name("gate").toString());
  }
}
