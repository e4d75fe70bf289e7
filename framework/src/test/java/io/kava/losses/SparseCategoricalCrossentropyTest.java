package io.kava.losses;

import static io.kava.TestArrays.array;
import static io.kava.TestArrays.column;
import static io.kava.TestArrays.flat;
import static io.kava.TestArrays.oneHot;
import static io.kava.TestArrays.shape;
import static io.kava.TestArrays.uniform;
import static io.kava.TestArrays.vector;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kava.FitOptions;
import io.kava.History;
import io.kava.Sequential;
import io.kava.layers.Activation;
import io.kava.layers.Dense;
import io.kava.layers.Input;
import io.kava.metrics.Accuracy;
import io.kava.optimizers.SGD;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.Shape;

class SparseCategoricalCrossentropyTest {
  private static final int[] LABELS = {0, 2, 1, 1, 0, 2};
  private final FloatNdArray x = uniform(1, -1, 1, 6, 4);

  private static Sequential model() {
    return new Sequential(Input.of(4), Dense.of(3).activation(Activation.SOFTMAX)).seed(8);
  }

  private static FloatNdArray indices() {
    float[] v = new float[LABELS.length];
    for (int i = 0; i < v.length; i++) {
      v[i] = LABELS[i];
    }
    return vector(v);
  }

  @Test
  void equalsCategoricalOnOneHotLabels() {
    try (Sequential model = model()) {
      model.compile(new SGD(), new CategoricalCrossentropy());
      double categorical = model.evaluate(x, oneHot(3, LABELS)).get("loss");
      model.compile(new SGD(), new SparseCategoricalCrossentropy());
      assertEquals(categorical, model.evaluate(x, indices()).get("loss"), 1e-6);
      // Labels as a column [n, 1] are accepted too.
      assertEquals(categorical, model.evaluate(x, column(flat(indices()))).get("loss"), 1e-6);
    }
  }

  @Test
  void takesTheSameTrainingStepAsCategorical() {
    try (Sequential a = model(); Sequential b = model()) {
      a.compile(new SGD(0.5), new CategoricalCrossentropy());
      b.compile(new SGD(0.5), new SparseCategoricalCrossentropy());
      FitOptions oneStep = FitOptions.defaults().batchSize(6).shuffle(false).verbose(0);
      a.fit(x, oneHot(3, LABELS), oneStep);
      b.fit(x, indices(), oneStep);
      assertArrayEquals(flat(a.getWeights().get(0)), flat(b.getWeights().get(0)), 1e-6f);
      assertArrayEquals(flat(a.getWeights().get(1)), flat(b.getWeights().get(1)), 1e-6f);
    }
  }

  @Test
  void trains() {
    // Three separable clusters: class k sits around the k-th corner.
    int n = 30;
    float[] xs = new float[n * 4];
    float[] ys = new float[n];
    FloatNdArray noise = uniform(3, -0.3, 0.3, n, 4);
    for (int i = 0; i < n; i++) {
      ys[i] = i % 3;
      for (int j = 0; j < 4; j++) {
        xs[i * 4 + j] = (j == i % 3 ? 1 : 0) + noise.getFloat(i, j);
      }
    }
    try (Sequential model = model()) {
      model.compile(new SGD(0.5), new SparseCategoricalCrossentropy(), new Accuracy());
      History h = model.fit(array(shape(n, 4), xs), vector(ys),
          FitOptions.defaults().epochs(15).batchSize(10).verbose(0).seed(1));
      List<Double> loss = h.get("loss");
      assertTrue(loss.get(loss.size() - 1) < 0.5 * loss.get(0), loss.toString());
      assertEquals(1.0, h.last("accuracy"), loss.toString());
    }
  }

  @Test
  void labelShapeIsOneIndexPerSample() {
    assertEquals(Shape.scalar(), new SparseCategoricalCrossentropy().labelShape(Shape.of(10)));
    assertEquals("sparse_categorical_crossentropy", new SparseCategoricalCrossentropy().name());
  }
}
