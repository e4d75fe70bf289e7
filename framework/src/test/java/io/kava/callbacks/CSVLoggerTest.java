package io.kava.callbacks;

import static io.kava.TestArrays.oneHot;
import static io.kava.TestArrays.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kava.FitOptions;
import io.kava.History;
import io.kava.Sequential;
import io.kava.layers.Activation;
import io.kava.layers.Dense;
import io.kava.layers.Input;
import io.kava.losses.CategoricalCrossentropy;
import io.kava.metrics.Accuracy;
import io.kava.optimizers.SGD;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.FloatNdArray;

class CSVLoggerTest {
  private final FloatNdArray x = uniform(1, -1, 1, 8, 3);
  private final FloatNdArray y = oneHot(2, 0, 1, 1, 0, 1, 0, 0, 1);

  private Sequential classifier() {
    Sequential model = new Sequential(Input.of(3), Dense.of(2).activation(Activation.SOFTMAX))
        .seed(2);
    model.compile(new SGD(0.1), new CategoricalCrossentropy(), new Accuracy());
    return model;
  }

  private FitOptions options(int epochs, Callback... callbacks) {
    return FitOptions.defaults().epochs(epochs).batchSize(4).verbose(0).seed(3)
        .validationData(x, y).callbacks(callbacks);
  }

  @Test
  void writesASortedHeaderAndOneRowPerEpoch(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("logs").resolve("training.csv");
    try (Sequential model = classifier()) {
      History h = model.fit(x, y, options(3, new CSVLogger(file)));
      List<String> lines = Files.readAllLines(file);
      assertEquals("epoch,accuracy,loss,val_accuracy,val_loss", lines.get(0));
      assertEquals(4, lines.size());
      for (int e = 0; e < 3; e++) {
        String[] cells = lines.get(e + 1).split(",");
        assertEquals(Integer.toString(e), cells[0]);
        assertEquals(h.get("accuracy").get(e), Double.parseDouble(cells[1]));
        assertEquals(h.get("loss").get(e), Double.parseDouble(cells[2]));
        assertEquals(h.get("val_accuracy").get(e), Double.parseDouble(cells[3]));
        assertEquals(h.get("val_loss").get(e), Double.parseDouble(cells[4]));
      }
    }
  }

  @Test
  void appendContinuesAResumedRun(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("training.csv");
    try (Sequential model = classifier()) {
      model.fit(x, y, options(2, new CSVLogger(file)));
      model.fit(x, y, options(4, new CSVLogger(file).append(true)).initialEpoch(2));
      List<String> lines = Files.readAllLines(file);
      assertEquals(5, lines.size(), lines.toString());
      assertEquals("epoch,accuracy,loss,val_accuracy,val_loss", lines.get(0));
      for (int e = 0; e < 4; e++) {
        assertEquals(Integer.toString(e), lines.get(e + 1).split(",")[0]);
      }
    }
  }

  @Test
  void withoutAppendTheFileIsReplaced(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("training.csv");
    try (Sequential model = classifier()) {
      model.fit(x, y, options(3, new CSVLogger(file)));
      model.fit(x, y, options(1, new CSVLogger(file)));
      assertEquals(2, Files.readAllLines(file).size());
    }
  }

  @Test
  void separatorAndKeysAddedByOtherCallbacks(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("training.csv");
    try (Sequential model = classifier()) {
      model.fit(x, y, FitOptions.defaults().epochs(1).verbose(0).callbacks(
          new LearningRateScheduler((e, lr) -> lr), new CSVLogger(file).separator(";")));
      assertEquals("epoch;accuracy;learning_rate;loss", Files.readAllLines(file).get(0));
    }
  }
}
