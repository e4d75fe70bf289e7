package io.kava.tools;

import static io.kava.tools.PngAssert.picture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kava.FitOptions;
import io.kava.History;
import io.kava.Sequential;
import io.kava.data.datasets.ImageDataset;
import io.kava.data.datasets.Mnist;
import io.kava.data.image.FlowOptions;
import io.kava.data.image.ImageDataGenerator;
import io.kava.layers.Activation;
import io.kava.layers.Dense;
import io.kava.layers.Flatten;
import io.kava.layers.Input;
import io.kava.losses.SparseCategoricalCrossentropy;
import io.kava.metrics.Accuracy;
import io.kava.metrics.ConfusionMatrix;
import io.kava.optimizers.Adam;
import io.kava.tools.tutorials.TutorialData;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;

/** The PNGs are real images of the expected size, with the drawn content where expected. */
class PlotsTest {
  static ImageDataset digits;
  static FloatNdArray x;
  static History history;
  static int[] predicted;

  @BeforeAll
  static void train() {
    digits = Mnist.sample().take(0, 600);
    x = TutorialData.scaled(digits.images());
    try (Sequential m = new Sequential(Input.of(28, 28, 1), Flatten.of(),
        Dense.of(10).activation(Activation.SOFTMAX)).seed(1)) {
      m.compile(new Adam(0.01), new SparseCategoricalCrossentropy(), new Accuracy());
      history = m.fit(x, digits.labels(), FitOptions.defaults().epochs(3).validationSplit(0.2)
          .verbose(0).seed(1));
      predicted = m.predictClasses(x);
    }
  }

  @Test
  void historyDrawsLossAndAccuracySideBySide(@TempDir Path dir) {
    Plots.history(history, "dense on MNIST", dir.resolve("curves.png"));
    BufferedImage curves = picture(dir.resolve("curves.png"), 1120, 400);
    assertEquals(1120, curves.getWidth(), "loss and accuracy side by side");
    assertEquals(400, curves.getHeight());

    var e = assertThrows(IllegalArgumentException.class,
        () -> Plots.history(new History(), "t", dir.resolve("x.png")));
    assertEquals("Plots.history: history must hold at least one epoch of 'loss'; got [].",
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Plots.history(history, " ", dir.resolve("x.png")));
    assertEquals("Plots: title must name the model and data set; got ' '.", e.getMessage());
  }

  @Test
  void confusionMatrixHasACellPerPairOfClasses(@TempDir Path dir) {
    var cm = ConfusionMatrix.of(digits.labels(), predicted, 10);
    Plots.confusionMatrix(cm, digits.classNames(), "dense on MNIST", dir.resolve("cm.png"));
    BufferedImage image = picture(dir.resolve("cm.png"), 64 * 10, 48 * 10);
    assertEquals(220 + 6 + 640, image.getWidth());

    var e = assertThrows(IllegalArgumentException.class,
        () -> Plots.confusionMatrix(cm, List.of("a"), "t", dir.resolve("x.png")));
    assertEquals("Plots.confusionMatrix: one name per class (10) is needed; got 1.",
        e.getMessage());
  }

  @Test
  void imageGridCaptionsAndFramesTheWrongOnesInRed(@TempDir Path dir) {
    int[] truth = digits.labels().clone();
    int[] guess = truth.clone();
    guess[0] = (truth[0] + 1) % 10;  // the first image is wrong, the second right
    Plots.imageGrid(x, guess, truth, digits.classNames(), 16, "MNIST", dir.resolve("g.png"));
    BufferedImage grid = picture(dir.resolve("g.png"), 4 * 120, 4 * 150);
    // 4 x 4 cells of 112-pixel images (28 x 4) in 130-pixel columns.
    assertEquals(4 * 130 + ImageGrid.PAD, grid.getWidth());
    int top = ImageGrid.TITLE + 18;
    int x0 = ImageGrid.PAD + (130 - ImageGrid.PAD - 112) / 2;
    assertTrue(bright(grid, x0, top, 112) > 200, "the first digit's strokes are drawn");
    assertEquals(ImageGrid.WRONG.getRGB(), grid.getRGB(x0 - 2, top + 50), "red frame: wrong");
    assertEquals(0xffffffff, grid.getRGB(x0 + 130 - 2, top + 50), "no frame: right");

    var e = assertThrows(IllegalArgumentException.class, () -> Plots.imageGrid(x,
        new int[3], truth, null, 16, "MNIST", dir.resolve("x.png")));
    assertEquals("Plots.imageGrid: predicted and truth must hold a label for each of the 16"
        + " images shown; got 3 and 600.", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Plots.imageGrid(digits.images()
        .get(0), guess, truth, null, 16, "MNIST", dir.resolve("x.png")));
    assertEquals("Plots.imageGrid: images must have rank 4 (n, h, w, c); got [28, 28, 1].",
        e.getMessage());
  }

