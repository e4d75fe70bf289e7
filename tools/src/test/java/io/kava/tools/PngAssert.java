package io.kava.tools;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import javax.imageio.ImageIO;

/** Opens a written PNG and checks it is a real, non-blank picture of a plausible size. */
final class PngAssert {
  private PngAssert() {}

  /** Reads {@code png}, checks its size is at least {@code minW x minH}, and returns it. */
  static BufferedImage picture(Path png, int minW, int minH) {
    assertTrue(Files.isRegularFile(png), "missing " + png);
    BufferedImage image;
    try {
      image = ImageIO.read(png.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertNotNull(image, "not a readable image: " + png);
    assertTrue(image.getWidth() >= minW && image.getHeight() >= minH, png + " is "
        + image.getWidth() + "x" + image.getHeight() + "; expected at least " + minW + "x"
        + minH);
    // A blank or single-colour image has one or two colours; a drawn plot has many.
    Set<Integer> colours = new HashSet<>();
    for (int y = 0; y < image.getHeight(); y += 2) {
      for (int x = 0; x < image.getWidth(); x += 2) {
        colours.add(image.getRGB(x, y) & 0xffffff);
      }
    }
    assertTrue(colours.size() >= 8, png + " has only " + colours.size() + " colours");
    return image;
  }
}
