package io.kava;

import static io.kava.TestArrays.flat;
import static io.kava.TestArrays.oneHot;
import static io.kava.TestArrays.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kava.layers.Activation;
import io.kava.layers.BatchNormalization;
import io.kava.layers.Conv2D;
import io.kava.layers.Dense;
import io.kava.layers.GlobalAveragePooling2D;
import io.kava.layers.Input;
import io.kava.losses.CategoricalCrossentropy;
import io.kava.optimizers.Adam;
import io.kava.optimizers.SGD;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.FloatNdArray;

/** Freezing layers, as Keras's layer.trainable = False: fine-tuning a new head on a base. */
class FrozenLayersTest {
  private final FloatNdArray x = uniform(1, 0, 1, 16, 8, 8, 3);
  private final FloatNdArray y = oneHot(2, 0, 1, 1, 0, 1, 0, 0, 1, 1, 1, 0, 0, 1, 0, 1, 0);

  /** A small "pretrained base" (conv, BN, conv) under a new head. */
  private static Model baseWithHead() {
    Input image = Input.of(8, 8, 3);
    Node h = Conv2D.of(4, 3).name("base_conv").apply(image);
    h = BatchNormalization.of().name("base_bn").apply(h);
    h = Conv2D.of(4, 3).activation(Activation.RELU).name("base_out").apply(h);
    Node out = Dense.of(2).activation(Activation.SOFTMAX).name("head")
        .apply(GlobalAveragePooling2D.of().apply(h));
    return Model.of(image, out).seed(3);
  }

  private static FitOptions epochs(int n) {
    return FitOptions.defaults().epochs(n).batchSize(8).verbose(0).seed(1);
  }

  @Test
  void aFrozenBaseKeepsItsWeightsAndBatchStatisticsWhileTheHeadTrains() {
    try (Model model = baseWithHead()) {
      model.freezeThrough("base_out");
      assertEquals(List.of("base_conv", "base_bn", "base_out"), model.frozenLayers());
      model.compile(new Adam(0.05), new CategoricalCrossentropy());
      List<float[]> before = flat(model.getWeights());
      model.fit(x, y, epochs(3));
      List<float[]> after = flat(model.getWeights());
      List<String> names = model.weightNames();
      for (int i = 0; i < names.size(); i++) {
        boolean head = names.get(i).startsWith("head/");
        assertEquals(!head, java.util.Arrays.equals(before.get(i), after.get(i)),
            names.get(i) + (head ? " must train" : " must stay (moving statistics too)"));
      }
      String summary = model.summaryString();
      assertTrue(summary.contains("Trainable params: 10"), summary); // head: 4 * 2 + 2
    }
  }

  @Test
  void aFrozenBatchNormalizationUsesItsMovingStatisticsWhileTraining() {
    try (Model frozen = baseWithHead(); Model live = baseWithHead()) {
      frozen.freeze("base_bn");
      for (Model m : List.of(frozen, live)) {
        m.compile(new SGD(1e-9), new CategoricalCrossentropy());
      }
      // With a negligible learning rate nothing moves, so the training loss equals evaluate's
      // loss when BN uses the same (moving) statistics on both paths.
      double trainFrozen = frozen.fit(x, y, epochs(1).shuffle(false).batchSize(16))
          .last("loss");
      assertEquals(frozen.evaluate(x, y, 16).get("loss"), trainFrozen, 1e-6);
      double trainLive = live.fit(x, y, epochs(1).shuffle(false).batchSize(16)).last("loss");
      assertTrue(Math.abs(trainLive - live.evaluate(x, y, 16).get("loss")) > 1e-4,
          "a live BN normalizes with batch statistics while training");
    }
  }

  @Test
  void unfreezeMakesLayersTrainAgain() {
    try (Model model = baseWithHead()) {
      model.compile(new Adam(0.05), new CategoricalCrossentropy());
      model.freezeThrough("base_out");
      model.fit(x, y, epochs(1));
      model.unfreeze();
      assertEquals(List.of(), model.frozenLayers());
      List<float[]> before = flat(model.getWeights());
      model.fit(x, y, epochs(1));
      assertFalse(java.util.Arrays.equals(before.get(0), flat(model.getWeights()).get(0)),
          "base_conv trains again");
      assertTrue(model.summaryString().contains("Trainable params: 278"),
          model.summaryString());
    }
  }

  @Test
  void frozenLayersAreSavedAndResumeExactly(@TempDir Path dir) {
    try (Model model = baseWithHead()) {
      model.freeze("base_conv", "base_bn");
      model.compile(new Adam(0.01), new CategoricalCrossentropy());
      model.fit(x, y, epochs(1));
      model.save(dir.resolve("m"));
      try (Model loaded = Model.load(dir.resolve("m"))) {
        assertEquals(List.of("base_conv", "base_bn"), loaded.frozenLayers());
        model.fit(x, y, epochs(1).shuffle(false));
        loaded.fit(x, y, epochs(1).shuffle(false));
        List<float[]> a = flat(model.getWeights());
        List<float[]> b = flat(loaded.getWeights());
        for (int i = 0; i < a.size(); i++) {
          assertArrayEquals(a.get(i), b.get(i), model.weightNames().get(i));
        }
      }
    }
  }

  @Test
  void unknownLayersAreNamed() {
    Model model = baseWithHead();
    var e = assertThrows(IllegalArgumentException.class, () -> model.freeze("conv"));
    assertEquals("Model 'functional': layers to freeze must be layers of the model [base_conv,"
        + " base_bn, base_out, global_average_pooling2d, head]; got 'conv'.", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> model.freezeThrough("nope"));
    assertTrue(e.getMessage().endsWith("got 'nope'."), e.getMessage());
  }
}