  @Test
  void imageGridStretchesMeanSubtractedImages(@TempDir Path dir) {
    FloatNdArray centred = NdArrays.ofFloats(Shape.of(1, 8, 8, 3));
    for (int y = 0; y < 8; y++) {
      for (int xx = 0; xx < 8; xx++) {
        for (int ch = 0; ch < 3; ch++) {
          centred.setFloat(xx < 4 ? -0.5f : ch == 0 ? 0.5f : 0f, 0, y, xx, ch);
        }
      }
    }
    Plots.imageGrid(centred, new int[] {0}, null, null, 1, "centred", dir.resolve("c.png"));
    BufferedImage image = picture(dir.resolve("c.png"), 420, 112);
    int y = ImageGrid.TITLE + 18 + 50;
    int x0Cell = ImageGrid.PAD + (130 - ImageGrid.PAD - 112) / 2;
    assertEquals(0x000000, image.getRGB(x0Cell + 10, y) & 0xffffff, "-0.5 is black");
    assertEquals(0xff8080, image.getRGB(x0Cell + 100, y) & 0xffffff,
        "(0.5, 0, 0) is light red: 0 is mid-grey");
  }

  @Test
  void augmentedDrawsTheFirstBatchWithItsLabels(@TempDir Path dir) {
    var gen = ImageDataGenerator.builder().rotationRange(30).zoomRange(0.2).build();
    var flow = gen.flow(x, digits.oneHotLabels(), FlowOptions.defaults().batchSize(32).seed(1));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Path png = Plots.augmented(new PrintStream(bytes, true, StandardCharsets.UTF_8), flow,
        digits.classNames(), "MNIST, rotation 30, zoom 0.2", dir.resolve("aug.png"));
    BufferedImage image = picture(png, 5 * 130, 5 * 150);
    assertEquals(5 * 130 + ImageGrid.PAD, image.getWidth(), "25 images, 5 x 5");
    assertEquals("Plot: " + png.toAbsolutePath() + System.lineSeparator(),
        bytes.toString(StandardCharsets.UTF_8));
  }

  @Test
  void resultsWritesCurvesConfusionAndSamplesAndPrintsTheirPaths(@TempDir Path dir) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    List<Path> files = Plots.results(new PrintStream(bytes, true, StandardCharsets.UTF_8), dir,
        "mnist", "dense on MNIST", history, digits, predicted);
    assertEquals(List.of(dir.resolve("mnist_curves.png"), dir.resolve("mnist_confusion.png"),
        dir.resolve("mnist_samples.png")), files);
    for (Path p : files) {
      picture(p, 400, 400);
      assertTrue(bytes.toString(StandardCharsets.UTF_8).contains("Plot: " + p.toAbsolutePath()));
    }
    assertEquals(2, Plots.results(new PrintStream(new ByteArrayOutputStream()), dir, "eval",
        "dense on MNIST", null, digits, predicted).size(), "no history: no curves");
  }

  private static int bright(BufferedImage image, int x0, int y0, int size) {
    int bright = 0;
    for (int y = y0; y < y0 + size; y++) {
      for (int x = x0; x < x0 + size; x++) {
        bright += (image.getRGB(x, y) & 0xff) > 128 ? 1 : 0;
      }
    }
    return bright;
  }
}
