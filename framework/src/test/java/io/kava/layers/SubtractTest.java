package io.kava.layers;

import static io.kava.TestArrays.array;
import static io.kava.TestArrays.shape;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kava.Model;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.Shape;

class SubtractTest extends LayerContract {

  @Override
  List<ShapeCase> shapeCases() {
    return List.of(
        ShapeCase.of(Subtract.of(), shape(3), 3),
        ShapeCase.of(Subtract.of(), shape(4, 4, 2), 4, 4, 2));
  }

  @Override
  List<String> expectedWeightNames() {
    return List.of();
  }

  @Override
  GradientCase gradientCase() {
    return MergeCases.throughTwoBranches(Subtract.of());
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
  void subtractsTheSecondInputFromTheFirst() {
    assertValues(shape(2, 3), new float[] {0.5f, -3, 6, 0, 1, -1},
        MergeCases.predict(Subtract.of(), array(shape(2, 3), 1, -1, 4, 2, 2, 0),
            array(shape(2, 3), 0.5f, 2, -2, 2, 1, 1)));
  }

  @Test
  void takesExactlyTwoInputsOfOneShape() {
    Input a = Input.of(3);
    Input b = Input.of(3);
    var e = assertThrows(IllegalArgumentException.class, () -> Subtract.of().apply(a, b, a));
    assertEquals("Subtract: number of inputs must be 2 (apply(a, b) gives a - b); got 3.",
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Subtract.of().name("diff").apply(a));
    assertEquals("Subtract 'diff': number of inputs must be 2 (apply(a, b) gives a - b); got 1.",
        e.getMessage());
    Input c = Input.of(2, 3);
    Input d = Input.of(3, 2);
    e = assertThrows(IllegalArgumentException.class, () -> Subtract.of().apply(c, d));
    assertEquals("Subtract: inputs must all have the same shape; got (2, 3), (3, 2).",
        e.getMessage());
  }

  @Test
  void calledAsASingleInputLayerItSaysHowToApplyIt() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> Subtract.of().outputShape(Shape.of(3)));
    assertEquals("Subtract merges several inputs: use Subtract.of().apply(a, b).",
        e.getMessage());
  }

  @Test
  void toStringShowsTheName() {
    assertEquals("Subtract()", Subtract.of().toString());
    assertEquals("Subtract(name=diff)", Subtract.of().name("diff").toString());
  }
}
