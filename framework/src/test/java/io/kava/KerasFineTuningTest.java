package io.kava;

import static io.kava.TestArrays.array;
import static io.kava.TestArrays.flat;
import static io.kava.TestArrays.oneHot;
import static io.kava.TestArrays.shape;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kava.layers.Activation;
import io.kava.layers.Dense;
import io.kava.losses.CategoricalCrossentropy;
import io.kava.metrics.Accuracy;
import io.kava.optimizers.Adam;
import io.kava.saving.SavedModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.FloatNdArray;

/**
 * Fine-tuning a real Keras model ({@code shared/fixtures/keras/lenet-tensorspace}) on real
 * MNIST digits ({@code shared/data/mnist-10k}): a new head on the imported base, and the
 * imported model itself trained further.
 */
class KerasFineTuningTest {
  private static final Path LENET = KerasFixturesTest.LENET.resolve("lenet_full_model.h5");
  private static final int TRAIN = 2000;
  private static final int TEST = 1000;

  /** The first 3,000 digits as LeNet takes them: 28x28 floats scaled to 0..1 (SOURCE.txt). */
  private static float[] pixels() throws IOException {
    float[] p = KerasFixturesTest.idx(KerasFixturesTest.MNIST.resolve("images-idx3-ubyte.gz"),
        16);
    p = Arrays.copyOf(p, (TRAIN + TEST) * 784);
    for (int i = 0; i < p.length; i++) {
      p[i] /= 255f;
    }
    return p;
  }

  private static int[] digits() throws IOException {
    float[] l = KerasFixturesTest.idx(KerasFixturesTest.MNIST.resolve("labels-idx1-ubyte.gz"),
        8);
    int[] d = new int[TRAIN + TEST];
    for (int i = 0; i < d.length; i++) {
      d[i] = (int) l[i];
    }
    return d;
  }

  /** The training digits (the first 2,000) or the held-out ones (the next 1,000). */
  private static FloatNdArray images(float[] pixels, boolean train) {
    int from = train ? 0 : TRAIN;
    int n = train ? TRAIN : TEST;
    return array(shape(n, 28, 28), Arrays.copyOfRange(pixels, from * 784, (from + n) * 784));
  }

  private static int[] labels(int[] all, boolean train) {
    return train ? Arrays.copyOf(all, TRAIN) : Arrays.copyOfRange(all, TRAIN, TRAIN + TEST);
  }

  private static FitOptions oneEpoch() {
    return FitOptions.defaults().epochs(1).batchSize(32).verbose(0).seed(1);
  }

  @Test
  void aNewHeadOnTheFrozenImportedBaseLearnsOddOrEvenAndSavesLoadsAndExports(
      @TempDir Path dir) throws IOException {
    float[] pixels = pixels();
    int[] parity = Arrays.stream(digits()).map(d -> d % 2).toArray();
    FloatNdArray xTrain = images(pixels, true);
    FloatNdArray xTest = images(pixels, false);
    FloatNdArray yTrain = oneHot(2, labels(parity, true));
    FloatNdArray yTest = oneHot(2, labels(parity, false));
    Model tuned;
    List<String> baseNames;
    List<float[]> baseWeights;
    try (Model base = Model.loadKeras(LENET)) {
      Node features = base.output("dense_1");
      Node oddEven = Dense.of(2).activation(Activation.SOFTMAX).name("odd_even").apply(features);
      tuned = Model.of(base.input(), oddEven).seed(1);
      baseNames = base.weightNames();
      baseWeights = flat(base.getWeights());
    } // the base may be closed: the new model took its weights when it was defined
    try (tuned) {
      tuned.freezeThrough("dense_1");
      assertEquals(List.of("reshape_1", "padding_1", "conv_1", "maxpool_1", "conv_2",
          "maxpool_2", "flatten", "dense_1"), tuned.frozenLayers());
      List<String> names = tuned.weightNames();
      List<float[]> start = flat(tuned.getWeights());
      for (String w : List.of("conv_1/kernel", "conv_1/bias", "conv_2/kernel", "dense_1/kernel",
          "dense_1/bias")) {
        assertArrayEquals(baseWeights.get(baseNames.indexOf(w)), start.get(names.indexOf(w)),
            0f, w + " must be the imported one");
      }
      tuned.compile(new Adam(0.01), new CategoricalCrossentropy(), new Accuracy());
      double untrained = tuned.evaluate(xTest, yTest).get("accuracy");
      tuned.fit(xTrain, yTrain, oneEpoch());
      double trained = tuned.evaluate(xTest, yTest).get("accuracy");
      System.out.printf("odd/even head on LeNet: held-out accuracy %.3f untrained, %.3f after"
          + " one epoch%n", untrained, trained);
      assertTrue(trained > 0.9 && trained > untrained + 0.1,
          "accuracy " + untrained + " -> " + trained);
      List<float[]> end = flat(tuned.getWeights());
      for (int i = 0; i < names.size(); i++) {
        boolean head = names.get(i).startsWith("odd_even/");
        assertEquals(!head, Arrays.equals(start.get(i), end.get(i)),
            names.get(i) + (head ? " must train" : " must stay frozen"));
      }

      float[] expected = flat(tuned.predict(xTest));
      tuned.save(dir.resolve("saved"));
      try (Model again = Model.load(dir.resolve("saved"))) {
        assertArrayEquals(expected, flat(again.predict(xTest)), 0f);
        assertEquals(tuned.frozenLayers(), again.frozenLayers());
      }
      tuned.export(dir.resolve("export"));
      try (SavedModel served = SavedModel.load(dir.resolve("export"))) {
        FloatNdArray out = served.predict(Map.of(tuned.inputNames().get(0), xTest))
            .get("odd_even");
        assertArrayEquals(expected, flat(out), 1e-6f);
      }
      tuned.saveKeras(dir.resolve("tuned.keras"));
      try (Model back = Model.loadKeras(dir.resolve("tuned.keras"))) {
        assertArrayEquals(expected, flat(back.predict(xTest)), 0f);
        assertEquals(tuned.frozenLayers(), back.frozenLayers());
      }
    }
  }

  @Test
  void theImportedModelFineTunedForOneEpochImprovesOnInvertedDigits() throws IOException {
    // A domain shift LeNet never saw: dark digits on a light background (1 - pixel), on which
    // it is poor; its own head and weights, trained one epoch at a small learning rate.
    float[] pixels = pixels();
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = 1 - pixels[i];
    }
    int[] digits = digits();
    FloatNdArray xTest = images(pixels, false);
    int[] yTest = labels(digits, false);
    try (Model m = Model.loadKeras(LENET)) {
      m.learningRate(3e-4); // compiled from the file's training config: Adam, sparse CE
      Map<String, Double> before = m.evaluate(xTest, yTest);
      m.fit(images(pixels, true), labels(digits, true), oneEpoch());
      Map<String, Double> after = m.evaluate(xTest, yTest);
      System.out.println("LeNet on inverted digits: held-out " + before + " -> " + after);
      assertTrue(after.get("loss") < before.get("loss") / 2, before + " -> " + after);
      assertTrue(after.get("accuracy") > before.get("accuracy") + 0.2, before + " -> " + after);
    }
  }
}
