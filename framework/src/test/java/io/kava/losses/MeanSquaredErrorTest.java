package io.kava.losses;

import static io.kava.TestArrays.array;
import static io.kava.TestArrays.flat;
import static io.kava.TestArrays.matrix;
import static io.kava.TestArrays.shape;
import static io.kava.TestArrays.vector;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kava.FitOptions;
import io.kava.Sequential;
import io.kava.layers.Conv2D;
import io.kava.layers.Dense;
import io.kava.layers.Input;
import io.kava.optimizers.SGD;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.Shape;

class MeanSquaredErrorTest {

  @Test
  void meanOverUnitsThenSamples() {
    try (Sequential model = new Sequential(Input.of(2), Dense.of(2))) {
      model.compile(new SGD(), new MeanSquaredError());
      model.setWeights(List.of(matrix(new float[] {1, 0}, new float[] {0, 1}), vector(0, 0)));
      FloatNdArray x = matrix(new float[] {1, 2}, new float[] {-1, 0});
      FloatNdArray y = matrix(new float[] {0, 0}, new float[] {1, 3});
      // Sample 0: (1 + 4) / 2 = 2.5; sample 1: (4 + 9) / 2 = 6.5; mean 4.5.
      assertEquals(4.5, model.evaluate(x, y).get("loss"), 1e-6);
    }
  }

  @Test
  void imageOutputsAverageOverEveryPixel() {
    // Keras reduces to one scalar: the mean over samples, rows, columns and channels.
    try (Sequential model = new Sequential(Input.of(3, 3, 1), Conv2D.of(1, 2).useBias(false))) {
      model.compile(new SGD(1), new MeanSquaredError());
      model.setWeights(List.of(array(shape(2, 2, 1, 1), 1, 1, 1, 1)));
      float[] pixels = new float[9];
      pixels[0] = 1;
      FloatNdArray x = array(shape(1, 3, 3, 1), pixels);
      FloatNdArray y = array(shape(1, 2, 2, 1), new float[4]);
      // The output is [[1, 0], [0, 0]]: the loss is 1 / 4, its gradient for the top-left
      // kernel weight 2 * 1 * 1 / 4 = 0.5.
      assertEquals(0.25, model.evaluate(x, y).get("loss"), 1e-7);
      assertEquals(0.25, model.fit(x, y, FitOptions.defaults().verbose(0)).last("loss"), 1e-7);
      assertArrayEquals(new float[] {0.5f, 1, 1, 1}, flat(model.getWeights().get(0)), 1e-7f);
    }
  }

  @Test
  void nameAndLabelShape() {
    assertEquals("mean_squared_error", new MeanSquaredError().name());
    assertEquals(Shape.of(4, 4, 2),
        new MeanSquaredError().labelShape(Shape.of(4, 4, 2)));
  }
}
