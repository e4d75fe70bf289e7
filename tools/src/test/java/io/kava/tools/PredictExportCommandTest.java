package io.kava.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kava.FitOptions;
import io.kava.Sequential;
import io.kava.data.datasets.ImageDataset;
import io.kava.data.datasets.Mnist;
import io.kava.data.datasets.Npy;
import io.kava.losses.CategoricalCrossentropy;
import io.kava.metrics.Accuracy;
import io.kava.models.MnistSimpleCnn;
import io.kava.optimizers.Adam;
import io.kava.tools.tutorials.TutorialData;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kava export and kava predict on a model this test trains and saves. */
class PredictExportCommandTest {
  @TempDir
  static Path dir;
  static ImageDataset test;

  @BeforeAll
  static void trainAndSave() {
    ImageDataset all = Mnist.sample();
    ImageDataset train = all.take(0, 3000);
    test = all.take(9000, 9010);
    try (Sequential m = MnistSimpleCnn.create().seed(1)) {
      m.compile(new Adam(0.003), new CategoricalCrossentropy(), new Accuracy());
      m.fit(TutorialData.scaled(train.images()), train.oneHotLabels(),
          FitOptions.defaults().epochs(2).seed(1).verbose(0));
      m.save(dir.resolve("saved"));
    }
  }

  @Test
  void exportThenPredictImageFiles() throws IOException {
    String out = KavaCommandsTest.run(0, "export", "--model", dir.resolve("saved").toString(),
        "--output", dir.resolve("serving").toString(), "--version", "7")[0];
    assertTrue(out.contains("Exported mnist_simple_cnn"), out);
    assertTrue(Files.isRegularFile(dir.resolve("serving/7/saved_model.pb")));

    List<String> args = new ArrayList<>(List.of("predict", "--model",
        dir.resolve("serving").toString()));
    for (int i = 0; i < 10; i++) {
      BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
      for (int y = 0; y < 28; y++) {
        for (int x = 0; x < 28; x++) {
          img.getRaster().setSample(x, y, 0, (int) test.images().getFloat(i, y, x, 0));
        }
      }
      Path png = dir.resolve("digit" + i + ".png");
      ImageIO.write(img, "png", png.toFile());
      args.add(png.toString());
    }
    String predictions = KavaCommandsTest.run(0, args.toArray(String[]::new))[0];
    int right = 0;
    for (int i = 0; i < 10; i++) {
      String name = "digit" + i + ".png";
      String line = predictions.lines().filter(l -> l.contains(name)).findFirst().orElseThrow();
      assertTrue(line.matches(".*: class \\d \\(score [01]\\.\\d{4}\\)"), line);
      right += line.contains("class " + test.labels()[i] + " ") ? 1 : 0;
    }
    assertTrue(right >= 8, predictions);
  }

  @Test
  void evaluateReportsScoresAndTheClassificationReport() {
    String out = KavaCommandsTest.run(0, "evaluate", "--model",
        dir.resolve("saved").toString())[0];
    double acc = Double.parseDouble(out.replaceAll("(?s).*accuracy: ([0-9.]+).*", "$1"));
    assertTrue(acc > 0.85, out);
    assertTrue(out.contains("precision    recall  f1-score   support"), out);
    // The pictures land next to the model, and their paths are printed.
    for (String name : List.of("evaluate_confusion.png", "evaluate_samples.png")) {
      Path png = dir.resolve(name);
      PngAssert.picture(png, 600, 400);
      assertTrue(out.contains("Plot: " + png.toAbsolutePath()), out);
    }
    assertTrue(Files.notExists(dir.resolve("evaluate_curves.png")), "no training, no curves");
  }

  @Test
  void evaluateWritesPicturesWhereToldOrNone(@TempDir Path elsewhere) {
    KavaCommandsTest.run(0, "evaluate", "--model", dir.resolve("saved").toString(),
        "--output", elsewhere.resolve("a").toString());
    PngAssert.picture(elsewhere.resolve("a/evaluate_confusion.png"), 600, 400);
    String out = KavaCommandsTest.run(0, "evaluate", "--model",
        dir.resolve("saved").toString(), "--output", elsewhere.resolve("b").toString(),
        "--no-plots")[0];
    assertTrue(Files.notExists(elsewhere.resolve("b")), out);
    assertFalse(out.contains("Plot: "), out);
  }

  @Test
  void predictAnNpyArrayAndReportBadInput() {
    Path npy = dir.resolve("x.npy");
    Npy.write(npy, TutorialData.scaled(test.images()));
    String out = KavaCommandsTest.run(0, "predict", "--model",
        dir.resolve("saved").toString(), "--npy", npy.toString())[0];
    assertEquals(10, out.lines().filter(l -> l.startsWith("row ")).count(), out);
    String err = KavaCommandsTest.run(2, "predict", "--model",
        dir.resolve("saved").toString())[1];
    assertTrue(err.contains("give image files or --npy FILE"), err);
  }
}
