package io.kava.data.image;

import static io.kava.data.image.TestImages.flat;
import static io.kava.data.image.TestImages.indexLabels;
import static io.kava.data.image.TestImages.indexed;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kava.Batch;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.Shape;

/** {@code flow(x, y)}: batching, shuffling, seeds, labels, subsets, checks and saving. */
class ArrayIteratorTest {
  private static final ImageDataGenerator PLAIN = ImageDataGenerator.identity();

  private static FlowOptions opts(int batch) {
    return FlowOptions.defaults().batchSize(batch);
  }

  /** The sample index of each image of a batch of {@link TestImages#indexed} images. */
  private static int[] indices(Batch b) {
    int n = b.size();
    int[] v = new int[n];
    for (int i = 0; i < n; i++) {
      v[i] = (int) b.x().getFloat(i, 0, 0, 0);
    }
    return v;
  }

  /** The indices of one epoch, batch after batch. */
  private static int[] epoch(ArrayIterator it) {
    List<Integer> all = new ArrayList<>();
    for (int i = 0; i < it.size(); i++) {
      for (int s : indices(it.get(i))) {
        all.add(s);
      }
    }
    return all.stream().mapToInt(Integer::intValue).toArray();
  }

  private static int[] range(int from, int to) {
    return java.util.stream.IntStream.range(from, to).toArray();
  }

  @Test
  void batchesCoverTheDataWithAPartialLastBatch() {
    FloatNdArray x = indexed(10, 2, 3, 1);
    ArrayIterator it = PLAIN.flow(x, indexLabels(10), opts(4).shuffle(false));
    assertEquals(10, it.samples());
    assertEquals(3, it.size(), "ceil(10 / 4)");
    assertEquals(4, it.get(0).size());
    assertEquals(4, it.get(1).size());
    Batch last = it.get(2);
    assertEquals(2, last.size());
    assertEquals(Shape.of(2, 2, 3, 1), last.x().shape());
    assertEquals(Shape.of(2, 1), last.y().shape());
    assertEquals(1, PLAIN.flow(x, opts(10)).size());
    assertEquals(1, PLAIN.flow(x, opts(64)).size());
    assertEquals(10, PLAIN.flow(x, opts(1)).size());
    var e = assertThrows(IndexOutOfBoundsException.class, () -> it.get(3));
    assertEquals("ArrayIterator: batch index must be in [0, 3); got 3.", e.getMessage());
  }

  /** A replica's share of a batch is augmented exactly as those rows of the whole batch. */
  @Test
  void aShareOfABatchIsThoseRowsOfTheWholeBatch() {
    ImageDataGenerator gen = ImageDataGenerator.builder().rotationRange(40)
        .widthShiftRange(0.3).horizontalFlip(true).build();
    ArrayIterator it = gen.flow(TestImages.uniform(4, 0, 255, 10, 5, 5, 3), indexLabels(10),
        opts(4).seed(9));
    it.onEpochEnd();
    for (int b = 0; b < it.size(); b++) {
      Batch whole = it.get(b);
      assertEquals(whole.size(), it.rows(b));
      int half = whole.size() / 2;
      assertArrayEquals(flat(whole.rows(0, half).x()), flat(it.get(b, 0, half).x()));
      assertArrayEquals(flat(whole.rows(half, whole.size()).x()),
          flat(it.get(b, half, whole.size()).x()));
      assertArrayEquals(flat(whole.rows(half, whole.size()).y()),
          flat(it.get(b, half, whole.size()).y()));
    }
    assertEquals(0, it.get(2, 1, 1).size());
  }

  @Test
  void withoutShuffleTheOrderIsKeptAndPixelsAreUnchanged() {
    FloatNdArray x = TestImages.uniform(3, 0, 255, 7, 3, 2, 3);
    ArrayIterator it = PLAIN.flow(x, opts(3).shuffle(false));
    assertArrayEquals(range(0, 7), epoch(PLAIN.flow(indexed(7, 1, 1, 1), opts(3)
        .shuffle(false))));
    float[] all = flat(x);
    float[] got = new float[all.length];
    int at = 0;
    for (int i = 0; i < it.size(); i++) {
      float[] b = flat(it.get(i).x());
      System.arraycopy(b, 0, got, at, b.length);
      at += b.length;
    }
    assertArrayEquals(all, got);
  }

  @Test
  void shuffleDrawsAPermutationPerEpochFromTheSeed() {
    FloatNdArray x = indexed(50, 1, 1, 1);
    ArrayIterator a = PLAIN.flow(x, opts(8).seed(3));
    ArrayIterator b = PLAIN.flow(x, opts(8).seed(3));
    int[] first = epoch(a);
    assertArrayEquals(first, epoch(b), "the same seed gives the same order");
    assertFalse(Arrays.equals(range(0, 50), first), "shuffled");
    assertArrayEquals(range(0, 50), Arrays.stream(first).sorted().toArray(),
        "each sample exactly once per epoch");
    a.onEpochEnd();
    int[] second = epoch(a);
    assertFalse(Arrays.equals(first, second), "a new order each epoch");
    assertArrayEquals(range(0, 50), Arrays.stream(second).sorted().toArray());
    assertFalse(Arrays.equals(first, epoch(PLAIN.flow(x, opts(8).seed(4)))),
        "another seed, another order");
  }

