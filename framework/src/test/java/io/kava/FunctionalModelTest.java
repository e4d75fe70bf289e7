package io.kava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kava.layers.Activation;
import io.kava.layers.Add;
import io.kava.layers.BatchNormalization;
import io.kava.layers.Concatenate;
import io.kava.layers.Conv2D;
import io.kava.layers.Dense;
import io.kava.layers.DepthwiseConv2D;
import io.kava.layers.Dropout;
import io.kava.layers.Flatten;
import io.kava.layers.GlobalAveragePooling2D;
import io.kava.layers.GlobalMaxPooling2D;
import io.kava.layers.Input;
import io.kava.layers.Layer;
import io.kava.layers.LayerNormalization;
import io.kava.layers.MaxPooling2D;
import io.kava.layers.Multiply;
import io.kava.layers.Padding;
import io.kava.layers.RandomFlip;
import io.kava.layers.RandomRotation;
import io.kava.layers.RandomTranslation;
import io.kava.layers.RandomZoom;
import io.kava.layers.ReLU;
import io.kava.layers.Rescaling;
import io.kava.layers.Reshape;
import io.kava.layers.Resizing;
import io.kava.layers.SeparableConv2D;
import io.kava.layers.Subtract;
import io.kava.layers.ZeroPadding2D;
import io.kava.losses.BinaryCrossentropy;
import io.kava.losses.CategoricalCrossentropy;
import io.kava.losses.Loss;
import io.kava.metrics.Accuracy;
import io.kava.optimizers.Adam;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.types.TFloat32;

/** Functional models: graphs of layers, several inputs and outputs, files and errors. */
class FunctionalModelTest {

  static FloatNdArray images(int n, long seed) {
    return SavingTest.images(n, seed);
  }

  /** A residual block: conv, conv, add the block's input back, then classify. */
  static Model residual() {
    Input img = Input.of(8, 8, 1).name("image");
    Node x = Conv2D.of(4, 3).padding(Padding.SAME).activation(Activation.RELU).apply(img);
    Node y = Conv2D.of(4, 3).padding(Padding.SAME).apply(x);
    Node res = Activation.RELU.apply(Add.of().apply(x, y));
    Node out = Dense.of(3).activation(Activation.SOFTMAX).name("label")
        .apply(Flatten.of().apply(MaxPooling2D.of(2).apply(res)));
    return Model.of(img, out).seed(3);
  }

  static FitOptions opts() {
    return FitOptions.defaults().batchSize(16).seed(5).verbose(0);
  }

  @Nested
  class Structure {
    @Test
    void summaryShowsTheConnections() {
      try (Model m = residual()) {
        String s = m.summaryString();
        assertTrue(s.startsWith("Model: \"functional\""), s);
        assertTrue(s.contains("Connected to"), s);
        assertTrue(s.contains(" image (InputLayer)"), s);
        assertTrue(s.contains("add (Add)"), s);
        assertTrue(s.contains("conv2d[0][0], conv2d_1[0][0]"), s);
        // 40 + 148 + 4*4*4*3 + 3
        assertEquals(40 + 148 + 195, m.countParams());
        assertTrue(s.contains("Total params: 383"), s);
        assertEquals(List.of("image"), m.inputNames());
        assertEquals(List.of("label"), m.outputNames());
        assertEquals("Model(name=functional, inputs=[image], outputs=[label], params=383)",
            m.toString());
      }
    }

    @Test
    void aSharedLayerHasOneSetOfWeights() {
      Input a = Input.of(4).name("a");
      Input b = Input.of(4).name("b");
      Dense shared = Dense.of(2).name("shared");
      Node out = Dense.of(1).name("out")
          .apply(Concatenate.of().apply(shared.apply(a), shared.apply(b)));
      try (Model m = Model.of(List.of(a, b), List.of(out))) {
        assertEquals(10 + 5, m.countParams());
        assertEquals(List.of("shared/kernel", "shared/bias", "out/kernel", "out/bias"),
            m.weightNames());
        String summary = m.summaryString();
        assertTrue(summary.contains("shared[0][0], shared[1][0]"), summary);
        assertTrue(summary.matches("(?s).*shared \\(Dense\\) .*a\\[0]\\[0]\n {40,}b\\[0]\\[0].*"),
            summary);
      }
    }

