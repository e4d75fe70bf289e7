package io.kava.layers;

import static io.kava.TestArrays.array;
import static io.kava.TestArrays.flat;
import static io.kava.TestArrays.shape;
import static io.kava.TestArrays.uniform;
import static io.kava.TestArrays.vector;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kava.Sequential;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.FloatNdArray;

class SeparableConv2DTest extends LayerContract {

  @Override
  List<ShapeCase> shapeCases() {
    return List.of(
        ShapeCase.of(SeparableConv2D.of(4, 3), shape(5, 5, 2), 3, 3, 4),
        ShapeCase.of(SeparableConv2D.of(4, 3).padding(Padding.SAME), shape(5, 5, 2), 5, 5, 4),
        ShapeCase.of(SeparableConv2D.of(1, 3).strides(2).padding(Padding.SAME), shape(6, 7, 3),
            3, 4, 1),
        ShapeCase.of(SeparableConv2D.of(8, 2, 3).depthMultiplier(3), shape(4, 6, 2), 3, 4, 8));
  }

  @Override
  List<String> expectedWeightNames() {
    return List.of("separable_conv2d/depthwise_kernel", "separable_conv2d/pointwise_kernel",
        "separable_conv2d/bias");
  }

  @Override
  GradientCase gradientCase() {
    Sequential model = new Sequential(Input.of(5, 5, 2), SeparableConv2D.of(3, 3).strides(2)
        .padding(Padding.SAME).depthMultiplier(2).activation(Activation.TANH), Flatten.of(),
        Dense.of(1)).seed(3);
    return GradientCase.of(model, uniform(1, -1, 1, 3, 5, 5, 2), uniform(2, -1, 1, 3, 1));
  }

  @Test
  void depthwiseThenPointwiseByHand() {
    // 2x2 image 1..4, depthwise kernel of ones: 10. Pointwise [2, -1]: 20, -10; bias 1, 0.
    assertValues(shape(1, 1, 1, 2), new float[] {21, -10},
        predict(SeparableConv2D.of(2, 2), array(shape(1, 2, 2, 1), 1, 2, 3, 4),
            array(shape(2, 2, 1, 1), 1, 1, 1, 1), array(shape(1, 1, 1, 2), 2, -1),
            vector(1, 0)));
  }

  @Test
  void equalsADepthwiseConvolutionThenA1x1Convolution() {
    FloatNdArray x = uniform(4, -1, 1, 2, 6, 5, 3);
    FloatNdArray depthwise = uniform(5, -1, 1, 3, 3, 3, 2);
    FloatNdArray pointwise = uniform(6, -1, 1, 1, 1, 6, 4);
    FloatNdArray bias = uniform(7, -1, 1, 4);
    FloatNdArray separable = predict(SeparableConv2D.of(4, 3).strides(2).padding(Padding.SAME)
        .depthMultiplier(2), x, depthwise, pointwise, bias);
    try (Sequential twoSteps = new Sequential(Input.of(6, 5, 3), DepthwiseConv2D.of(3)
        .strides(2).padding(Padding.SAME).depthMultiplier(2).useBias(false), Conv2D.of(4, 1))) {
      twoSteps.setWeights(List.of(depthwise, pointwise, bias));
      FloatNdArray expected = twoSteps.predict(x);
      assertEquals(expected.shape(), separable.shape());
      assertArrayEquals(flat(expected), flat(separable), 1e-5f);
    }
  }

  @Test
  void paramsAreDepthwisePlusPointwisePlusBias() {
    try (Sequential model = new Sequential(Input.of(8, 8, 16), SeparableConv2D.of(32, 3))) {
      assertEquals(3 * 3 * 16 + 16 * 32 + 32, model.countParams());
    }
  }

  @Test
  void badSettingsFailNamingTheValue() {
    var e = assertThrows(IllegalArgumentException.class, () -> SeparableConv2D.of(0, 3));
    assertEquals("SeparableConv2D: filters must be > 0; got 0.", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> SeparableConv2D.of(8, 3, 0));
    assertEquals("SeparableConv2D: kernel size must be > 0; got 0.", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> SeparableConv2D.of(8, 3).name("sep").depthMultiplier(-1));
    assertEquals("SeparableConv2D 'sep': depth multiplier must be > 0; got -1.", e.getMessage());
  }

  @Test
  void toStringShowsNonDefaultSettings() {
    assertEquals("SeparableConv2D(filters=64, kernel_size=(3, 3), strides=(1, 1), padding=same,"
        + " activation=relu)", SeparableConv2D.of(64, 3).padding(Padding.SAME)
        .activation(Activation.RELU).toString());
    assertEquals("SeparableConv2D(filters=8, kernel_size=(3, 3), strides=(1, 1),"
        + " pointwise_initializer=he_normal, name=sep)", SeparableConv2D.of(8, 3)
        .pointwiseInitializer(Initializer.heNormal()).name("sep").toString());
  }
}
