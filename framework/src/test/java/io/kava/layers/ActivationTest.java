package io.kava.layers;

import static io.kava.TestArrays.array;
import static io.kava.TestArrays.flat;
import static io.kava.TestArrays.shape;
import static io.kava.TestArrays.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kava.Sequential;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.ndarray.FloatNdArray;

/** Activation used as a layer of its own. */
class ActivationTest extends LayerContract {
  private static final float[] X = {-2f, -0.5f, 0.5f, 3f};

  @Override
  List<ShapeCase> shapeCases() {
    return List.of(
        ShapeCase.of(Activation.RELU, shape(3), 3),
        ShapeCase.of(Activation.SOFTMAX, shape(4), 4),
        ShapeCase.of(Activation.TANH.name("squash"), shape(2, 2, 3), 2, 2, 3));
  }

  @Override
  List<String> expectedWeightNames() {
    return List.of();
  }

  @Override
  GradientCase gradientCase() {
    return through(Activation.SOFTMAX);
  }

  /** {@code Input(3) -> Dense(3) -> activation -> Dense(1)}. */
  private static GradientCase through(Activation a) {
    Sequential model = new Sequential(Input.of(3), Dense.of(3), a, Dense.of(1)).seed(6);
    return GradientCase.of(model, uniform(1, -1, 1, 5, 3), uniform(2, -1, 1, 5, 1));
  }

  static Stream<Arguments> functions() {
    DoubleUnaryOperator sigmoid = v -> 1 / (1 + Math.exp(-v));
    double alpha = 1.6732632423543772;
    double scale = 1.0507009873554805;
    return Stream.of(
        Arguments.of(Activation.LINEAR, (DoubleUnaryOperator) v -> v),
        Arguments.of(Activation.RELU, (DoubleUnaryOperator) v -> Math.max(0, v)),
        Arguments.of(Activation.SIGMOID, sigmoid),
        Arguments.of(Activation.TANH, (DoubleUnaryOperator) Math::tanh),
        Arguments.of(Activation.ELU, (DoubleUnaryOperator) v -> v > 0 ? v : Math.exp(v) - 1),
        Arguments.of(Activation.SELU,
            (DoubleUnaryOperator) v -> scale * (v > 0 ? v : alpha * (Math.exp(v) - 1))),
        Arguments.of(Activation.SOFTPLUS, (DoubleUnaryOperator) v -> Math.log1p(Math.exp(v))),
        Arguments.of(Activation.SOFTSIGN, (DoubleUnaryOperator) v -> v / (1 + Math.abs(v))),
        Arguments.of(Activation.SWISH, (DoubleUnaryOperator) v -> v * sigmoid.applyAsDouble(v)));
  }

  @ParameterizedTest
  @MethodSource("functions")
  void elementwiseFunctionsMatchTheirFormulas(Activation a, DoubleUnaryOperator f) {
    float[] expected = new float[X.length];
    for (int i = 0; i < X.length; i++) {
      expected[i] = (float) f.applyAsDouble(X[i]);
    }
    assertArrayEquals(expected, flat(predict(a, array(shape(1, 4), X))), 1e-6f, a.toString());
  }

  @Test
  void softmaxNormalizesTheLastAxis() {
    FloatNdArray x = array(shape(2, 3), 1, 2, 3, -1, -1, 5);
    float[] out = flat(predict(Activation.SOFTMAX, x));
    for (int row = 0; row < 2; row++) {
      double sum = 0;
      for (int j = 0; j < 3; j++) {
        sum += Math.exp(x.getFloat(row, j));
      }
      for (int j = 0; j < 3; j++) {
        assertEquals(Math.exp(x.getFloat(row, j)) / sum, out[3 * row + j], 1e-6);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("smooth")
  void smoothFunctionsHaveFiniteDifferenceGradients(Activation a) {
    assertGradientsMatchFiniteDifferences(through(a));
  }

  static Stream<Activation> smooth() {
    return Stream.of(Activation.SIGMOID, Activation.TANH, Activation.SOFTPLUS,
        Activation.SWISH);
  }

  @Test
  void parsesKerasNames() {
    assertSame(Activation.RELU, Activation.of("relu"));
    assertSame(Activation.SOFTMAX, Activation.of("Softmax"));
    assertSame(Activation.LINEAR, Activation.of(null));
    var e = assertThrows(IllegalArgumentException.class, () -> Activation.of("gelu"));
    assertEquals("Activation: name must be one of linear, relu, sigmoid, softmax, tanh, elu,"
        + " selu, softplus, softsign, swish; got 'gelu'.", e.getMessage());
  }

  @Test
  void layersAreNamedActivationActivation1() {
    try (Sequential model = new Sequential(Input.of(2), Activation.RELU, Activation.TANH,
        Activation.SIGMOID.name("gate"))) {
      assertEquals(List.of("activation", "activation_1", "gate"), model.layerNames());
    }
  }

  @Test
  void equalityIgnoresTheName() {
    assertEquals(Activation.RELU, Activation.RELU.name("a"));
    assertEquals("Activation(relu, name=a)", Activation.RELU.name("a").toString());
  }
}
