package io.kava.layers;

import static io.kava.TestArrays.array;
import static io.kava.TestArrays.matrix;
import static io.kava.TestArrays.shape;
import static io.kava.TestArrays.uniform;
import static io.kava.TestArrays.vector;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kava.Sequential;
import io.kava.losses.MeanSquaredError;
import io.kava.optimizers.SGD;
import io.kava.saving.Config;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.FloatNdArray;

class LayerNormalizationTest extends LayerContract {
  private static final double EPSILON = 1e-3;

  @Override
  List<ShapeCase> shapeCases() {
    return List.of(
        ShapeCase.of(LayerNormalization.of(), shape(5), 5),
        ShapeCase.of(LayerNormalization.of().axis(1, 2, 3), shape(2, 2, 3), 2, 2, 3),
        ShapeCase.of(LayerNormalization.of().axis(-2).center(false), shape(3, 4), 3, 4));
  }

  @Override
  List<String> expectedWeightNames() {
    return List.of("layer_normalization/gamma", "layer_normalization/beta");
  }

  /**
   * Dense, LayerNormalization, Dense. Normalization undoes the scale of its input, so a weight
   * step is large or small relative to the weights it perturbs: the first kernel's entries are
   * a few units in size, so the 1e-2 finite-difference step stays in the linear range; gamma
   * and beta start away from ones and zeros.
   */
  @Override
  GradientCase gradientCase() {
    Sequential model = new Sequential(Input.of(3), Dense.of(4), LayerNormalization.of(),
        Dense.of(1));
    List<FloatNdArray> start = List.of(
        array(shape(3, 4), 3, -2, 1.5f, -4, 2.5f, 3.5f, -3, 1, -1, 2, 4, -2.5f),
        vector(0.5f, -1, 0, 1), vector(1.5f, 0.5f, -1, 2), vector(0.1f, -0.2f, 0.3f, 0),
        array(shape(4, 1), 0.5f, -0.3f, 0.8f, 0.2f), vector(0.1f));
    return new GradientCase(model, uniform(1, -1, 1, 5, 3), uniform(2, -1, 1, 5, 1), start,
        false);
  }

  @Test
  void normalizesEachSampleOverItsLastAxis() {
    // Row 1, 2, 3, 6: mean 3, variance 3.5. Row 0, 0, 4, 4: mean 2, variance 4.
    FloatNdArray x = matrix(new float[] {1, 2, 3, 6}, new float[] {0, 0, 4, 4});
    float[] gamma = {1, 2, 0.5f, -1};
    float[] beta = {0, 1, -1, 0.5f};
    float[] mean = {3, 2};
    float[] var = {3.5f, 4};
    float[] expected = new float[8];
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < 4; j++) {
        expected[4 * i + j] = (float) (gamma[j] * (x.getFloat(i, j) - mean[i])
            / Math.sqrt(var[i] + EPSILON) + beta[j]);
      }
    }
    assertValues(shape(2, 4), expected, predict(LayerNormalization.of(), x, vector(gamma),
        vector(beta)));
  }

  @Test
  void normalizesOverSeveralAxesWithWeightsOfThoseSizes() {
    // One 2x2x1 sample 1, 2, 3, 4 over axes 1 and 2: mean 2.5, variance 1.25; gamma (2, 2).
    FloatNdArray x = array(shape(1, 2, 2, 1), 1, 2, 3, 4);
    float[] gamma = {1, 2, 3, 4};
    float[] expected = new float[4];
    for (int k = 0; k < 4; k++) {
      expected[k] = (float) (gamma[k] * (k + 1 - 2.5) / Math.sqrt(1.25 + EPSILON));
    }
    assertValues(shape(1, 2, 2, 1), expected, predict(LayerNormalization.of().axis(1, 2)
        .center(false), x, array(shape(2, 2), gamma)));
  }

  @Test
  void trainingAndInferenceComputeTheSame() {
    FloatNdArray x = uniform(3, -2, 2, 6, 4);
    FloatNdArray y = uniform(4, -1, 1, 6, 4);
    try (Sequential model = new Sequential(Input.of(4), LayerNormalization.of())) {
      model.compile(new SGD(0.1), new MeanSquaredError());
      double evaluated = model.evaluate(x, y, 6).get("loss");
      assertEquals(evaluated, model.fit(x, y, oneStep(x)).last("loss"), 1e-6);
    }
  }

  @Test
  void axesAreChecked() {
    var e = assertThrows(IllegalArgumentException.class, () -> LayerNormalization.of().axis(0));
    assertEquals("LayerNormalization: axis must be one or more per-sample axes (not 0, the"
        + " batch); got [0]. Use -1 for the last axis.", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new Sequential(Input.of(4), LayerNormalization.of().axis(2).name("ln")));
    assertEquals("LayerNormalization 'ln': axis must be within the input's 2 dimensions (batch"
        + " included); got 2.", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> LayerNormalization.of().epsilon(-1e-3));
    assertEquals("LayerNormalization: epsilon must be a finite number > 0; got -0.001.",
        e.getMessage());
  }

  @Test
  void configKeepsKerasAxisForm() {
    assertEquals(-1L, LayerNormalization.of().config().get("axis"));
    assertEquals(List.of(1L, 2L), LayerNormalization.of().axis(1, 2).config().get("axis"));
    assertEquals("LayerNormalization(axis=[1, 2], epsilon=1.0E-6)", LayerNormalization
        .fromConfig(Config.of(Map.of("axis", List.of(1, 2), "epsilon", 1e-6))).toString());
  }

  @Test
  void toStringShowsNonDefaultSettings() {
    assertEquals("LayerNormalization()", LayerNormalization.of().toString());
    assertEquals("LayerNormalization(axis=-2, center=false, scale=false, name=ln)",
        LayerNormalization.of().axis(-2).center(false).scale(false).name("ln").toString());
  }
}
