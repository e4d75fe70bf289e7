package io.kava;

import static io.kava.TestArrays.flat;
import static io.kava.TestArrays.oneHot;
import static io.kava.TestArrays.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhdf.HdfFile;
import io.kava.layers.Activation;
import io.kava.layers.BatchNormalization;
import io.kava.layers.Dense;
import io.kava.layers.Input;
import io.kava.losses.CategoricalCrossentropy;
import io.kava.optimizers.Adagrad;
import io.kava.optimizers.Adam;
import io.kava.optimizers.Optimizer;
import io.kava.optimizers.RMSprop;
import io.kava.optimizers.SGD;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.FloatNdArray;

/** The optimizer's state in a {@code .keras} file: training resumes exactly after a load. */
class KerasOptimizerStateTest {
  @TempDir
  Path dir;

  static final FloatNdArray X = uniform(3, -1, 1, 24, 4);
  static final FloatNdArray Y = oneHot(3, 0, 1, 2, 1, 0, 2, 2, 1, 0, 0, 1, 2, 1, 1, 0, 2, 0,
      1, 2, 0, 1, 2, 2, 0);
  static final FitOptions ONE = FitOptions.defaults().epochs(1).batchSize(8).shuffle(false)
      .verbose(0);

  static Sequential model(Optimizer o) {
    Sequential m = new Sequential(Input.of(4));
    m.add(Dense.of(6).activation(Activation.TANH));
    m.add(BatchNormalization.of());
    m.add(Dense.of(3).activation(Activation.SOFTMAX));
    m.seed(11);
    m.compile(o, new CategoricalCrossentropy());
    return m;
  }

  /** Fits two epochs in one go, and one, saves, loads and fits one more: same weights. */
  void resumesExactly(Optimizer o, int optimizerVars) throws Exception {
    List<float[]> uninterrupted;
    try (Sequential m = model(o)) {
      m.fit(X, Y, ONE.epochs(2));
      uninterrupted = flat(m.getWeights());
    }
    Path file = dir.resolve(o.name() + ".keras");
    try (Sequential m = model(o)) {
      m.fit(X, Y, ONE);
      m.saveKeras(file);
    }
    Path h5 = dir.resolve(o.name() + ".weights.h5");
    try (ZipFile z = new ZipFile(file.toFile())) {
      Files.write(h5, z.getInputStream(z.getEntry("model.weights.h5")).readAllBytes());
    }
    try (HdfFile f = new HdfFile(h5)) {
      assertEquals(optimizerVars, ((io.jhdf.api.Group) f.getByPath("optimizer/vars"))
          .getChildren().size());
      assertEquals(3L, ((io.jhdf.api.Dataset) f.getByPath("optimizer/vars/0")).getData());
    }
    try (Model back = Model.loadKeras(file)) {
      assertEquals(3, back.iterations());
      back.fit(X, Y, ONE);
      List<float[]> resumed = flat(back.getWeights());
      for (int i = 0; i < resumed.size(); i++) {
        assertArrayEquals(uninterrupted.get(i), resumed.get(i), 1e-5f, o.name() + " " + i);
      }
    }
    // A fresh optimizer does not get there: the state above is what made the difference.
    try (Model fresh = Model.loadKeras(file)) {
      fresh.compile(o, new CategoricalCrossentropy());
      fresh.fit(X, Y, ONE);
      float diff = 0;
      List<float[]> w = flat(fresh.getWeights());
      for (int i = 0; i < w.size(); i++) {
        for (int j = 0; j < w.get(i).length; j++) {
          diff = Math.max(diff, Math.abs(w.get(i)[j] - uninterrupted.get(i)[j]));
        }
      }
      assertTrue(diff > 1e-4, o.name() + ": " + diff);
    }
  }

  @Test
  void adamResumesWithItsMomentsAndStepCount() throws Exception {
    // iteration, learning_rate, then m and v of each of the 6 trainable weights.
    resumesExactly(new Adam(0.01), 2 + 12);
  }

  @Test
  void rmspropWithMomentumResumes() throws Exception {
    resumesExactly(new RMSprop(0.01).momentum(0.5), 2 + 12);
  }

  @Test
  void adagradResumesWithItsAccumulators() throws Exception {
    resumesExactly(new Adagrad(0.1), 2 + 6);
  }

  @Test
  void sgdWithNesterovMomentumResumes() throws Exception {
    resumesExactly(new SGD(0.1).momentum(0.9).nesterov(true), 2 + 6);
  }
}