  @Test
  void nextIsEndlessAndReshufflesAfterEachEpoch() {
    FloatNdArray x = indexed(10, 1, 1, 1);
    ArrayIterator it = PLAIN.flow(x, opts(4).seed(9));
    ArrayIterator ref = PLAIN.flow(x, opts(4).seed(9));
    for (int epoch = 0; epoch < 3; epoch++) {
      for (int i = 0; i < ref.size(); i++) {
        assertArrayEquals(indices(ref.get(i)), indices(it.next()), "epoch " + epoch
            + " batch " + i);
      }
      ref.onEpochEnd();
    }
  }

  @Test
  void augmentationIsSeededPerSampleAndEpochNotPerCall() {
    ImageDataGenerator gen = ImageDataGenerator.builder().rotationRange(40)
        .widthShiftRange(0.3).build();
    FloatNdArray x = TestImages.uniform(1, 0, 255, 6, 5, 5, 1);
    ArrayIterator a = gen.flow(x, opts(3).seed(1));
    ArrayIterator b = gen.flow(x, opts(3).seed(1));
    float[] a1 = flat(a.get(1).x());
    float[] a0 = flat(a.get(0).x());
    assertArrayEquals(a0, flat(b.get(0).x()), "order of calls does not matter");
    assertArrayEquals(a1, flat(b.get(1).x()));
    assertArrayEquals(a0, flat(a.get(0).x()), "asking again gives the same batch");
    ArrayIterator c = gen.flow(x, opts(6).shuffle(false).seed(1));
    float[] e0 = flat(c.get(0).x());
    c.onEpochEnd();
    assertFalse(Arrays.equals(e0, flat(c.get(0).x())), "new transforms each epoch");
    assertFalse(Arrays.equals(e0, flat(x)), "augmented");
  }

  @Test
  void labelsAreOptional() {
    ArrayIterator it = PLAIN.flow(indexed(5, 2, 2, 3), opts(2));
    assertNull(it.get(0).y());
    assertNull(PLAIN.flow(indexed(5, 2, 2, 3), null, opts(2)).get(2).y());
  }

  @Test
  void labelsStayWithTheirImagesUnderShuffle() {
    int n = 37;
    ImageDataGenerator gen = ImageDataGenerator.builder().horizontalFlip(true).build();
    ArrayIterator it = gen.flow(indexed(n, 3, 3, 3), indexLabels(n), opts(5).seed(2));
    for (int epoch = 0; epoch < 2; epoch++) {
      for (int i = 0; i < it.size(); i++) {
        Batch b = it.get(i);
        int[] idx = indices(b);
        for (int k = 0; k < idx.length; k++) {
          assertEquals(1000 + idx[k], b.y().getFloat(k, 0));
        }
      }
      it.onEpochEnd();
    }
  }

  @Test
  void labelsOfAnyShapePassThrough() {
    float[] y = new float[4 * 2 * 3];
    for (int i = 0; i < y.length; i++) {
      y[i] = i;
    }
    ArrayIterator it = PLAIN.flow(indexed(4, 1, 1, 1), TestImages.array(Shape.of(4, 2, 3), y),
        opts(3).shuffle(false));
    Batch b = it.get(1);
    assertEquals(Shape.of(1, 2, 3), b.y().shape());
    assertArrayEquals(Arrays.copyOfRange(y, 18, 24), flat(b.y()));
  }

  @Test
  void sparseLabelsOfRankOnePassThrough() {
    FloatNdArray y = TestImages.array(Shape.of(5), 10, 11, 12, 13, 14);
    ArrayIterator it = PLAIN.flow(indexed(5, 1, 1, 1), y, opts(2).seed(4));
    for (int i = 0; i < it.size(); i++) {
      Batch b = it.get(i);
      assertEquals(Shape.of(b.size()), b.y().shape());
      int[] idx = indices(b);
      for (int k = 0; k < idx.length; k++) {
        assertEquals(10 + idx[k], b.y().getFloat(k));
      }
    }
  }

  @Test
  void validationSubsetIsTheFirstSamplesAndTrainingTheRest() {
    ImageDataGenerator gen = ImageDataGenerator.builder().validationSplit(0.25).build();
    FloatNdArray x = indexed(10, 1, 1, 1);
    ArrayIterator val = gen.flow(x, indexLabels(10), opts(4).subset(Subset.VALIDATION)
        .shuffle(false));
    ArrayIterator train = gen.flow(x, indexLabels(10), opts(4).subset(Subset.TRAINING));
    assertEquals(2, val.samples(), "int(10 * 0.25)");
    assertArrayEquals(range(0, 2), epoch(val));
    assertEquals(1001f, val.get(0).y().getFloat(1, 0));
    assertEquals(8, train.samples());
    assertEquals(2, train.size());
    assertArrayEquals(range(2, 10), Arrays.stream(epoch(train)).sorted().toArray());
    // Without a subset, the split is ignored.
    assertEquals(10, gen.flow(x, opts(4)).samples());
  }

