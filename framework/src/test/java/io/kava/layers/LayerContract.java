package io.kava.layers;

import static io.kava.TestArrays.flat;
import static io.kava.TestArrays.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.kava.FitOptions;
import io.kava.Model;
import io.kava.Sequential;
import io.kava.losses.MeanSquaredError;
import io.kava.optimizers.SGD;
import io.kava.saving.Config;
import io.kava.saving.Registry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * The checks every layer must pass (STYLE.md, "layer contract"). A layer's test extends this
 * class, describes the layer through the abstract methods and adds its own numeric and
 * error-message tests; the contract's tests then run for that layer:
 * <ul>
 *   <li>the declared output shape equals the expected one and the real graph output shape;
 *   <li>the weights have Keras's names ({@code conv2d/kernel}) and the declared shapes;
 *   <li>the gradients of the training loss equal central finite differences;
 *   <li>one training step changes every trainable weight;
 *   <li>the config rebuilds the layer through the registry, to the same config;
 *   <li>{@code toString()} is one line naming the type.
 * </ul>
 *
 * <p>Merge layers take several inputs: their tests override {@link #shapeModel} and
 * {@link #declaredShape} (the layer applied to the same input twice) and give a functional
 * gradient model.
 *
 * <p>Gradients are read back from one plain SGD step ({@code w1 = w0 - lr * g}) and compared
 * with {@code (L(w + eps) - L(w - eps)) / 2 eps} of the model's loss, in float32.
 */
abstract class LayerContract {

  /** Finite-difference step: large enough for float32 losses, small for the curvature. */
  static final float EPS = 1e-2f;

  /** A layer, the per-sample input shape it gets, and the output shape it must declare. */
  record ShapeCase(Layer layer, long[] input, long[] expectedOutput) {
    static ShapeCase of(Layer layer, long[] input, long... expectedOutput) {
      return new ShapeCase(layer, input, expectedOutput);
    }

    @Override
    public String toString() {
      return layer + " on " + Arrays.toString(input);
    }
  }

  /**
   * A small model containing the layer under test, ending in one or a few outputs, with data
   * to take gradients on.
   *
   * @param weights the starting weights, or null for the model's seeded initial weights
   * @param trainingLoss true when the training loss differs from {@code evaluate}'s
   *     (batch normalization): the loss is then read from a one-step {@code fit}
   */
  record GradientCase(Model model, FloatNdArray x, FloatNdArray y,
      List<FloatNdArray> weights, boolean trainingLoss) {
    static GradientCase of(Model model, FloatNdArray x, FloatNdArray y) {
      return new GradientCase(model, x, y, null, false);
    }
  }

  /** Configurations of the layer with their expected output shapes; the first names weights. */
  abstract List<ShapeCase> shapeCases();

  /** Weight names of {@code new Sequential(Input, shapeCases().get(0).layer())}. */
  abstract List<String> expectedWeightNames();

  /** A model to check gradients and training on; called once per test. */
  abstract GradientCase gradientCase();

  /** The model a shape case runs in: {@code Input -> layer}. Merge tests feed it twice. */
  Model shapeModel(ShapeCase c) {
    return new Sequential(Input.of(c.input()), c.layer()).seed(1);
  }

  /** The output shape the layer declares for the case's input. */
  Shape declaredShape(ShapeCase c) {
    return c.layer().outputShape(Shape.of(c.input()));
  }

  // ------------------------------------------------------------------ the contract

  @Test
  void declaredOutputShapeMatchesTheGraph() {
    for (ShapeCase c : shapeCases()) {
      Shape declared = declaredShape(c);
      assertEquals(Shape.of(c.expectedOutput()), declared, c.toString());
      try (Model model = shapeModel(c)) {
        if (model instanceof Sequential s) {
          assertEquals(declared, s.outputShape(), c.toString());
        }
        FloatNdArray x = uniform(3, -1, 1, Shape.of(2).append(Shape.of(c.input())).asArray());
        FloatNdArray out = model.predict(x);
        assertEquals(Shape.of(2).append(declared), out.shape(), c.toString());
        assertTrue(model.summaryString().contains(keras(declared)),
            c + ": summary shows " + keras(declared) + "\n" + model.summaryString());
      }
    }
  }

  @Test
  void weightsHaveKerasNamesAndDeclaredShapes() {
    ShapeCase c = shapeCases().get(0);
    Shape input = Shape.of(c.input());
    try (Model model = shapeModel(c)) {
      assertEquals(expectedWeightNames(), model.weightNames());
      List<WeightSpec> specs = c.layer().weights(List.of(input));
      List<FloatNdArray> values = model.getWeights();
      assertEquals(specs.size(), values.size());
      long params = 0;
      for (int i = 0; i < specs.size(); i++) {
        assertEquals(specs.get(i).shape(), values.get(i).shape(), specs.get(i).name());
        params += specs.get(i).size();
      }
      assertEquals(params, model.countParams());
    }
  }

  @Test
  void gradientsMatchFiniteDifferences() {
    assertGradientsMatchFiniteDifferences(gradientCase());
  }

  @Test
  void oneTrainingStepChangesEveryTrainableWeight() {
    GradientCase c = gradientCase();
    try (Model model = c.model()) {
      model.compile(new SGD(0.1), new MeanSquaredError());
      if (c.weights() != null) {
        model.setWeights(c.weights());
      }
      List<float[]> before = flat(model.getWeights());
      model.fit(c.x(), c.y(), oneStep(c.x()));
      List<float[]> after = flat(model.getWeights());
      List<Boolean> trainable = trainable(model);
      assertFalse(trainable.isEmpty(), "the gradient model must have weights");
      for (int i = 0; i < trainable.size(); i++) {
        if (trainable.get(i)) {
          assertFalse(Arrays.equals(before.get(i), after.get(i)),
              model.weightNames().get(i) + " did not change");
        }
      }
    }
  }

  @Test
  void configRebuildsTheLayerThroughTheRegistry() {
    for (ShapeCase c : shapeCases()) {
      Layer l = c.layer();
      Config config = l.config();
      Layer again = Registry.defaults().create(Layer.class, l.type(), l.getClass().getName(),
          config);
      assertEquals(l.getClass(), again.getClass(), c.toString());
      assertEquals(config, again.config(), c.toString());
      if (l.name() == null) {
        assertEquals(l.toString(), again.toString(), c.toString());
      }
    }
  }

  @Test
  void toStringIsOneLineNamingTheType() {
    for (ShapeCase c : shapeCases()) {
      String s = c.layer().toString();
      assertFalse(s.contains("\n"), s);
      assertTrue(s.startsWith(c.layer().type() + "("), s);
    }
  }

  // ------------------------------------------------------------------ helpers for layer tests

  /** Fit options for exactly one SGD step over the whole of {@code x}, reproducibly. */
  static FitOptions oneStep(FloatNdArray x) {
    return FitOptions.defaults().epochs(1).batchSize((int) x.shape().get(0)).shuffle(false)
        .verbose(0).seed(0);
  }

  /** Keras's shape notation with the batch dimension: {@code (None, 26, 26, 32)}. */
  static String keras(Shape s) {
    StringBuilder b = new StringBuilder("(None");
    for (long d : s.asArray()) {
      b.append(", ").append(d);
    }
    return b.append(')').toString();
  }

  /**
   * Whether each weight of the model is trainable, in {@code getWeights()} order: from the
   * layers' specs for a Sequential; every weight of a functional gradient model (the merge
   * tests' models hold only convolution and dense weights).
   */
  static List<Boolean> trainable(Model model) {
    List<Boolean> out = new ArrayList<>();
    if (model instanceof Sequential seq) {
      Shape s = seq.inputShape();
      for (Layer l : seq.layers()) {
        l.weights(s).forEach(w -> out.add(w.trainable()));
        s = l.outputShape(s);
      }
    } else {
      model.weightNames().forEach(n -> out.add(true));
    }
    return out;
  }

  /** Predicts {@code x} with a model {@code Input -> layer} holding {@code weights}. */
  static FloatNdArray predict(Layer layer, FloatNdArray x, FloatNdArray... weights) {
    long[] d = x.shape().asArray();
    try (Sequential model = new Sequential(Input.of(Arrays.copyOfRange(d, 1, d.length)),
        layer)) {
      if (weights.length > 0) {
        model.setWeights(List.of(weights));
      }
      return model.predict(x);
    }
  }

  /** Asserts {@code actual} has {@code shape} and holds {@code expected} within 1e-5. */
  static void assertValues(long[] shape, float[] expected, FloatNdArray actual) {
    assertEquals(Shape.of(shape), actual.shape());
    assertArrayEquals(expected, flat(actual), 1e-5f);
  }

  /**
   * Compiles the case's model with SGD and mean squared error, reads the gradient of every
   * trainable weight from one SGD step and compares each (up to 12 per weight, spread out)
   * with a central finite difference of the loss.
   */
  static void assertGradientsMatchFiniteDifferences(GradientCase c) {
    float lr = 1f;
    try (Model model = c.model()) {
      model.compile(new SGD(lr), new MeanSquaredError());
      if (c.weights() != null) {
        model.setWeights(c.weights());
      }
      List<FloatNdArray> start = model.getWeights();
      List<float[]> w0 = flat(start);
      model.fit(c.x(), c.y(), oneStep(c.x()));
      List<float[]> w1 = flat(model.getWeights());
      List<Boolean> trainable = trainable(model);
      double largest = 0;
      int checked = 0;
      for (int i = 0; i < trainable.size(); i++) {
        if (!trainable.get(i)) {
          continue;
        }
        int size = w0.get(i).length;
        int stride = Math.max(1, size / 12);
        for (int j = 0; j < size; j += stride) {
          double analytic = (w0.get(i)[j] - w1.get(i)[j]) / lr;
          float plus = w0.get(i)[j] + EPS;
          float minus = w0.get(i)[j] - EPS;
          double lossPlus = loss(model, c, start, i, j, plus);
          double lossMinus = loss(model, c, start, i, j, minus);
          double numeric = (lossPlus - lossMinus) / ((double) plus - minus);
          largest = Math.max(largest, Math.abs(numeric));
          checked++;
          if (Math.abs(analytic - numeric) > 2e-3 + 2e-2 * Math.abs(numeric)) {
            fail(model.weightNames().get(i) + "[" + j + "]: gradient " + analytic
                + " but finite difference " + numeric);
          }
        }
      }
      assertTrue(checked > 0, "no trainable weights to check");
      assertTrue(largest > 1e-2, "every gradient is ~0: the check would prove nothing");
    }
  }

  /** The loss with weight {@code i}, element {@code j} set to {@code value}, others at start. */
  private static double loss(Model model, GradientCase c, List<FloatNdArray> start, int i,
      int j, float value) {
    List<FloatNdArray> w = new ArrayList<>(start.size());
    for (int k = 0; k < start.size(); k++) {
      float[] v = flat(start.get(k));
      if (k == i) {
        v[j] = value;
      }
      w.add(NdArrays.wrap(start.get(k).shape(), DataBuffers.of(v, false, false)));
    }
    model.setWeights(w);
    if (c.trainingLoss()) {
      // The loss fit reports is computed before its step's update.
      return model.fit(c.x(), c.y(), oneStep(c.x())).last("loss");
    }
    return model.evaluate(c.x(), c.y(), (int) c.x().shape().get(0)).get("loss");
  }
}
