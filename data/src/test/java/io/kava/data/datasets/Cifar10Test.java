package io.kava.data.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.Shape;

class Cifar10Test {

  @Test
  void readsTheBinaryFormatPlanesIntoHwc(@TempDir Path dir) throws IOException {
    byte[] record = new byte[2 * 3073];
    record[0] = 3;                       // cat
    record[1 + 5] = (byte) 200;          // red plane, pixel 5 (row 0, col 5)
    record[1 + 1024 + 5] = 100;          // green
    record[1 + 2048 + 33] = 50;          // blue plane, pixel 33 (row 1, col 1)
    record[3073] = 9;                    // second image: truck
    Path f = dir.resolve("test_batch.bin");
    Files.write(f, record);
    ImageDataset d = Cifar10.readBinary(List.of(f));
    assertEquals(Shape.of(2, 32, 32, 3), d.images().shape());
    assertArrayEquals(new int[] {3, 9}, d.labels());
    assertEquals(200f, d.images().getFloat(0, 0, 5, 0));
    assertEquals(100f, d.images().getFloat(0, 0, 5, 1));
    assertEquals(50f, d.images().getFloat(0, 1, 1, 2));
    assertEquals("cat", d.classNames().get(3));

    Path bad = dir.resolve("bad.bin");
    Files.write(bad, new byte[100]);
    var e = assertThrows(IllegalArgumentException.class, () -> Cifar10.readBinary(List.of(bad)));
    assertTrue(e.getMessage().contains("multiple of 3073"), e.getMessage());
  }

  @Test
  void loadsTheRealJpegTestFolder() {
    ImageDataset test = ImageFolder.load(Path.of("../../shared/data/cifar10-jpg/test"), 32, 32);
    assertEquals(10_000, test.size());
    assertEquals(Cifar10.CLASSES, test.classNames());
    assertEquals(0, test.labels()[0]);
    assertEquals(9, test.labels()[9_999]);
    float max = 0;
    for (long i = 0; i < 32; i++) {
      max = Math.max(max, test.images().getFloat(0, i, i, 0));
    }
    assertTrue(max > 50 && max <= 255, "raw pixel values: " + max);
  }
}