  @Test
  void anEmptySubsetFails() {
    ImageDataGenerator gen = ImageDataGenerator.builder().validationSplit(0.1).build();
    var e = assertThrows(IllegalArgumentException.class,
        () -> gen.flow(indexed(5, 1, 1, 1), opts(4).subset(Subset.VALIDATION)));
    assertEquals("ImageDataGenerator.flow: the validation subset must hold at least one image;"
        + " got none of 5.", e.getMessage());
  }

  @Test
  void subsetWithoutValidationSplitFails() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> PLAIN.flow(indexed(5, 1, 1, 1), opts(4).subset(Subset.TRAINING)));
    assertEquals("ImageDataGenerator.flow: subset TRAINING needs the generator's"
        + " validationSplit; it is not set.", e.getMessage());
  }

  @Test
  void badArraysFailNamingTheShapes() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> PLAIN.flow(TestImages.uniform(1, 0, 1, 4, 4, 3), opts(2)));
    assertEquals("ImageDataGenerator.flow: x must have rank 4 (n, h, w, c); got shape"
        + " [4, 4, 3].", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> PLAIN.flow(TestImages.uniform(1, 0, 1, 4, 4, 4, 2), opts(2)));
    assertEquals("ImageDataGenerator.flow: x must have 1, 3 or 4 channels on its last axis"
        + " (NHWC); got shape [4, 4, 4, 2].", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> PLAIN.flow(indexed(4, 2, 2, 3), indexLabels(5), opts(2)));
    assertEquals("ImageDataGenerator.flow: x and y must hold the same number of samples; got"
        + " x [4, 2, 2, 3] and y [5, 1].", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> PLAIN.flow(null, opts(2)));
    assertTrue(e.getMessage().contains("got null"), e.getMessage());
    var o = assertThrows(IllegalArgumentException.class, () -> opts(0));
    assertEquals("FlowOptions: batch size must be > 0; got 0.", o.getMessage());
  }

  @Test
  void standardizationIsAppliedToBatches() {
    ImageDataGenerator gen = ImageDataGenerator.builder().rescale(1 / 255.0).build();
    FloatNdArray x = TestImages.array(Shape.of(2, 1, 1, 3), 0, 51, 255, 255, 102, 0);
    assertArrayEquals(new float[] {0, 0.2f, 1, 1, 0.4f, 0},
        flat(gen.flow(x, opts(2).shuffle(false)).get(0).x()), 1e-6f);
  }

  @Test
  void saveToDirWritesEachYieldedImage(@TempDir Path dir) throws IOException {
    Path out = dir.resolve("aug");
    ImageDataGenerator gen = ImageDataGenerator.builder().horizontalFlip(true).build();
    FloatNdArray x = TestImages.uniform(4, 0, 255, 7, 5, 6, 3);
    ArrayIterator it = gen.flow(x, opts(4).seed(1).saveToDir(out).savePrefix("aug"));
    Batch b = it.get(0);
    List<Path> files = list(out);
    assertEquals(4, files.size(), files.toString());
    for (Path f : files) {
      String name = f.getFileName().toString();
      assertTrue(name.matches("aug_[0-3]_\\d+\\.png"), name);
      BufferedImage img = ImageIO.read(f.toFile());
      assertEquals(6, img.getWidth());
      assertEquals(5, img.getHeight());
    }
    // Each image is scaled to 0..255 by its own min and max (Keras's array_to_img).
    BufferedImage first = ImageIO.read(files.stream().filter(f -> f.getFileName().toString()
        .startsWith("aug_0_")).findFirst().orElseThrow().toFile());
    float[] img0 = flat(b.x().get(0));
    float lo = Float.MAX_VALUE;
    float hi = -Float.MAX_VALUE;
    for (float v : img0) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    int red = (first.getRGB(2, 3) >> 16) & 0xff;
    float want = (b.x().getFloat(0, 3, 2, 0) - lo) * 255f / (hi - lo);
    assertEquals(want, red, 0.51f);
    it.get(1);
    assertEquals(7, list(out).size(), "the partial batch adds 3 more");

    Path jpegs = dir.resolve("jpeg");
    gen.flow(x, opts(2).saveToDir(jpegs).saveFormat("JPG")).get(0);
    List<Path> saved = list(jpegs);
    assertEquals(2, saved.size());
    assertTrue(saved.get(0).toString().endsWith(".jpeg"), saved.toString());
    assertEquals(6, ImageIO.read(saved.get(0).toFile()).getWidth());
  }

  private static List<Path> list(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }

  @Test
  void toStringNamesTheData() {
    assertEquals("ArrayIterator(samples=5, batch_size=2, image=[2, 2, 3], y=[5, 1])",
        PLAIN.flow(indexed(5, 2, 2, 3), indexLabels(5), opts(2)).toString());
  }
}
