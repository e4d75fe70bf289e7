package io.kava.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kava.Model;
import io.kava.Sequential;
import io.kava.losses.CategoricalCrossentropy;
import io.kava.metrics.Accuracy;
import io.kava.models.MnistSimpleCnn;
import io.kava.optimizers.Adam;
import io.kava.saving.SavedModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;

/** kava convert: a real Keras file to a servable SavedModel, and a Kava model to .keras. */
class ConvertCommandTest {
  static final Path LENET = Path.of("../../shared/fixtures/keras/lenet-tensorspace");

  @TempDir
  Path dir;

  /** The fixture's digit: 784 floats in [0, 1] as a JSON array, as LeNet's (1, 28, 28) input. */
  static FloatNdArray digit5() throws IOException {
    String text = Files.readString(LENET.resolve("digit_5.json")).trim();
    String[] parts = text.substring(1, text.length() - 1).split(",");
    assertEquals(784, parts.length);
    FloatNdArray x = NdArrays.ofFloats(Shape.of(1, 28, 28));
    for (int i = 0; i < parts.length; i++) {
      x.setFloat(Float.parseFloat(parts[i].trim()), 0, i / 28, i % 28);
    }
    return x;
  }

  @Test
  void kerasFileBecomesTheNextServingVersionThatPredictsTheDigit() throws IOException {
    Path base = dir.resolve("serving/lenet");
    String h5 = LENET.resolve("lenet_full_model.h5").toString();
    String out = KavaCommandsTest.run(0, "convert", h5, base.toString())[0];
    assertTrue(out.startsWith("Converted " + h5 + " ("), out);
    assertTrue(out.contains(") to SavedModel " + base.resolve("1").toAbsolutePath()), out);
    assertTrue(Files.isRegularFile(base.resolve("1/saved_model.pb")), out);
    try (SavedModel sm = SavedModel.load(base.resolve("1"))) {
      String in = sm.signature(SavedModel.DEFAULT_SIGNATURE).inputs().keySet().iterator().next();
      FloatNdArray p = sm.predict(Map.of(in, digit5())).values().iterator().next();
      int best = 0;
      for (int k = 1; k < 10; k++) {
        best = p.getFloat(0, k) > p.getFloat(0, best) ? k : best;
      }
      assertEquals(5, best);
      assertTrue(p.getFloat(0, 5) >= 0.9999f, "p(5) = " + p.getFloat(0, 5));
    }
    KavaCommandsTest.run(0, "convert", h5, base.toString(), "--to", "savedmodel");
    assertTrue(Files.isRegularFile(base.resolve("2/saved_model.pb")));
  }

  @Test
  void kavaModelDirectoryBecomesAKerasFileThatLoadsBackIdentically() {
    Path saved = dir.resolve("saved");
    FloatNdArray x = NdArrays.ofFloats(Shape.of(3, 28, 28, 1));
    Random r = new Random(1);
    x.scalars().forEach(s -> s.setFloat(r.nextFloat()));
    FloatNdArray before;
    try (Sequential m = MnistSimpleCnn.create().seed(4)) {
      m.compile(new Adam(0.003), new CategoricalCrossentropy(), new Accuracy());
      before = m.predict(x);
      m.save(saved);
    }
    Path keras = dir.resolve("out/mnist.keras");
    String out = KavaCommandsTest.run(0, "convert", saved.toString(), keras.toString(), "--to",
        "keras")[0];
    assertTrue(out.startsWith("Converted " + saved + " (mnist_simple_cnn) to Keras file "), out);
    try (Model back = Model.loadKeras(keras)) {
      assertEquals(before, back.predict(x));
      assertEquals(0.003, back.learningRate(), 1e-9);
    }
  }

  @Test
  void badArgumentsAreNamed() throws IOException {
    Path missing = dir.resolve("missing.h5");
    assertEquals("kava convert: IN must be a Keras model file (.h5 or .keras); " + missing
        + " does not exist.\n", KavaCommandsTest.run(2, "convert", missing.toString(),
        dir.resolve("o").toString())[1]);
    assertEquals("kava convert: --to must be savedmodel or keras; got 'onnx'.\n",
        KavaCommandsTest.run(2, "convert", missing.toString(), "o", "--to", "onnx")[1]);
    String h5 = LENET.resolve("lenet_full_model.h5").toString();
    assertEquals("kava convert: with --to keras, IN must be a model directory written by"
        + " Kava's model.save; " + h5 + " is a file.\n", KavaCommandsTest.run(2, "convert", h5,
        dir.resolve("x.keras").toString(), "--to", "keras")[1]);
    Path file = Files.writeString(dir.resolve("file"), "x");
    assertEquals("kava convert: OUT must be a TF Serving base directory; " + file
        + " is a file.\n", KavaCommandsTest.run(2, "convert", h5, file.toString())[1]);
    Path text = Files.writeString(dir.resolve("model.h5"), "{}");
    String err = KavaCommandsTest.run(2, "convert", text.toString(), dir.resolve("s")
        .toString())[1];
    assertTrue(err.startsWith("kava convert: Model.loadKeras: " + text + ": the file must be a"
        + " Keras model"), err);
    assertTrue(KavaCommandsTest.run(2, "convert", h5)[1].contains("Missing required"
        + " parameter: 'OUT'"));
  }
}