    @Test
    void brokenGraphsAreErrorsNamingLayersAndShapes() {
      Input img = Input.of(8, 8, 1);
      Node a = Conv2D.of(4, 3).apply(img);
      Node b = Conv2D.of(8, 3).apply(img);
      var e = assertThrows(IllegalArgumentException.class, () -> Add.of().apply(a, b));
      assertEquals("Add: inputs must all have the same shape; got (6, 6, 4), (6, 6, 8).",
          e.getMessage());
      e = assertThrows(IllegalArgumentException.class, () -> Concatenate.of().axis(1)
          .apply(a, b));
      assertTrue(e.getMessage().contains("equal shapes except along axis 1"), e.getMessage());
      e = assertThrows(IllegalArgumentException.class, () -> Add.of().apply(a));
      assertTrue(e.getMessage().contains("number of inputs must be >= 2"), e.getMessage());
      e = assertThrows(IllegalArgumentException.class, () -> Dense.of(2).apply(a, a));
      assertTrue(e.getMessage().contains("Dense: number of inputs must be 1; got 2"),
          e.getMessage());

      Input other = Input.of(8, 8, 1).name("other");
      Node fromOther = Flatten.of().apply(other);
      e = assertThrows(IllegalArgumentException.class, () -> Model.of(img, fromOther));
      assertTrue(e.getMessage().contains("must be computed from the model's inputs"),
          e.getMessage());
      assertTrue(e.getMessage().contains("name=other"), e.getMessage());

      Node named1 = Dense.of(2).name("d").apply(Flatten.of().apply(img));
      Node named2 = Dense.of(2).name("d").apply(named1);
      e = assertThrows(IllegalArgumentException.class, () -> Model.of(img, named2));
      assertEquals("Model 'functional': layer names must be unique; got 'd' twice.",
          e.getMessage());

      Input unused = Input.of(3).name("unused");
      e = assertThrows(IllegalArgumentException.class,
          () -> Model.of(List.of(img, unused), List.of(a)));
      assertTrue(e.getMessage().contains("input 'unused' (None, 3) must lead to an output"),
          e.getMessage());

      Dense shared = Dense.of(2);
      Input narrow = Input.of(4);
      Input wide = Input.of(6);
      Node s1 = shared.apply(narrow);
      Node s2 = shared.apply(wide);
      e = assertThrows(IllegalArgumentException.class,
          () -> Model.of(List.of(narrow, wide), List.of(s1, s2)));
      assertTrue(e.getMessage().contains("shared layer 'dense' must be applied to inputs that"
          + " fit its weights"), e.getMessage());
    }

    @Test
    void aCycleIsAnError() {
      Input in = Input.of(2);
      Node[] self = new Node[1];
      self[0] = new Node() {
        public Layer layer() {
          return Dense.of(2);
        }

        public List<Node> inputs() {
          return List.of(self[0]);
        }

        public Shape shape() {
          return Shape.of(2);
        }
      };
      var e = assertThrows(IllegalArgumentException.class, () -> Model.of(in, self[0]));
      assertTrue(e.getMessage().contains("must have no cycle"), e.getMessage());
    }
  }

