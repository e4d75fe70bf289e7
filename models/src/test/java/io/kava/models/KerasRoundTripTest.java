package io.kava.models;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kava.Model;
import io.kava.Sequential;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;

/**
 * Every zoo and tutorial model: {@code saveKeras} then {@code Model.loadKeras} gives a model
 * of the same kind, with the same weights, that predicts exactly the same outputs.
 */
class KerasRoundTripTest {
  @TempDir
  Path dir;

  /** Weights drawn from the model's seed, BatchNormalization statistics made non-trivial. */
  private static void perturb(Model m, long seed) {
    Random r = new Random(seed);
    List<FloatNdArray> w = new ArrayList<>();
    List<String> names = m.weightNames();
    List<FloatNdArray> arrays = m.getWeights();
    for (int i = 0; i < arrays.size(); i++) {
      FloatNdArray a = arrays.get(i);
      if (names.get(i).endsWith("/moving_variance") || names.get(i).endsWith("/moving_mean")
          || names.get(i).endsWith("/gamma") || names.get(i).endsWith("/beta")) {
        a.scalars().forEach(s -> s.setFloat(0.5f + r.nextFloat()));
      }
      w.add(a);
    }
    m.setWeights(w);
  }

  private void roundTrip(String name, Supplier<Model> create, long... inputShape)
      throws Exception {
    Path file = dir.resolve(name + ".keras");
    Random r = new Random(42);
    long[] shape = new long[inputShape.length + 1];
    shape[0] = 2;
    System.arraycopy(inputShape, 0, shape, 1, inputShape.length);
    FloatNdArray x = NdArrays.ofFloats(Shape.of(shape));
    x.scalars().forEach(s -> s.setFloat(r.nextFloat()));
    FloatNdArray before;
    List<String> names;
    boolean sequential;
    try (Model m = create.get().seed(3)) {
      perturb(m, 5);
      before = m.predict(x);
      names = m.weightNames();
      sequential = m instanceof Sequential;
      m.saveKeras(file);
    }
    try (Model back = Model.loadKeras(file)) {
      assertEquals(sequential, back instanceof Sequential, name);
      assertEquals(new java.util.TreeSet<>(names), new java.util.TreeSet<>(back.weightNames()),
          name);
      assertEquals(before, back.predict(x), name);
    }
  }

  @Test
  void mnistModels() throws Exception {
    roundTrip("mnist_simple_cnn", MnistSimpleCnn::create, 28, 28, 1);
    roundTrip("mnist_mlp", MnistMlp::create, 28, 28, 1);
    roundTrip("mnist_cnn", MnistCnn::create, 28, 28, 1);
    roundTrip("mnist_deep_cnn", MnistDeepCnn::create, 28, 28, 1);
  }

  @Test
  void cifar10Models() throws Exception {
    roundTrip("cifar10_cnn", Cifar10Cnn::create, 32, 32, 3);
    roundTrip("cifar10_deep_cnn", Cifar10DeepCnn::create, 32, 32, 3);
    roundTrip("resnet20", ResNet20::create, 32, 32, 3);
  }

  @Test
  void alexNet() throws Exception {
    roundTrip("alexnet", () -> AlexNet.create(10), 227, 227, 3);
  }

  @Test
  void applicationsOnSmallInputs() throws Exception {
    roundTrip("vgg16", () -> VGG16.create(5, 32, 32), 32, 32, 3);
    roundTrip("resnet50", () -> ResNet50.create(5, 32, 32), 32, 32, 3);
    roundTrip("mobilenet_v2", () -> MobileNetV2.create(5, 32, 32), 32, 32, 3);
  }
}
