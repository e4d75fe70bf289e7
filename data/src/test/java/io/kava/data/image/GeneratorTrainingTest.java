package io.kava.data.image;

import static io.kava.data.image.TestImages.flat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kava.FitOptions;
import io.kava.History;
import io.kava.Sequential;
import io.kava.layers.Activation;
import io.kava.layers.Conv2D;
import io.kava.layers.Dense;
import io.kava.layers.Flatten;
import io.kava.layers.Input;
import io.kava.losses.BinaryCrossentropy;
import io.kava.losses.CategoricalCrossentropy;
import io.kava.losses.SparseCategoricalCrossentropy;
import io.kava.metrics.Accuracy;
import io.kava.optimizers.Adam;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.Shape;

/** The generators' iterators plugged into {@code Sequential.fit / evaluate / predict}. */
class GeneratorTrainingTest {
  private static final int N = 64;

  /** 8 x 8 x 3 images: class 0 is bright on the left half, class 1 on the right; noisy. */
  private static FloatNdArray images(long seed, int[] labels) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] v = new float[labels.length * 8 * 8 * 3];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = r.nextInt(2);
      for (int y = 0; y < 8; y++) {
        for (int x = 0; x < 8; x++) {
          boolean bright = (x < 4) == (labels[i] == 0);
          for (int k = 0; k < 3; k++) {
            v[((i * 8 + y) * 8 + x) * 3 + k] = (float) ((bright ? 180 : 40) + 40 * r.nextDouble());
          }
        }
      }
    }
    return TestImages.array(Shape.of(labels.length, 8, 8, 3), v);
  }

  private static FloatNdArray oneHot(int[] labels) {
    float[] v = new float[labels.length * 2];
    for (int i = 0; i < labels.length; i++) {
      v[i * 2 + labels[i]] = 1;
    }
    return TestImages.array(Shape.of(labels.length, 2), v);
  }

  private static Sequential model() {
    Sequential m = new Sequential(Input.of(8, 8, 3), Conv2D.of(4, 3), Flatten.of(),
        Dense.of(2).activation(Activation.SOFTMAX)).seed(1);
    m.compile(new Adam(0.01), new CategoricalCrossentropy(), new Accuracy());
    return m;
  }

  @Test
  void fitEvaluateAndPredictAcceptAFlowIterator() {
    int[] labels = new int[N];
    FloatNdArray x = images(1, labels);
    FloatNdArray y = oneHot(labels);
    ImageDataGenerator aug = ImageDataGenerator.builder().rotationRange(5).channelShiftRange(10)
        .rescale(1 / 255.0).build();
    ArrayIterator train = aug.flow(x, y, FlowOptions.defaults().batchSize(16).seed(2));
    float[] before = flat(train.get(0).x());
    try (Sequential model = model()) {
      List<float[]> w0 = model.getWeights().stream().map(TestImages::flat).toList();
      History h = model.fit(train, FitOptions.defaults().epochs(2).verbose(0).seed(3));
      assertEquals(List.of(0, 1), h.epochs(), "0-based, as Keras's history.epoch");
      assertEquals(2, h.get("loss").size());
      assertTrue(h.get("loss").stream().allMatch(Double::isFinite), h.toString());
      List<float[]> w1 = model.getWeights().stream().map(TestImages::flat).toList();
      for (int i = 0; i < w0.size(); i++) {
        assertFalse(java.util.Arrays.equals(w0.get(i), w1.get(i)), "weight " + i + " trained");
      }
      assertFalse(java.util.Arrays.equals(before, flat(train.get(0).x())),
          "fit ends each epoch: the iterator reshuffled and drew new transforms");

      // Plain, ordered batches evaluate and predict as the rescaled arrays do.
      ImageDataGenerator rescale = ImageDataGenerator.builder().rescale(1 / 255.0).build();
      ArrayIterator plain = rescale.flow(x, y, FlowOptions.defaults().batchSize(16)
          .shuffle(false));
      FloatNdArray scaled = rescale.standardize(x);
      Map<String, Double> viaIterator = model.evaluate(plain);
      Map<String, Double> viaArrays = model.evaluate(scaled, y, 16);
      assertEquals(viaArrays.keySet(), viaIterator.keySet());
      assertEquals(viaArrays.get("loss"), viaIterator.get("loss"), 1e-6);
      assertEquals(viaArrays.get("accuracy"), viaIterator.get("accuracy"), 1e-9);
      FloatNdArray p = model.predict(rescale.flow(x, FlowOptions.defaults().batchSize(10)
          .shuffle(false)));
      assertEquals(Shape.of(N, 2), p.shape());
      assertArrayEquals(flat(model.predict(scaled)), flat(p), 1e-6f);
    }
  }

  @Test
  void trainingOnAugmentedBatchesLearnsTheTask() {
    int[] labels = new int[N];
    FloatNdArray x = images(4, labels);
    FloatNdArray y = oneHot(labels);
    // Vertical flips and small shifts keep left and right: the labels stay true.
    ImageDataGenerator aug = ImageDataGenerator.builder().verticalFlip(true)
        .heightShiftRange(0.2).brightnessRange(0.8, 1.2).rescale(1 / 255.0).build();
    try (Sequential model = model()) {
      History h = model.fit(aug.flow(x, y, FlowOptions.defaults().batchSize(16).seed(5)),
          FitOptions.defaults().epochs(8).verbose(0).seed(6));
      assertTrue(h.get("loss").get(7) < h.get("loss").get(0), h.toString());
      int[] fresh = new int[32];
      FloatNdArray test = images(99, fresh);
      ImageDataGenerator rescale = ImageDataGenerator.builder().rescale(1 / 255.0).build();
      double acc = model.evaluate(rescale.flow(test, oneHot(fresh), FlowOptions.defaults()
          .shuffle(false))).get("accuracy");
      assertTrue(acc > 0.9, "held-out accuracy " + acc);
    }
  }

  @Test
  void fitReadsClassFoldersWithAValidationSubset(@TempDir Path dir) throws IOException {
    int[] labels = new int[24];
    FloatNdArray x = images(7, labels);
    for (int i = 0; i < labels.length; i++) {
      var img = new java.awt.image.BufferedImage(8, 8, java.awt.image.BufferedImage.TYPE_INT_RGB);
      for (int yy = 0; yy < 8; yy++) {
        for (int xx = 0; xx < 8; xx++) {
          int r = (int) x.getFloat(i, yy, xx, 0);
          int g = (int) x.getFloat(i, yy, xx, 1);
          int b = (int) x.getFloat(i, yy, xx, 2);
          img.setRGB(xx, yy, r << 16 | g << 8 | b);
        }
      }
      TestImages.write(img, dir.resolve((labels[i] == 0 ? "left" : "right") + "/" + i + ".png"));
    }
    ImageDataGenerator gen = ImageDataGenerator.builder().rescale(1 / 255.0)
        .validationSplit(0.25).build();
    FlowOptions o = FlowOptions.defaults().targetSize(8, 8).batchSize(8).seed(1)
        .classMode(ClassMode.SPARSE);
    DirectoryIterator train = TestImages.capture(false,
        () -> gen.flowFromDirectory(dir, o.subset(Subset.TRAINING))).value();
    DirectoryIterator val = TestImages.capture(false,
        () -> gen.flowFromDirectory(dir, o.subset(Subset.VALIDATION).shuffle(false))).value();
    assertEquals(24, train.samples() + val.samples());
    try (Sequential model = new Sequential(Input.of(8, 8, 3), Conv2D.of(4, 3), Flatten.of(),
        Dense.of(2).activation(Activation.SOFTMAX)).seed(2)) {
      model.compile(new Adam(0.01), new SparseCategoricalCrossentropy(), new Accuracy());
      History h = model.fit(train, FitOptions.defaults().epochs(2).verbose(0).seed(3)
          .validationData(val));
      assertEquals(2, h.get("val_loss").size());
      assertEquals(model.evaluate(val).get("loss"), h.last("val_loss"), 1e-6);
      assertEquals(Shape.of(val.samples(), 2), model.predict(val).shape());
    }
    // BINARY labels, shape [n] as Keras, train a one-unit sigmoid output.
    DirectoryIterator binary = TestImages.capture(false, () -> gen.flowFromDirectory(dir,
        o.classMode(ClassMode.BINARY))).value();
    assertEquals(Shape.of(8), binary.get(0).y().shape());
    try (Sequential model = new Sequential(Input.of(8, 8, 3), Flatten.of(),
        Dense.of(1).activation(Activation.SIGMOID)).seed(2)) {
      model.compile(new Adam(0.01), new BinaryCrossentropy(), Accuracy.binary());
      History h = model.fit(binary, FitOptions.defaults().epochs(1).verbose(0).seed(3));
      assertTrue(Double.isFinite(h.last("loss")), h.toString());
    }
  }
}
