package io.kava;

import static io.kava.TestArrays.flat;
import static io.kava.TestArrays.oneHot;
import static io.kava.TestArrays.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kava.layers.Activation;
import io.kava.layers.Add;
import io.kava.layers.Conv2D;
import io.kava.layers.Dense;
import io.kava.layers.Flatten;
import io.kava.layers.Input;
import io.kava.losses.CategoricalCrossentropy;
import io.kava.optimizers.Adam;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.Shape;

/**
 * A model built on another model's nodes ({@code inputs()}, {@code output(layer)}), as Keras's
 * {@code keras.Model(base.input, head(base.get_layer(name).output))}: the shared layers keep
 * their names, weights and frozen flags.
 */
class SharedLayersTest {
  private final FloatNdArray x = uniform(1, 0, 1, 16, 6, 6, 1);
  private final FloatNdArray y = oneHot(2, 0, 1, 1, 0, 1, 0, 0, 1, 1, 1, 0, 0, 1, 0, 1, 0);

  /** A "pretrained" base: conv, flatten, an unnamed dense, a 3-way softmax. */
  private static Model base() {
    Input image = Input.of(6, 6, 1).name("image");
    Node h = Flatten.of().name("flat").apply(Conv2D.of(2, 3).name("conv").apply(image));
    Node out = Dense.of(3).activation(Activation.SOFTMAX).name("digits")
        .apply(Dense.of(4).activation(Activation.RELU).apply(h));
    return Model.of(image, out).seed(7);
  }

  private static Model withHead(Model base, String at) {
    return Model.of(base.input(), Dense.of(2).activation(Activation.SOFTMAX)
        .apply(base.output(at))).seed(9);
  }

  private static float[] weight(Model m, String path) {
    int i = m.weightNames().indexOf(path);
    assertTrue(i >= 0, path + " in " + m.weightNames());
    return flat(m.getWeights().get(i));
  }

  @Test
  void inputAndInputsAreTheModelsOwnInputs() {
    try (Model base = base()) {
      assertSame(base.inputs().get(0), base.input());
      assertEquals(List.of("image"), base.inputNames());
      assertEquals(Shape.of(4), base.output("dense").shape());
      assertSame(base.input(), ((ModelNode) base.output("image")).node());
    }
  }

  @Test
  void aNewHeadStartsFromTheBasesWeightsUnderTheBasesNamesAndTrainsApart() {
    try (Model base = base(); Model tuned = withHead(base, "dense")) {
      // The base's unnamed Dense keeps "dense"; the new unnamed one gets the next free name.
      assertEquals(List.of("conv/kernel", "conv/bias", "dense/kernel", "dense/bias",
          "dense_1/kernel", "dense_1/bias"), tuned.weightNames());
      for (String w : List.of("conv/kernel", "conv/bias", "dense/kernel", "dense/bias")) {
        assertArrayEquals(weight(base, w), weight(tuned, w), 0f, w);
      }
      float[] baseKernel = weight(base, "dense/kernel");
      tuned.compile(new Adam(0.05), new CategoricalCrossentropy());
      tuned.fit(x, y, FitOptions.defaults().epochs(2).batchSize(4).verbose(0).seed(1));
      assertFalse(Arrays.equals(baseKernel, weight(tuned, "dense/kernel")), "trains");
      assertArrayEquals(baseKernel, weight(base, "dense/kernel"), 0f, "the base is untouched");
    }
  }

  @Test
  void theWeightsAreCopiedWhenTheModelIsDefinedSoTheBaseMayBeClosedAfter() {
    Model base = base();
    float[] kernel = weight(base, "conv/kernel");
    Model tuned = withHead(base, "flat");
    base.close();
    try (tuned) {
      assertArrayEquals(kernel, weight(tuned, "conv/kernel"), 0f);
    }
  }

