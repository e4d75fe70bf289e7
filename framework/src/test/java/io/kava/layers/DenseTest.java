package io.kava.layers;

import static io.kava.TestArrays.array;
import static io.kava.TestArrays.flat;
import static io.kava.TestArrays.matrix;
import static io.kava.TestArrays.shape;
import static io.kava.TestArrays.uniform;
import static io.kava.TestArrays.vector;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kava.FitOptions;
import io.kava.Sequential;
import io.kava.losses.MeanSquaredError;
import io.kava.optimizers.SGD;
import java.util.List;
import org.junit.jupiter.api.Test;

class DenseTest extends LayerContract {

  @Override
  List<ShapeCase> shapeCases() {
    return List.of(
        ShapeCase.of(Dense.of(3), shape(5), 3),
        ShapeCase.of(Dense.of(1).activation(Activation.SIGMOID), shape(2), 1),
        ShapeCase.of(Dense.of(4).useBias(false), shape(7), 4));
  }

  @Override
  List<String> expectedWeightNames() {
    return List.of("dense/kernel", "dense/bias");
  }

  @Override
  GradientCase gradientCase() {
    Sequential model = new Sequential(Input.of(3), Dense.of(4).activation(Activation.TANH),
        Dense.of(1)).seed(5);
    return GradientCase.of(model, uniform(1, -1, 1, 4, 3), uniform(2, -1, 1, 4, 1));
  }

  @Test
  void computesInputTimesKernelPlusBias() {
    var kernel = matrix(new float[] {1, 2}, new float[] {3, 4}, new float[] {5, 6});
    var bias = vector(0.5f, -1);
    var x = matrix(new float[] {1, 0, -1}, new float[] {2, 1, 0});
    // [1, 0, -1] @ K = [1 - 5, 2 - 6] = [-4, -4]; [2, 1, 0] @ K = [2 + 3, 4 + 4] = [5, 8]
    assertValues(shape(2, 2), new float[] {-3.5f, -5, 5.5f, 7},
        predict(Dense.of(2), x, kernel, bias));
    assertValues(shape(2, 2), new float[] {0, 0, 5.5f, 7},
        predict(Dense.of(2).activation(Activation.RELU), x, kernel, bias));
    assertValues(shape(2, 2), new float[] {-4, -4, 5, 8},
        predict(Dense.of(2).useBias(false), x, kernel));
  }

  @Test
  void withoutBiasHasOnlyAKernel() {
    try (Sequential model = new Sequential(Input.of(3), Dense.of(2).useBias(false))) {
      assertEquals(List.of("dense/kernel"), model.weightNames());
      assertEquals(6, model.countParams());
    }
  }

  @Test
  void defaultKernelIsGlorotUniform() {
    // Keras's glorot_uniform: U(-l, l), l = sqrt(6 / (fan_in + fan_out)); bias zeros.
    try (Sequential model = new Sequential(Input.of(200), Dense.of(100)).seed(3)) {
      float[] kernel = flat(model.getWeights().get(0));
      double limit = Math.sqrt(6.0 / 300);
      double min = 0;
      double max = 0;
      for (float v : kernel) {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
      assertTrue(max <= limit && min >= -limit, min + ".." + max);
      assertTrue(max > 0.95 * limit && min < -0.95 * limit, "values fill U(-l, l): " + min
          + ".." + max);
      assertEquals(0f, flat(model.getWeights().get(1))[0]);
    }
  }

  @Test
  void unitsMustBePositive() {
    var e = assertThrows(IllegalArgumentException.class, () -> Dense.of(0));
    assertEquals("Dense: units must be > 0; got 0.", e.getMessage());
  }

  @Test
  void imageInputWithoutFlattenFailsNamingTheLayerAndSuggestingFlatten() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> new Sequential(Input.of(28, 28, 1), Dense.of(10)));
    assertTrue(e.getMessage().startsWith("Dense: input must have rank 1"), e.getMessage());
    assertTrue(e.getMessage().contains("(28, 28, 1)"), e.getMessage());
    assertTrue(e.getMessage().contains("Flatten"), e.getMessage());
  }

  @Test
  void imageDataWithoutInputFailsAtFirstFitNamingTheLayer() {
    try (Sequential model = new Sequential(Dense.of(10).name("head"))) {
      model.compile(new SGD(), new MeanSquaredError());
      var e = assertThrows(IllegalArgumentException.class, () -> model.fit(
          uniform(1, 0, 1, 2, 4, 4, 1), uniform(2, 0, 1, 2, 10),
          FitOptions.defaults().verbose(0)));
      assertTrue(e.getMessage().startsWith("Dense 'head': input must have rank 1"),
          e.getMessage());
      assertTrue(e.getMessage().contains("(4, 4, 1)") && e.getMessage().contains("Flatten"),
          e.getMessage());
    }
  }

  @Test
  void nullOptionsFailNamingTheLayer() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> Dense.of(2).name("head").activation(null));
    assertEquals("Dense 'head': activation must be non-null; got null.", e.getMessage());
  }

  @Test
  void toStringShowsNonDefaultSettings() {
    assertEquals("Dense(units=10)", Dense.of(10).toString());
    assertEquals("Dense(units=10, activation=softmax, use_bias=false, name=out)",
        Dense.of(10).activation(Activation.SOFTMAX).useBias(false).name("out").toString());
  }

  @Test
  void wrongKernelShapeInSetWeightsNamesTheWeight() {
    try (Sequential model = new Sequential(Input.of(3), Dense.of(2))) {
      var e = assertThrows(IllegalArgumentException.class,
          () -> model.setWeights(List.of(array(shape(2, 3), new float[6]), vector(0, 0))));
      assertTrue(e.getMessage().contains("'dense/kernel' must have shape [3, 2]; got [2, 3]"),
          e.getMessage());
    }
  }
}
