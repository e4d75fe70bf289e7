package io.kava.layers;

import static io.kava.TestArrays.array;
import static io.kava.TestArrays.shape;
import static io.kava.TestArrays.vector;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kava.Sequential;
import io.kava.saving.Config;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.FloatNdArray;

class ReLUTest extends LayerContract {
  /** Keras's docstring input. */
  private static final float[] X = {-10, -5, 0, 5, 10};

  @Override
  List<ShapeCase> shapeCases() {
    return List.of(
        ShapeCase.of(ReLU.of(), shape(3), 3),
        ShapeCase.of(ReLU.of().maxValue(6.0), shape(4, 4, 2), 4, 4, 2),
        ShapeCase.of(ReLU.of().negativeSlope(0.1).threshold(0.5).maxValue(2.0), shape(2, 3),
            2, 3));
  }

  @Override
  List<String> expectedWeightNames() {
    return List.of();
  }

  /**
   * Between two dense layers, with a cap (1), a slope (0.2) and a threshold (0.1), so each
   * piece of the function is used. The first layer's weights put the pre-activations at 1.5,
   * -0.7, 0.35 / -0.8, 0.6, 0.85 / 0.7, -0.1, 1.25: at least 0.15 from the threshold (where the
   * function jumps) and the cap, so a finite difference never crosses either.
   */
  @Override
  GradientCase gradientCase() {
    Sequential model = new Sequential(Input.of(2), Dense.of(3),
        ReLU.of().maxValue(1.0).negativeSlope(0.2).threshold(0.1), Dense.of(1));
    List<FloatNdArray> weights = List.of(
        array(shape(2, 3), 1.5f, -0.7f, 0.4f, -0.8f, 0.6f, 0.9f), vector(0, 0, -0.05f),
        array(shape(3, 1), 0.5f, -0.4f, 0.3f), vector(0.1f));
    return new GradientCase(model, array(shape(3, 2), 1, 0, 0, 1, 1, 1),
        array(shape(3, 1), 0.2f, -0.3f, 0.5f), weights, false);
  }

  @Test
  void matchesKerasDocstringExamples() {
    assertValues(shape(5), new float[] {0, 0, 0, 5, 10}, relu(ReLU.of()));
    assertValues(shape(5), new float[] {-5, -2.5f, 0, 5, 10}, relu(ReLU.of().negativeSlope(0.5)));
    assertValues(shape(5), new float[] {0, 0, 0, 5, 5}, relu(ReLU.of().maxValue(5.0)));
    assertValues(shape(5), new float[] {0, 0, 0, 0, 10}, relu(ReLU.of().threshold(5)));
    assertValues(shape(5), new float[] {-5, -2.5f, 0, 5, 10},
        relu(ReLU.of().maxValue(10.0).negativeSlope(0.5)));
  }

  @Test
  void combinesCapSlopeAndThreshold() {
    // threshold 1, slope 0.5, cap 6: -1 -> 0.5 * (-1 - 1) = -1; 0.5 -> -0.25; 2 -> 2; 8 -> 6.
    assertValues(shape(4), new float[] {-1, -0.25f, 2, 6}, GraphContext.run(
        ReLU.of().maxValue(6.0).negativeSlope(0.5).threshold(1), false, vector(-1, 0.5f, 2, 8)));
  }

  @Test
  void reluSixUsesTheFusedOpAsKerasDoes() {
    try (GraphContext ctx = new GraphContext(false)) {
      assertValues(shape(3), new float[] {0, 3, 6}, ctx.call(ReLU.of().maxValue(6.0),
          vector(-1, 3, 7)));
      assertTrue(ctx.opTypes().contains("Relu6"), ctx.opTypes().toString());
      assertFalse(ctx.opTypes().contains("Minimum"), ctx.opTypes().toString());
    }
    try (GraphContext ctx = new GraphContext(false)) {
      ctx.call(ReLU.of().maxValue(5.0), vector(1));
      assertTrue(ctx.opTypes().contains("Minimum"), ctx.opTypes().toString());
      assertFalse(ctx.opTypes().contains("Relu6"), ctx.opTypes().toString());
    }
  }

  @Test
  void settingsMustNotBeNegative() {
    var e = assertThrows(IllegalArgumentException.class, () -> ReLU.of().maxValue(-1.0));
    assertEquals("ReLU: max value must be a finite number >= 0; got -1.0.", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> ReLU.of().name("act").negativeSlope(-0.1));
    assertEquals("ReLU 'act': negative slope must be a finite number >= 0; got -0.1.",
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ReLU.of().threshold(Double.NaN));
    assertEquals("ReLU: threshold must be a finite number >= 0; got NaN.", e.getMessage());
  }

  @Test
  void configUsesKerasNamesWithNullForNoCap() {
    Map<String, Object> keras = new HashMap<>();
    keras.put("max_value", null);
    keras.put("negative_slope", 0.0);
    keras.put("threshold", 0.0);
    assertEquals(ReLU.of().config().asMap(), Config.of(keras).asMap());
    assertEquals(6.0, ReLU.fromConfig(Config.of(Map.of("max_value", 6))).maxValue());
    assertEquals(null, ReLU.fromConfig(Config.EMPTY).maxValue());
  }

  @Test
  void toStringShowsNonDefaultSettings() {
    assertEquals("ReLU()", ReLU.of().toString());
    assertEquals("ReLU(max_value=6.0)", ReLU.of().maxValue(6.0).toString());
    assertEquals("ReLU(negative_slope=0.1, threshold=0.5, name=act)",
        ReLU.of().threshold(0.5).negativeSlope(0.1).name("act").toString());
  }

  private static FloatNdArray relu(ReLU layer) {
    return GraphContext.run(layer, false, vector(X));
  }
}