  @Test
  void freshNodesStartFromTheirInitializers() {
    // Without output(...), the same layers are only configurations: no weights follow them.
    Input image = Input.of(6, 6, 1);
    Conv2D conv = Conv2D.of(2, 3).name("conv");
    Node flat = Flatten.of().apply(conv.apply(image));
    try (Model a = Model.of(image, Dense.of(2).apply(flat)).seed(1);
        Model b = Model.of(image, Dense.of(3).apply(flat)).seed(2)) {
      assertFalse(Arrays.equals(weight(a, "conv/kernel"), weight(b, "conv/kernel")));
    }
  }

  @Test
  void frozenLayersStayFrozenAndFreezeThroughWorksOnTheNewModel() {
    try (Model base = base()) {
      base.freeze("conv");
      try (Model tuned = withHead(base, "dense")) {
        assertEquals(List.of("conv"), tuned.frozenLayers());
        tuned.freezeThrough("dense");
        assertEquals(List.of("conv", "flat", "dense"), tuned.frozenLayers());
        float[] before = weight(tuned, "dense/kernel");
        tuned.compile(new Adam(0.05), new CategoricalCrossentropy());
        tuned.fit(x, y, FitOptions.defaults().epochs(2).batchSize(4).verbose(0).seed(1));
        assertArrayEquals(before, weight(tuned, "dense/kernel"), 0f);
      }
    }
  }

  @Test
  void aLayerCalledTwiceGivesItsFirstCallUnlessTheCallIsGiven() {
    Input a = Input.of(3).name("a");
    Input b = Input.of(3).name("b");
    Dense shared = Dense.of(3).name("shared");
    Node sa = shared.apply(a);
    Node sb = shared.apply(b);
    try (Model m = Model.of(List.of(a, b), List.of(Add.of().name("sum").apply(sa, sb)))) {
      assertSame(sa, ((ModelNode) m.output("shared")).node());
      assertSame(sb, ((ModelNode) m.output("shared", 1)).node());
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> m.output("shared", 2));
      assertEquals("Model 'functional': call of layer 'shared' must be in [0, 2); got 2. The"
          + " layer is called 2 times, on [[a[0][0]], [b[0][0]]].", e.getMessage());
      IllegalStateException one = assertThrows(IllegalStateException.class, m::input);
      assertEquals("Model 'functional': input() needs a model with one input; it has 2,"
          + " [a, b]. Use inputs().", one.getMessage());
    }
  }

  @Test
  void theSameNodeAskedForTwiceIsOneNode() {
    try (Model base = base();
        Model both = Model.of(base.input(), Add.of().name("sum").apply(base.output("dense"),
            base.output("dense")))) {
      assertThrows(IllegalArgumentException.class, () -> both.output("dense", 1),
          "dense is called once");
    }
  }

  @Test
  void anUnknownLayerNameListsTheModelsLayers() {
    try (Model base = base()) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> base.output("flatten"));
      assertEquals("Model 'functional': layer name must be one of [image, conv, flat, dense,"
          + " digits]; got 'flatten'.", e.getMessage());
    }
  }

  @Test
  void aNodeOfAClosedModelHasNoWeightsToGive() {
    Model base = base();
    base.getWeights(); // built, so closing frees its weights
    Node flat = base.output("flat");
    base.close();
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> Model.of(base.input(), Dense.of(2).apply(flat)));
    assertEquals("Model 'functional': its nodes come from Model 'functional', which is closed,"
        + " so its weights are gone. Build the new model before closing the one its nodes"
        + " come from.", e.getMessage());
  }

  @Test
  void aLayerMustTakeItsWeightsFromOneModel() {
    try (Model base = base(); Model other = withHead(base, "flat")) {
      other.name("other");
      // conv is in both: base's own, and other's copy, which may have trained apart.
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> Model.of(base.input(), Add.of().apply(base.output("dense"),
              Dense.of(4).apply(other.output("flat")))));
      assertTrue(e.getMessage().startsWith("Model 'functional': layer 'conv' must come from"
          + " one model; its nodes come from both"), e.getMessage());
    }
  }
}
