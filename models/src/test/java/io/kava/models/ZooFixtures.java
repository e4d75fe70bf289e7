package io.kava.models;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kava.FitOptions;
import io.kava.History;
import io.kava.Model;
import io.kava.losses.CategoricalCrossentropy;
import io.kava.metrics.Accuracy;
import io.kava.optimizers.Optimizer;
import java.util.List;
import java.util.SplittableRandom;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;

/** Small training checks shared by the zoo models' tests. */
final class ZooFixtures {
  private ZooFixtures() {}

  /**
   * Fits {@code model} for a few steps on a tiny fixed batch of random images of {@code size}
   * pixels and checks the training loss went down (the model can learn its own batch).
   */
  static void assertTrains(Model model, Optimizer optimizer, int size, int classes) {
    int n = 4;
    SplittableRandom r = new SplittableRandom(7);
    float[] pixels = new float[n * size * size * 3];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (float) r.nextDouble();
    }
    float[] labels = new float[n * classes];
    for (int i = 0; i < n; i++) {
      labels[i * classes + i % classes] = 1;
    }
    FloatNdArray x = NdArrays.wrap(Shape.of(n, size, size, 3), DataBuffers.of(pixels));
    FloatNdArray y = NdArrays.wrap(Shape.of(n, classes), DataBuffers.of(labels));
    try (model) {
      model.compile(optimizer, new CategoricalCrossentropy(), new Accuracy());
      History h = model.fit(x, y, FitOptions.defaults().epochs(5).batchSize(n).shuffle(false)
          .seed(1).verbose(0));
      List<Double> loss = h.get("loss");
      assertTrue(loss.get(loss.size() - 1) < loss.get(0), model.name() + " loss " + loss);
    }
  }
}