  @Nested
  class Training {
    @Test
    void aResidualModelTrainsSavesLoadsResumesAndExports(@TempDir Path tmp) throws Exception {
      FloatNdArray x = images(96, 2);
      FloatNdArray y = SavingTest.labels(x);
      History straight;
      try (Model m = residual()) {
        m.compile(new Adam(0.01), new CategoricalCrossentropy(), new Accuracy());
        straight = m.fit(x, y, opts().epochs(3));
        assertTrue(straight.last("loss") < straight.get("loss").get(0), straight.toString());
      }
      Path dir = tmp.resolve("ckpt");
      FloatNdArray before;
      try (Model m = residual()) {
        m.compile(new Adam(0.01), new CategoricalCrossentropy(), new Accuracy());
        m.fit(x, y, opts().epochs(1));
        before = m.predict(x);
        m.save(dir);
      }
      assertTrue(Files.readString(dir.resolve("kava.json")).contains("\"nodes\""));
      try (Model again = Model.load(dir)) {
        assertEquals(Model.class, again.getClass());
        assertEquals(before, again.predict(x));
        History resumed = again.fit(x, y, opts().epochs(3)
            .initialEpoch(again.epochsCompleted()));
        assertEquals(straight.get("loss").subList(1, 3), resumed.get("loss"));
        again.export(tmp.resolve("export"));
        FloatNdArray expected = again.predict(x);
        try (SavedModelBundle b = SavedModelBundle.load(tmp.resolve("export").toString(),
            "serve")) {
          SignatureDef sig = b.metaGraphDef().getSignatureDefMap().get("serving_default");
          assertEquals(List.of("image"), List.copyOf(sig.getInputsMap().keySet()));
          assertEquals(List.of("label"), List.copyOf(sig.getOutputsMap().keySet()));
          try (TFloat32 xt = TFloat32.tensorOf(x);
              var r = b.function("serving_default").call(Map.of("image", xt))) {
            TFloat32 out = (TFloat32) r.get("label").get();
            assertEquals(expected.getFloat(7, 2), out.getFloat(7, 2), 1e-6f);
          }
        }
      }
    }

    @Test
    void twoInputsAndTwoOutputsTrainFromMapsWithKerasHistoryKeys(@TempDir Path tmp) {
      FloatNdArray img = images(64, 7);
      FloatNdArray meta = NdArrays.ofFloats(Shape.of(64, 2));
      FloatNdArray cls = SavingTest.labels(img);
      FloatNdArray odd = NdArrays.ofFloats(Shape.of(64, 1));
      for (int i = 0; i < 64; i++) {
        meta.setFloat(i % 2, i, 0);
        meta.setFloat(1 - i % 2, i, 1);
        odd.setFloat(i % 2, i, 0);
      }
      try (Model m = twoByTwo()) {
        Map<String, Loss> losses = Map.of("digit", new CategoricalCrossentropy(),
            "parity", new BinaryCrossentropy());
        m.compile(new Adam(0.05), losses, Map.of("parity", 0.5), new Accuracy());
        Map<String, FloatNdArray> xs = Map.of("image", img, "meta", meta);
        Map<String, FloatNdArray> ys = Map.of("digit", cls, "parity", odd);
        History h = m.fit(xs, ys, opts().epochs(20).validationSplit(0.25));
        assertEquals(List.of("loss", "digit_loss", "parity_loss", "digit_accuracy",
            "parity_accuracy", "val_loss", "val_digit_loss", "val_parity_loss",
            "val_digit_accuracy", "val_parity_accuracy"), List.copyOf(h.keys()));
        // The total is the weighted sum of the outputs' losses (no regularizer here).
        Map<String, Double> scores = m.evaluate(xs, ys);
        assertEquals(scores.get("digit_loss") + 0.5 * scores.get("parity_loss"),
            scores.get("loss"), 1e-5);
        assertTrue(scores.get("parity_accuracy") > 0.9, scores.toString());
        Map<String, FloatNdArray> out = m.predict(xs);
        assertEquals(List.of("digit", "parity"), List.copyOf(out.keySet()));
        assertEquals(Shape.of(64, 1), out.get("parity").shape());
        m.save(tmp.resolve("m"));
        try (Model again = Model.load(tmp.resolve("m"))) {
          assertEquals(out, again.predict(xs));
          assertEquals(scores, again.evaluate(xs, ys));
        }
      }
    }

    private Model twoByTwo() {
      Input img = Input.of(8, 8, 1).name("image");
      Input meta = Input.of(2).name("meta");
      Node h = Flatten.of().apply(Conv2D.of(4, 3).activation(Activation.RELU).apply(img));
      Node both = Dropout.of(0.1).apply(Concatenate.of().apply(h, meta));
      Node digit = Dense.of(3).activation(Activation.SOFTMAX).name("digit").apply(both);
      Node parity = Dense.of(1).activation(Activation.SIGMOID).name("parity").apply(meta);
      return Model.of(List.of(img, meta), List.of(digit, parity)).seed(4);
    }

