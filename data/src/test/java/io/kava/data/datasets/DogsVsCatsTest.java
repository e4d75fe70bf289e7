package io.kava.data.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kava.data.image.FlowOptions;
import io.kava.data.image.ImageDataGenerator;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.Shape;

/** The Kaggle layout, built by the test: JPEGs of varied sizes named cat.n / dog.n. */
class DogsVsCatsTest {

  static void image(Path file, int w, int h, Color color) throws IOException {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    var g = img.createGraphics();
    g.setColor(color);
    g.fillRect(0, 0, w, h);
    g.dispose();
    ImageIO.write(img, "jpg", file.toFile());
  }

  static Path kaggle(Path dir) throws IOException {
    image(dir.resolve("cat.0.jpg"), 40, 30, Color.RED);
    image(dir.resolve("cat.10.jpg"), 64, 64, Color.RED);
    image(dir.resolve("cat.2.jpg"), 25, 50, Color.RED);
    image(dir.resolve("dog.0.jpg"), 50, 37, Color.BLUE);
    image(dir.resolve("dog.1.jpg"), 33, 33, Color.BLUE);
    Files.writeString(dir.resolve("notes.txt"), "not an image");
    return dir;
  }

  @Test
  void labelsComeFromFileNamesAndImagesAreResized(@TempDir Path dir) throws IOException {
    kaggle(dir);
    assertEquals(5, DogsVsCats.files(dir).size());
    assertEquals("cat.2.jpg", DogsVsCats.files(dir).get(1).getFileName().toString());
    ImageDataset d = DogsVsCats.load(dir, 16, 4);
    assertEquals(Shape.of(4, 16, 16, 3), d.images().shape());
    assertArrayEquals(new int[] {0, 1, 0, 1}, d.labels(), "balanced: cat, dog, cat, dog");
    assertTrue(d.images().getFloat(0, 8, 8, 0) > 200, "red cat");
    assertTrue(d.images().getFloat(1, 8, 8, 2) > 200, "blue dog");
  }

  @Test
  void classFoldersFeedFlowFromDirectory(@TempDir Path dir) throws IOException {
    Path src = Files.createDirectories(dir.resolve("train"));
    kaggle(src);
    Path byClass = DogsVsCats.asClassFolders(src, dir.resolve("by-class"));
    var it = ImageDataGenerator.identity().flowFromDirectory(byClass,
        FlowOptions.defaults().targetSize(8, 8).shuffle(false));
    assertEquals(5, it.samples());
    assertArrayEquals(new int[] {0, 0, 0, 1, 1}, it.classes());
  }

  @Test
  void badInputIsReported(@TempDir Path dir) {
    var e = assertThrows(IllegalArgumentException.class, () -> DogsVsCats.files(dir));
    assertTrue(e.getMessage().contains("found none"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> DogsVsCats.label(Path.of("bird.1.jpg")));
    assertTrue(e.getMessage().contains("got bird.1.jpg"), e.getMessage());
  }
}
