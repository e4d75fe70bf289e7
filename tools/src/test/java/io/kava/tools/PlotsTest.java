package io.kava.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kava.FitOptions;
import io.kava.History;
import io.kava.Sequential;
import io.kava.data.datasets.ImageDataset;
import io.kava.data.datasets.Mnist;
import io.kava.layers.Activation;
import io.kava.layers.Dense;
import io.kava.layers.Flatten;
import io.kava.layers.Input;
import io.kava.losses.CategoricalCrossentropy;
import io.kava.metrics.Accuracy;
import io.kava.metrics.ConfusionMatrix;
import io.kava.optimizers.Adam;
import io.kava.tools.tutorials.TutorialData;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PNGs are real images of the expected size, with the drawn content where expected. */
class PlotsTest {

  @Test
  void historyConfusionMatrixAndImageGrid(@TempDir Path dir) throws IOException {
    ImageDataset d = Mnist.sample().take(0, 600);
    var x = TutorialData.scaled(d.images());
    History h;
    int[] predicted;
    try (Sequential m = new Sequential(Input.of(28, 28, 1), Flatten.of(),
        Dense.of(10).activation(Activation.SOFTMAX)).seed(1)) {
      m.compile(new Adam(0.01), new CategoricalCrossentropy(), new Accuracy());
      h = m.fit(x, d.oneHotLabels(), FitOptions.defaults().epochs(3).validationSplit(0.2)
          .verbose(0).seed(1));
      predicted = m.predictClasses(x);
    }
    Plots.history(h, dir.resolve("curves.png"));
    BufferedImage curves = ImageIO.read(dir.resolve("curves.png").toFile());
    assertEquals(1120, curves.getWidth(), "loss and accuracy side by side");

    var cm = ConfusionMatrix.of(d.labels(), predicted, 10);
    Plots.confusionMatrix(cm, d.classNames(), dir.resolve("confusion.png"));
    assertTrue(ImageIO.read(dir.resolve("confusion.png").toFile()).getWidth() > 600);

    Plots.imageGrid(x, predicted, d.labels(), d.classNames(), 16, dir.resolve("grid.png"));
    BufferedImage grid = ImageIO.read(dir.resolve("grid.png").toFile());
    assertEquals(4 * (28 * 3 + 16), grid.getWidth());
    // The first digit's pixels are drawn (not all white) in the first cell.
    int dark = 0;
    for (int y = 4; y < 4 + 84; y++) {
      for (int xx = 8; xx < 8 + 84; xx++) {
        dark += (grid.getRGB(xx, y) & 0xff) < 128 ? 1 : 0;
      }
    }
    assertNotEquals(0, dark);
    var e = assertThrows(IllegalArgumentException.class,
        () -> Plots.confusionMatrix(cm, List.of("a"), dir.resolve("x.png")));
    assertTrue(e.getMessage().contains("one name per class (10)"), e.getMessage());
  }
}
