package io.kava.data.image;

import static io.kava.data.image.TestImages.CIFAR;
import static io.kava.data.image.TestImages.flat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kava.Batch;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.Shape;

/** {@code flowFromDirectory} over the real CIFAR-10 test split (10,000 32 x 32 JPEGs). */
class CifarDirectoryTest {
  private static final List<String> CLASSES = List.of("airplane", "automobile", "bird", "cat",
      "deer", "dog", "frog", "horse", "ship", "truck");

  private static DirectoryIterator test(ImageDataGenerator gen, FlowOptions o) {
    return TestImages.capture(false, () -> gen.flowFromDirectory(CIFAR.resolve("test"), o))
        .value();
  }

  private static FlowOptions plain() {
    return FlowOptions.defaults().targetSize(32, 32).batchSize(64).shuffle(false);
  }

  @Test
  void findsTenThousandImagesInTenSortedClasses() {
    var found = TestImages.capture(false, () -> ImageDataGenerator.identity()
        .flowFromDirectory(CIFAR.resolve("test"), plain()));
    assertEquals("Found 10000 images belonging to 10 classes.", found.text().strip());
    DirectoryIterator it = found.value();
    assertEquals(CLASSES, List.copyOf(it.classIndices().keySet()));
    for (int k = 0; k < 10; k++) {
      assertEquals(k, it.classIndices().get(CLASSES.get(k)));
    }
    assertEquals(10000, it.samples());
    assertEquals(157, it.size(), "ceil(10000 / 64)");
    assertEquals("airplane/0000.jpg", it.filenames().get(0));
    assertEquals("truck/0999.jpg", it.filenames().get(9999));
    int[] counts = new int[10];
    int[] classes = it.classes();
    for (int i = 0; i < classes.length; i++) {
      counts[classes[i]]++;
      assertEquals(i / 1000, classes[i], "class-major");
    }
    int[] thousand = new int[10];
    Arrays.fill(thousand, 1000);
    assertArrayEquals(thousand, counts);
  }

  @Test
  void batchesHoldTheFilesPixelsAndOneHotLabels() throws IOException {
    DirectoryIterator it = test(ImageDataGenerator.identity(), plain());
    Batch first = it.get(0);
    assertEquals(Shape.of(64, 32, 32, 3), first.x().shape());
    assertEquals(Shape.of(64, 10), first.y().shape());
    float[] px = flat(first.x());
    float min = Float.MAX_VALUE;
    float max = -Float.MAX_VALUE;
    for (float v : px) {
      min = Math.min(min, v);
      max = Math.max(max, v);
      assertEquals(Math.rint(v), v, "whole 8-bit levels, not rescaled");
    }
    assertTrue(min >= 0 && max <= 255 && min < 20 && max > 235, min + ".." + max);
    for (int i = 0; i < 64; i++) {
      assertEquals(1f, first.y().getFloat(i, 0), "airplane");
    }
    // Image 0 is airplane/0000.jpg, exactly as ImageIO decodes it.
    BufferedImage img = ImageIO.read(CIFAR.resolve("test/airplane/0000.jpg").toFile());
    for (int y = 0; y < 32; y++) {
      for (int x = 0; x < 32; x++) {
        int rgb = img.getRGB(x, y);
        assertEquals((rgb >> 16) & 0xff, first.x().getFloat(0, y, x, 0));
        assertEquals((rgb >> 8) & 0xff, first.x().getFloat(0, y, x, 1));
        assertEquals(rgb & 0xff, first.x().getFloat(0, y, x, 2));
      }
    }
    Batch last = it.get(156);
    assertEquals(16, last.size(), "10000 - 156 * 64");
    for (int i = 0; i < 16; i++) {
      assertEquals(1f, last.y().getFloat(i, 9), "truck");
    }
  }

  @Test
  void augmentedBatchesDifferButStayIn0To255() {
    ImageDataGenerator aug = ImageDataGenerator.builder().rotationRange(30).widthShiftRange(0.2)
        .heightShiftRange(0.2).shearRange(10).zoomRange(0.2).channelShiftRange(40)
        .brightnessRange(0.5, 1.5).horizontalFlip(true).fillMode(FillMode.REFLECT).build();
    FlowOptions o = plain().seed(1);
    float[] plain = flat(test(ImageDataGenerator.identity(), o).get(3).x());
    Batch b = test(aug, o).get(3);
    float[] augmented = flat(b.x());
    assertEquals(plain.length, augmented.length);
    assertFalse(Arrays.equals(plain, augmented));
    int changed = 0;
    for (int i = 0; i < plain.length; i++) {
      assertTrue(augmented[i] >= 0 && augmented[i] <= 255, "value " + augmented[i]);
      changed += Math.abs(plain[i] - augmented[i]) > 1 ? 1 : 0;
    }
    assertTrue(changed > plain.length / 2, "most pixels move: " + changed);
    // Every image of the batch is transformed differently.
    int per = 32 * 32 * 3;
    assertFalse(Arrays.equals(Arrays.copyOfRange(augmented, 0, per),
        Arrays.copyOfRange(augmented, per, 2 * per)));
    assertArrayEquals(augmented, flat(test(aug, o).get(3).x()), "reproducible with the seed");
  }

  @Test
  void rescaleAndValidationSplitOnTheRealData() {
    ImageDataGenerator gen = ImageDataGenerator.builder().rescale(1 / 255.0)
        .validationSplit(0.1).build();
    DirectoryIterator val = test(gen, plain().subset(Subset.VALIDATION)
        .classMode(ClassMode.SPARSE));
    assertEquals(1000, val.samples(), "100 per class");
    assertEquals("airplane/0099.jpg", val.filenames().get(99));
    assertEquals("automobile/0000.jpg", val.filenames().get(100));
    DirectoryIterator train = test(gen, plain().subset(Subset.TRAINING));
    assertEquals(9000, train.samples());
    assertEquals("airplane/0100.jpg", train.filenames().get(0));
    float[] px = flat(val.get(0).x());
    float max = 0;
    for (float v : px) {
      assertTrue(v >= 0 && v <= 1, "rescaled: " + v);
      max = Math.max(max, v);
    }
    assertTrue(max > 0.9f);
  }
}
