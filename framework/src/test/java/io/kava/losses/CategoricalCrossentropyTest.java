package io.kava.losses;

import static io.kava.TestArrays.matrix;
import static io.kava.TestArrays.oneHot;
import static io.kava.TestArrays.vector;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kava.Sequential;
import io.kava.layers.Activation;
import io.kava.layers.Dense;
import io.kava.layers.Input;
import io.kava.optimizers.SGD;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.FloatNdArray;

class CategoricalCrossentropyTest {
  private static final float[][] KERNEL = {{1, -1, 0.5f}, {0.2f, 0.3f, -0.4f}};
  private static final float[] BIAS = {0.1f, 0, -0.1f};
  private static final float[][] X = {{1, 2}, {-1, 0.5f}, {0.3f, -2}};

  /** {@code x @ KERNEL + BIAS} for sample {@code i}. */
  private static double[] logits(int i) {
    double[] z = new double[3];
    for (int j = 0; j < 3; j++) {
      z[j] = BIAS[j] + X[i][0] * KERNEL[0][j] + X[i][1] * KERNEL[1][j];
    }
    return z;
  }

  private static double logSoftmax(double[] z, int j) {
    double max = Math.max(z[0], Math.max(z[1], z[2]));
    double sum = 0;
    for (double v : z) {
      sum += Math.exp(v - max);
    }
    return z[j] - max - Math.log(sum);
  }

  /** {@code Input(2) -> Dense(3)} with the known weights, then {@code last} if given. */
  static double evaluate(Loss loss, FloatNdArray x, FloatNdArray y, float[][] kernel,
      float[] bias, Activation... last) {
    Sequential model = new Sequential(Input.of(x.shape().get(1)), Dense.of((int) y.shape()
        .get(1)));
    for (Activation a : last) {
      model.add(a);
    }
    try (model) {
      model.compile(new SGD(), loss);
      model.setWeights(List.of(matrix(kernel), vector(bias)));
      return model.evaluate(x, y).get("loss");
    }
  }

  @Test
  void fromSoftmaxIsTheMeanNegativeLogProbabilityOfTheLabel() {
    int[] labels = {0, 2, 1};
    double expected = 0;
    for (int i = 0; i < 3; i++) {
      expected -= logSoftmax(logits(i), labels[i]) / 3;
    }
    assertEquals(expected, evaluate(new CategoricalCrossentropy(), matrix(X),
        oneHot(3, labels), KERNEL, BIAS, Activation.SOFTMAX), 1e-6);
  }

  @Test
  void softLabelsWeighEveryClass() {
    float[][] soft = {{0.2f, 0.3f, 0.5f}, {1, 0, 0}, {0, 0.5f, 0.5f}};
    double expected = 0;
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        expected -= soft[i][j] * logSoftmax(logits(i), j) / 3;
      }
    }
    assertEquals(expected, evaluate(new CategoricalCrossentropy(), matrix(X), matrix(soft),
        KERNEL, BIAS, Activation.SOFTMAX), 1e-6);
  }

  @Test
  void confidentWrongPredictionsStayExactThroughTheLogits() {
    // Logits [100, -100, 0] for label 1: -log softmax = 100 - (-100) = 200 (up to e^-100).
    float[][] kernel = {{100, -100, 0}};
    float[] bias = {0, 0, 0};
    FloatNdArray x = matrix(new float[] {1});
    assertEquals(200, evaluate(new CategoricalCrossentropy(), x, oneHot(3, 1), kernel, bias,
        Activation.SOFTMAX), 1e-4);
    // Softmax as a layer of its own gives the same.
    Sequential model = new Sequential(Input.of(1), Dense.of(3), Activation.SOFTMAX);
    try (model) {
      model.compile(new SGD(), new CategoricalCrossentropy());
      model.setWeights(List.of(matrix(kernel), vector(bias)));
      assertEquals(200, model.evaluate(x, oneHot(3, 1)).get("loss"), 1e-4);
    }
  }

  @Test
  void fromALinearOutputRescalesToProbabilitiesAndClips() {
    float[][] identity = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
    float[] zero = {0, 0, 0};
    FloatNdArray x = matrix(new float[] {0.2f, 0.3f, 0.5f}, new float[] {1, 1, 2});
    // -log(0.3) and, after rescaling [1, 1, 2] to [0.25, 0.25, 0.5], -log(0.5).
    assertEquals((-Math.log(0.3) - Math.log(0.5)) / 2, evaluate(new CategoricalCrossentropy(),
        x, oneHot(3, 1, 2), identity, zero), 1e-6);
    // A zero probability is clipped to Keras's epsilon 1e-7, not -log(0) = inf.
    assertEquals(-Math.log(1e-7), evaluate(new CategoricalCrossentropy(),
        matrix(new float[] {1, 0, 0}), oneHot(3, 1), identity, zero), 1e-3);
  }

  @Test
  void nameAndToString() {
    assertEquals("categorical_crossentropy", new CategoricalCrossentropy().name());
    assertEquals("CategoricalCrossentropy()", new CategoricalCrossentropy().toString());
  }
}
