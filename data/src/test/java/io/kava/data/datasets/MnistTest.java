package io.kava.data.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.Shape;

class MnistTest {
  static final Path SHARED = Path.of("../../shared/data/mnist-10k");

  @Test
  void bundledSampleMatchesSharedFiles() {
    ImageDataset bundled = Mnist.sample();
    ImageDataset shared = Mnist.fromIdx(SHARED.resolve("images-idx3-ubyte.gz"),
        SHARED.resolve("labels-idx1-ubyte.gz"));
    assertEquals(Shape.of(10000, 28, 28, 1), bundled.images().shape());
    assertArrayEquals(shared.labels(), bundled.labels());
    assertEquals(shared.images(), bundled.images());
    assertEquals(10, bundled.classNames().size());
  }

  @Test
  void pixelsAreRawBytesAndEveryDigitOccurs() {
    ImageDataset d = Mnist.sample();
    float max = 0;
    for (long i = 0; i < 100; i++) {
      for (long r = 0; r < 28; r++) {
        for (long c = 0; c < 28; c++) {
          max = Math.max(max, d.images().getFloat(i, r, c, 0));
        }
      }
    }
    assertEquals(255f, max, 1f, "values are 0..255, not rescaled");
    int[] counts = new int[10];
    for (int l : d.labels()) {
      counts[l]++;
    }
    for (int c : counts) {
      assertTrue(c > 800, "each digit is frequent in a fair sample: " + java.util.Arrays
          .toString(counts));
    }
  }

  @Test
  void readsUncompressedIdxWrittenByTheTest(@TempDir Path dir) throws IOException {
    Path images = dir.resolve("images.idx");
    Path labels = dir.resolve("labels.idx.gz");
    Files.write(images, idx(0x0803, new int[] {2, 2, 2}, new byte[] {0, 1, 2, (byte) 255,
        10, 20, 30, 40}));
    Files.write(labels, gzip(idx(0x0801, new int[] {2}, new byte[] {7, 3})));
    ImageDataset d = Mnist.fromIdx(images, labels);
    assertArrayEquals(new int[] {7, 3}, d.labels());
    assertEquals(255f, d.images().getFloat(0, 1, 1, 0));
    assertEquals(40f, d.images().getFloat(1, 1, 1, 0));
  }

  @Test
  void badFilesGiveClearErrors(@TempDir Path dir) throws IOException {
    Path missing = dir.resolve("nope.gz");
    var e = assertThrows(IllegalArgumentException.class, () -> Mnist.fromIdx(missing, missing));
    assertTrue(e.getMessage().contains("nope.gz") && e.getMessage().contains("must exist"),
        e.getMessage());

    Path truncated = dir.resolve("truncated.idx");
    byte[] full = idx(0x0803, new int[] {2, 2, 2}, new byte[8]);
    Files.write(truncated, java.util.Arrays.copyOf(full, full.length - 3));
    e = assertThrows(IllegalArgumentException.class, () -> Mnist.fromIdx(truncated, truncated));
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());

    Path notIdx = dir.resolve("picture.png");
    Files.write(notIdx, new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, 0, 0});
    e = assertThrows(IllegalArgumentException.class, () -> Mnist.fromIdx(notIdx, notIdx));
    assertTrue(e.getMessage().contains("magic number"), e.getMessage());

    Path images = dir.resolve("images.idx");
    Path labels = dir.resolve("labels.idx");
    Files.write(images, idx(0x0803, new int[] {2, 1, 1}, new byte[2]));
    Files.write(labels, idx(0x0801, new int[] {3}, new byte[3]));
    e = assertThrows(IllegalArgumentException.class, () -> Mnist.fromIdx(images, labels));
    assertTrue(e.getMessage().contains("one label per image (2)"), e.getMessage());
  }

  @Test
  void toCategoricalAndSplits() {
    var oneHot = Labels.toCategorical(new int[] {0, 2}, 3);
    assertEquals(Shape.of(2, 3), oneHot.shape());
    assertEquals(1f, oneHot.getFloat(1, 2));
    assertEquals(0f, oneHot.getFloat(1, 0));
    var e = assertThrows(IllegalArgumentException.class,
        () -> Labels.toCategorical(new int[] {3}, 3));
    assertTrue(e.getMessage().contains("got 3 at index 0"), e.getMessage());
    ImageDataset d = Mnist.sample();
    ImageDataset test = d.take(8000, 10000);
    assertEquals(2000, test.size());
    assertEquals(d.labels()[8000], test.labels()[0]);
    assertEquals(d.images().getFloat(8000, 14, 14, 0), test.images().getFloat(0, 14, 14, 0));
  }

  private static byte[] idx(int magic, int[] dims, byte[] data) throws IOException {
    var bytes = new ByteArrayOutputStream();
    var out = new DataOutputStream(bytes);
    out.writeInt(magic);
    for (int d : dims) {
      out.writeInt(d);
    }
    out.write(data);
    return bytes.toByteArray();
  }

  private static byte[] gzip(byte[] data) throws IOException {
    var bytes = new ByteArrayOutputStream();
    try (var gz = new GZIPOutputStream(bytes)) {
      gz.write(data);
    }
    return bytes.toByteArray();
  }
}