    /**
     * Every layer of issue 11 in one small MobileNet-style model: augmentation and input
     * scaling on the input, a padded strided stem, ReLU6, a depthwise and a separable
     * convolution with a residual add, a gate, normalization and global pooling. It trains,
     * and save / load (kava.json through each layer's config) gives the same predictions.
     */
    @Test
    void modernCnnLayersTrainSaveAndLoad(@TempDir Path tmp) {
      FloatNdArray x = images(64, 4);
      FloatNdArray y = SavingTest.labels(x);
      FloatNdArray before;
      History h;
      try (Model m = modern()) {
        m.compile(new Adam(0.01), new CategoricalCrossentropy(), new Accuracy());
        h = m.fit(x, y, opts().epochs(4));
        assertTrue(h.last("loss") < h.get("loss").get(0), h.toString());
        before = m.predict(x);
        m.save(tmp.resolve("m"));
        assertTrue(m.summaryString().contains("depthwise_conv2d (DepthwiseConv2D)"),
            m.summaryString());
      }
      try (Model again = Model.load(tmp.resolve("m"))) {
        assertEquals(before, again.predict(x));
      }
    }

    private Model modern() {
      Input img = Input.of(8, 8, 1).name("image");
      Node x = RandomFlip.of(RandomFlip.Mode.HORIZONTAL).apply(img);
      x = RandomRotation.of(0.05).apply(x);
      x = RandomZoom.of(0.1).apply(x);
      x = RandomTranslation.of(0.1, 0.1).apply(x);
      x = Rescaling.of(2).offset(-1).apply(Resizing.of(10, 10).apply(x));
      x = ZeroPadding2D.of(0, 1, 0, 1).apply(x);
      x = Conv2D.of(8, 3).strides(2).useBias(false).apply(x);
      x = ReLU.of().maxValue(6.0).apply(BatchNormalization.of().apply(x));
      Node dw = DepthwiseConv2D.of(3).padding(Padding.SAME).apply(x);
      Node sep = SeparableConv2D.of(8, 3).padding(Padding.SAME).apply(ReLU.of().apply(dw));
      Node res = Add.of().apply(x, sep);
      Node gate = Dense.of(8).activation(Activation.SIGMOID)
          .apply(GlobalAveragePooling2D.of().apply(res));
      Node pooled = GlobalMaxPooling2D.of().apply(res);
      Node gated = Multiply.of().apply(pooled, gate);
      Node diff = Subtract.of().apply(gated, LayerNormalization.of().apply(pooled));
      Node flat = Reshape.of(-1).apply(Reshape.of(2, 4).apply(diff));
      Node out = Dense.of(3).activation(Activation.SOFTMAX).name("label").apply(flat);
      return Model.of(img, out).seed(2);
    }

    @Test
    void mapsAndArraysMustMatchTheModel() {
      try (Model m = twoByTwo()) {
        m.compile(new Adam(), new CategoricalCrossentropy());
        FloatNdArray img = images(4, 1);
        var e = assertThrows(IllegalArgumentException.class,
            () -> m.fit(img, img, opts()));
        assertEquals("Model 'functional': x must be a map keyed by [image, meta] for a model"
            + " with 2 inputs; got one array.", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> m.predict(Map.of("image", img)));
        assertTrue(e.getMessage().contains("x must hold an array for 'meta'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> m.predict(Map.of("image", img,
            "meta", NdArrays.ofFloats(Shape.of(4, 2)), "extra", img)));
        assertTrue(e.getMessage().contains("got 'extra'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> m.predict(Map.of("image", img,
            "meta", NdArrays.ofFloats(Shape.of(4, 3)))));
        assertEquals("Model 'functional': x 'meta' must have shape (None, 2); got [4, 3].",
            e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> m.compile(new Adam(),
            Map.of("digit", new CategoricalCrossentropy())));
        assertTrue(e.getMessage().contains("got none for 'parity'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> m.compile(new Adam(),
            Map.of("digits", new CategoricalCrossentropy())));
        assertTrue(e.getMessage().contains("loss keys must be output names [digit, parity];"
            + " got 'digits'"), e.getMessage());
      }
    }
  }
}
