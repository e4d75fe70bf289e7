package io.kava.data.image;

import static io.kava.data.image.TestImages.flat;
import static io.kava.data.image.TestImages.solid;
import static io.kava.data.image.TestImages.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kava.Batch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.Shape;

/**
 * {@code flowFromDirectory} over class folders the tests write: discovery, Keras's file
 * order, labels, subsets and the errors for bad folders and files.
 */
class DirectoryIteratorTest {
  private static final ImageDataGenerator PLAIN = ImageDataGenerator.identity();

  @TempDir
  Path root;

  /**
   * cat: B.PNG, a.png, sub/c.Jpg, sub/deeper/d.tif (+ notes.txt); dog: e.gif, f.bmp, g.jpeg;
   * empty: nothing. Each image is 4 x 6 solid grey, file i at level 20 (i + 1).
   */
  private Path tree() throws IOException {
    String[] files = {"cat/B.PNG", "cat/a.png", "cat/sub/c.Jpg", "cat/sub/deeper/d.tif",
        "dog/e.gif", "dog/f.bmp", "dog/g.jpeg"};
    // Written out of order: discovery must sort.
    for (int i = files.length - 1; i >= 0; i--) {
      int g = 20 * (i + 1);
      write(solid(6, 4, g << 16 | g << 8 | g), root.resolve(files[i]));
    }
    Files.writeString(root.resolve("cat/notes.txt"), "not an image");
    Files.writeString(root.resolve("dog/readme"), "no extension");
    Files.createDirectories(root.resolve("empty"));
    Files.writeString(root.resolve("stray.png"), "a file at the top is not a class");
    return root;
  }

  private static FlowOptions opts() {
    return FlowOptions.defaults().targetSize(4, 6).shuffle(false).batchSize(32);
  }

  private static DirectoryIterator quietly(ImageDataGenerator gen, Path dir, FlowOptions o) {
    return TestImages.capture(false, () -> gen.flowFromDirectory(dir, o)).value();
  }

  @Test
  void discoversSortedClassesAndFilesInKerasOrder() throws IOException {
    Path dir = tree();
    var found = TestImages.capture(false, () -> PLAIN.flowFromDirectory(dir, opts()));
    assertEquals("Found 7 images belonging to 3 classes.", found.text().strip());
    DirectoryIterator it = found.value();
    assertEquals(Map.of("cat", 0, "dog", 1, "empty", 2), it.classIndices());
    assertEquals(List.of("cat", "dog", "empty"), List.copyOf(it.classIndices().keySet()));
    assertEquals(3, it.numClasses());
    // Class-major; within a class, folders sorted by path and files by name (uppercase first,
    // as Python's sorted); nested folders walked; .txt and extension-less files ignored.
    assertEquals(List.of("cat/B.PNG", "cat/a.png", "cat/sub/c.Jpg", "cat/sub/deeper/d.tif",
        "dog/e.gif", "dog/f.bmp", "dog/g.jpeg"), it.filenames());
    assertArrayEquals(new int[] {0, 0, 0, 0, 1, 1, 1}, it.classes());
    assertEquals(7, it.samples());
    assertEquals(dir, it.directory());
    assertEquals("DirectoryIterator(" + dir + ", samples=7, classes=3, batch_size=32,"
        + " image=[4, 6, 3])", it.toString());
  }

  @Test
  void everyFormatDecodesToItsPixels() throws IOException {
    DirectoryIterator it = quietly(PLAIN, tree(), opts());
    Batch b = it.get(0);
    assertEquals(Shape.of(7, 4, 6, 3), b.x().shape());
    for (int i = 0; i < 7; i++) {
      // The sorted order is the written order here; JPEG is lossy by a level or two.
      float want = 20 * (i + 1);
      float tolerance = it.filenames().get(i).toLowerCase().matches(".*\\.jpe?g") ? 2 : 0;
      for (int k = 0; k < 3; k++) {
        assertEquals(want, b.x().getFloat(i, 1, 2, k), tolerance, it.filenames().get(i));
      }
    }
  }

  @Test
  void ppmIsReadToo() throws IOException {
    Files.createDirectories(root.resolve("a"));
    byte[] header = "P6\n2 1\n255\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] ppm = java.util.Arrays.copyOf(header, header.length + 6);
    byte[] px = {(byte) 255, 0, 0, 0, (byte) 128, 7};
    System.arraycopy(px, 0, ppm, header.length, 6);
    Files.write(root.resolve("a/x.ppm"), ppm);
    DirectoryIterator it = quietly(PLAIN, root, FlowOptions.defaults().targetSize(1, 2));
    assertArrayEquals(new float[] {255, 0, 0, 0, 128, 7}, flat(it.get(0).x()));
  }

  @Test
  void categoricalLabelsAreOneHot() throws IOException {
    Batch b = quietly(PLAIN, tree(), opts()).get(0);
    assertEquals(Shape.of(7, 3), b.y().shape());
    assertArrayEquals(new float[] {1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 1,
        0}, flat(b.y()));
  }

  @Test
  void sparseAndBinaryLabelsAreClassIndicesAsFloats() throws IOException {
    Path dir = tree();
    Batch sparse = quietly(PLAIN, dir, opts().classMode(ClassMode.SPARSE)).get(0);
    assertEquals(Shape.of(7), sparse.y().shape());
    assertArrayEquals(new float[] {0, 0, 0, 0, 1, 1, 1}, flat(sparse.y()));
    DirectoryIterator it = quietly(PLAIN, dir, opts().classMode(ClassMode.BINARY)
        .classes("dog", "cat"));
    // As Keras: shape (n,); the classes option sets the label order, and files follow it.
    assertEquals(Map.of("dog", 0, "cat", 1), it.classIndices());
    assertEquals("dog/e.gif", it.filenames().get(0));
    Batch binary = it.get(0);
    assertEquals(Shape.of(7), binary.y().shape());
    assertArrayEquals(new float[] {0, 0, 0, 1, 1, 1, 1}, flat(binary.y()));
    assertEquals(100f, binary.x().getFloat(0, 0, 0, 0), "dog/e.gif first");
  }

  @Test
  void binaryNeedsExactlyTwoClasses() throws IOException {
    Path dir = tree();
    var e = assertThrows(IllegalArgumentException.class,
        () -> quietly(PLAIN, dir, opts().classMode(ClassMode.BINARY)));
    assertEquals("flowFromDirectory: class mode BINARY needs exactly 2 classes; got 3 [cat, dog,"
        + " empty].", e.getMessage());
  }

  @Test
  void inputModeYieldsTheImagesAsLabelsAndNoneNoLabels() throws IOException {
    Path dir = tree();
    Batch input = quietly(PLAIN, dir, opts().classMode(ClassMode.INPUT)).get(0);
    assertArrayEquals(flat(input.x()), flat(input.y()));
    assertEquals(input.x().shape(), input.y().shape());
    assertNull(quietly(PLAIN, dir, opts().classMode(ClassMode.NONE)).get(0).y());
  }

  @Test
  void classesOptionSelectsAndOrdersFolders() throws IOException {
    DirectoryIterator it = quietly(PLAIN, tree(), opts().classes("dog"));
    assertEquals(Map.of("dog", 0), it.classIndices());
    assertEquals(List.of("dog/e.gif", "dog/f.bmp", "dog/g.jpeg"), it.filenames());
    var e = assertThrows(IllegalArgumentException.class,
        () -> quietly(PLAIN, root, opts().classes("cat", "bird")));
    assertEquals("flowFromDirectory: class folder " + root.resolve("bird") + " must exist; it"
        + " does not.", e.getMessage());
  }

  @Test
  void colorModesGiveTheirChannels() throws IOException {
    write(solid(3, 2, 0xff0000), root.resolve("red/r.png"));
    var transparent = new java.awt.image.BufferedImage(3, 2,
        java.awt.image.BufferedImage.TYPE_INT_ARGB);
    for (int y = 0; y < 2; y++) {
      for (int x = 0; x < 3; x++) {
        transparent.setRGB(x, y, 0x80_00ff00);
      }
    }
    write(transparent, root.resolve("red/s.png"));
    FlowOptions o = FlowOptions.defaults().targetSize(2, 3).shuffle(false);
    Batch gray = quietly(PLAIN, root, o.colorMode(ColorMode.GRAYSCALE)).get(0);
    assertEquals(Shape.of(2, 2, 3, 1), gray.x().shape());
    // PIL's "L": 0.299 R + 0.587 G + 0.114 B, truncated: 76 for pure red, 149 for pure green.
    assertEquals(76f, gray.x().getFloat(0, 1, 2, 0));
    assertEquals(149f, gray.x().getFloat(1, 0, 0, 0));
    Batch rgb = quietly(PLAIN, root, o.colorMode(ColorMode.RGB)).get(0);
    assertEquals(Shape.of(2, 2, 3, 3), rgb.x().shape());
    assertArrayEquals(new float[] {255, 0, 0}, flat(rgb.x().get(0, 0, 0)));
    Batch rgba = quietly(PLAIN, root, o.colorMode(ColorMode.RGBA)).get(0);
    assertEquals(Shape.of(2, 2, 3, 4), rgba.x().shape());
    assertArrayEquals(new float[] {255, 0, 0, 255}, flat(rgba.x().get(0, 1, 1)));
    assertArrayEquals(new float[] {0, 255, 0, 128}, flat(rgba.x().get(1, 1, 1)));
  }

  /** A 2 x 1 gray image with levels 100 and 200, of {@code type} (8 or 16 bits). */
  private static java.awt.image.BufferedImage gray(int type, int scale) {
    var img = new java.awt.image.BufferedImage(2, 1, type);
    img.getRaster().setSample(0, 0, 0, 100 * scale);
    img.getRaster().setSample(1, 0, 0, 200 * scale);
    return img;
  }

  @Test
  void grayImagesKeepTheirStoredLevels() throws IOException {
    // The JDK's getRGB treats 8- and 16-bit gray as linear and gamma-encodes it (100 -> 168);
    // the files, PIL and Keras mean the levels as stored.
    int g8 = java.awt.image.BufferedImage.TYPE_BYTE_GRAY;
    for (String f : List.of("a/g.png", "b/g.bmp", "c/g.tif", "d/g.gif", "e/g.jpg")) {
      write(gray(g8, 1), root.resolve(f));
    }
    write(gray(java.awt.image.BufferedImage.TYPE_USHORT_GRAY, 257), root.resolve("f/g16.png"));
    // Gray with alpha: levels 100 and 200, alpha 50 and 250.
    var cm = new java.awt.image.ComponentColorModel(
        java.awt.color.ColorSpace.getInstance(java.awt.color.ColorSpace.CS_GRAY), true, false,
        java.awt.Transparency.TRANSLUCENT, java.awt.image.DataBuffer.TYPE_BYTE);
    var raster = cm.createCompatibleWritableRaster(2, 1);
    raster.setPixel(0, 0, new int[] {100, 50});
    raster.setPixel(1, 0, new int[] {200, 250});
    write(new java.awt.image.BufferedImage(cm, raster, false, null), root.resolve("g/ga.png"));
    FlowOptions o = FlowOptions.defaults().targetSize(1, 2).shuffle(false).batchSize(8);
    DirectoryIterator it = quietly(PLAIN, root, o.colorMode(ColorMode.RGBA));
    Batch rgba = it.get(0);
    for (int i = 0; i < 7; i++) {
      String f = it.filenames().get(i);
      float tolerance = f.endsWith(".jpg") ? 2 : 0;
      for (int k = 0; k < 3; k++) {
        assertEquals(100, rgba.x().getFloat(i, 0, 0, k), tolerance, f);
        assertEquals(200, rgba.x().getFloat(i, 0, 1, k), tolerance, f);
      }
      assertEquals(f.endsWith("ga.png") ? 50 : 255, rgba.x().getFloat(i, 0, 0, 3), f);
    }
    Batch gray = quietly(PLAIN, root, o.colorMode(ColorMode.GRAYSCALE)).get(0);
    assertEquals(100, gray.x().getFloat(0, 0, 0, 0));
    assertEquals(200, gray.x().getFloat(0, 0, 1, 0));
  }

  @Test
  void resizingKeepsASolidImageSolid() throws IOException {
    write(solid(10, 7, 0x336699), root.resolve("a/x.png"));
    for (Interpolation in : Interpolation.values()) {
      float[] px = flat(quietly(PLAIN, root, FlowOptions.defaults().targetSize(4, 5)
          .interpolation(in)).get(0).x());
      assertEquals(4 * 5 * 3, px.length);
      for (int i = 0; i < px.length; i += 3) {
        assertEquals(0x33, px[i], 1e-3f, in.name());
        assertEquals(0x66, px[i + 1], 1e-3f, in.name());
        assertEquals(0x99, px[i + 2], 1e-3f, in.name());
      }
    }
  }

  /** An 8 x 4 (w x h) grey image whose column x has level 10 x. */
  private void columns() throws IOException {
    var img = new java.awt.image.BufferedImage(8, 4, java.awt.image.BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 8; x++) {
        int g = 10 * x;
        img.setRGB(x, y, g << 16 | g << 8 | g);
      }
    }
    write(img, root.resolve("a/cols.png"));
  }

  private float[] firstRow(FlowOptions o) {
    Batch b = quietly(PLAIN, root, o.targetSize(4, 4).colorMode(ColorMode.GRAYSCALE)).get(0);
    float[] row = new float[4];
    for (int x = 0; x < 4; x++) {
      row[x] = b.x().getFloat(0, 0, x, 0);
    }
    return row;
  }

  @Test
  void resizingSamplesPixelCentres() throws IOException {
    columns();
    // 8 -> 4 columns, half-pixel centres: nearest reads columns 1 3 5 7; bilinear averages
    // pairs (0.5 + 2 x sits between them).
    assertArrayEquals(new float[] {10, 30, 50, 70}, firstRow(FlowOptions.defaults()));
    assertArrayEquals(new float[] {5, 25, 45, 65},
        firstRow(FlowOptions.defaults().interpolation(Interpolation.BILINEAR)), 1e-3f);
  }

  @Test
  void keepAspectRatioCropsTheCentre() throws IOException {
    columns();
    // The 4 x 4 centre of the 8 x 4 image is columns 2..5.
    assertArrayEquals(new float[] {20, 30, 40, 50},
        firstRow(FlowOptions.defaults().keepAspectRatio(true)));
  }

  @Test
  void validationSplitTakesTheFirstFilesOfEachClass() throws IOException {
    for (String f : List.of("a/1.png", "a/2.png", "a/3.png", "a/4.png", "a/5.png", "b/1.png",
        "b/2.png", "b/3.png")) {
      write(solid(2, 2, 0), root.resolve(f));
    }
    ImageDataGenerator gen = ImageDataGenerator.builder().validationSplit(0.4).build();
    var val = TestImages.capture(false, () -> gen.flowFromDirectory(root, FlowOptions.defaults()
        .targetSize(2, 2).subset(Subset.VALIDATION)));
    assertEquals("Found 3 images belonging to 2 classes.", val.text().strip());
    // int(0.4 * 5) = 2 of a, int(0.4 * 3) = 1 of b.
    assertEquals(List.of("a/1.png", "a/2.png", "b/1.png"), val.value().filenames());
    assertArrayEquals(new int[] {0, 0, 1}, val.value().classes());
    DirectoryIterator train = quietly(gen, root, FlowOptions.defaults().targetSize(2, 2)
        .subset(Subset.TRAINING));
    assertEquals(List.of("a/3.png", "a/4.png", "a/5.png", "b/2.png", "b/3.png"),
        train.filenames());
    assertEquals(8, quietly(gen, root, FlowOptions.defaults().targetSize(2, 2)).samples());
    var e = assertThrows(IllegalArgumentException.class, () -> quietly(PLAIN, root,
        FlowOptions.defaults().subset(Subset.VALIDATION)));
    assertEquals("flowFromDirectory: subset VALIDATION needs the generator's validationSplit;"
        + " it is not set.", e.getMessage());
  }

  @Test
  void shuffledBatchesKeepLabelsWithTheirImages() throws IOException {
    // Class k's images have grey level 10 k + file number.
    for (int k = 0; k < 3; k++) {
      for (int f = 0; f < 5; f++) {
        int g = 10 * k + f;
        write(solid(2, 2, g << 16 | g << 8 | g), root.resolve("c" + k + "/" + f + ".png"));
      }
    }
    DirectoryIterator it = quietly(PLAIN, root, FlowOptions.defaults().targetSize(2, 2)
        .batchSize(4).seed(3).classMode(ClassMode.SPARSE));
    DirectoryIterator same = quietly(PLAIN, root, FlowOptions.defaults().targetSize(2, 2)
        .batchSize(4).seed(3).classMode(ClassMode.SPARSE));
    boolean shuffled = false;
    java.util.Set<Float> seen = new java.util.HashSet<>();
    for (int i = 0; i < it.size(); i++) {
      Batch b = it.get(i);
      assertArrayEquals(flat(b.x()), flat(same.get(i).x()), "the seed fixes the order");
      for (int s = 0; s < b.size(); s++) {
        float level = b.x().getFloat(s, 0, 0, 0);
        assertEquals(Math.floor(level / 10), b.y().getFloat(s), "label of level " + level);
        shuffled |= seen.size() != (int) level;
        seen.add(level);
      }
    }
    assertEquals(15, seen.size());
    assertTrue(shuffled, "not in file order");
  }

  /** A worker's share of a batch (multi-worker training) reads only that share's files. */
  @Test
  void aShareOfABatchReadsOnlyItsOwnFiles() throws IOException {
    tree();
    DirectoryIterator it = quietly(PLAIN, root, opts().batchSize(4));
    Batch whole = it.get(1);
    assertEquals(4, it.rows(0));
    assertEquals(3, it.rows(1), "7 files in batches of 4");
    Batch share = it.get(1, 1, 3);
    assertArrayEquals(flat(whole.rows(1, 3).x()), flat(share.x()));
    assertArrayEquals(flat(whole.rows(1, 3).y()), flat(share.y()));
    // Batch 0 is cat/B.PNG, cat/a.png, cat/sub/c.Jpg, cat/sub/deeper/d.tif: break the last two.
    Files.write(root.resolve("cat/sub/c.Jpg"), new byte[] {1, 2, 3});
    Files.write(root.resolve("cat/sub/deeper/d.tif"), new byte[] {1, 2, 3});
    assertEquals(2, it.get(0, 0, 2).size(), "the broken files are not this share's");
    assertThrows(IllegalArgumentException.class, () -> it.get(0, 1, 3));
    assertThrows(IllegalArgumentException.class, () -> it.get(0));
    var e = assertThrows(IndexOutOfBoundsException.class, () -> it.get(1, 2, 4));
    assertEquals("DirectoryIterator: rows [from, to) of batch 1 must satisfy 0 <= from <= to <="
        + " 3; got [2, 4).", e.getMessage());
  }

  @Test
  void aCorruptImageFailsNamingTheFile() throws IOException {
    tree();
    Path bad = root.resolve("dog/x.jpg");
    byte[] junk = new byte[300];
    new java.util.Random(1).nextBytes(junk);
    Files.write(bad, junk);
    DirectoryIterator it = quietly(PLAIN, root, opts());
    assertEquals(8, it.samples(), "listed by extension; decoded when its batch is loaded");
    var e = assertThrows(IllegalArgumentException.class, () -> it.get(0));
    assertTrue(e.getMessage().startsWith("Image " + bad + ": must be a readable image; it"
        + " cannot be decoded"), e.getMessage());
  }

  @Test
  void skipCorruptDropsTheImageWithAWarning() throws IOException {
    tree();
    Path bad = root.resolve("dog/x.jpg");
    Files.writeString(bad, "definitely not a jpeg");
    DirectoryIterator it = quietly(PLAIN, root, opts().skipCorrupt(true)
        .classMode(ClassMode.SPARSE));
    var run = TestImages.capture(true, () -> it.get(0));
    Batch b = run.value();
    assertEquals(7, b.size(), "the batch is one smaller");
    assertEquals(7, b.y().shape().get(0));
    assertTrue(run.text().startsWith("WARNING: skipping Image " + bad + ": must be a readable"
        + " image"), run.text());
    // Labels stay with their images: the last three are the dog images.
    assertArrayEquals(new float[] {0, 0, 0, 0, 1, 1, 1}, flat(b.y()));
    assertEquals(140f, b.x().getFloat(6, 0, 0, 0), 2f);
  }

  @Test
  void aJpegCutInHalfFailsNamingTheFile() throws IOException {
    // A 32 x 32 CIFAR JPEG is about 1 KB, most of it tables: half of it ends before the scan.
    byte[] full = Files.readAllBytes(TestImages.CIFAR.resolve("test/cat/0000.jpg"));
    Files.createDirectories(root.resolve("cat"));
    Path cut = root.resolve("cat/half.jpg");
    Files.write(cut, java.util.Arrays.copyOf(full, full.length / 2));
    var e = assertThrows(IllegalArgumentException.class,
        () -> quietly(PLAIN, root, FlowOptions.defaults().targetSize(32, 32)).get(0));
    assertTrue(e.getMessage().startsWith("Image " + cut + ": must be a readable image; it"
        + " cannot be decoded ("), e.getMessage());
  }

  @Test
  void aJpegCutInsideItsScanDecodesLeniently() throws IOException {
    // Cut three quarters into the entropy-coded data (after the SOS marker): ImageIO, like
    // libjpeg, warns about the premature end and keeps what it decoded, so this is no error.
    // Documented here so that a change is noticed.
    byte[] full = Files.readAllBytes(TestImages.CIFAR.resolve("test/cat/0000.jpg"));
    int sos = 0;
    while (!(full[sos] == (byte) 0xff && full[sos + 1] == (byte) 0xda)) {
      sos++;
    }
    Files.createDirectories(root.resolve("cat"));
    Files.write(root.resolve("cat/a_full.jpg"), full);
    Files.write(root.resolve("cat/b_cut.jpg"),
        java.util.Arrays.copyOf(full, sos + (full.length - sos) * 3 / 4));
    Batch b = quietly(PLAIN, root, FlowOptions.defaults().targetSize(32, 32).shuffle(false))
        .get(0);
    float[] whole = flat(b.x().get(0));
    float[] cut = flat(b.x().get(1));
    // The first row of 16 x 16 blocks (4:2:0) is complete: its first 8 rows agree. The image
    // as a whole does not.
    int rows = 8 * 32 * 3;
    assertArrayEquals(java.util.Arrays.copyOf(whole, rows), java.util.Arrays.copyOf(cut, rows),
        1e-6f);
    assertTrue(!java.util.Arrays.equals(whole, cut));
  }

  @Test
  void badDirectoriesFailClearly() throws IOException {
    Path missing = root.resolve("nope");
    var e = assertThrows(IllegalArgumentException.class,
        () -> PLAIN.flowFromDirectory(missing, opts()));
    assertEquals("flowFromDirectory: directory " + missing + " must exist and be a directory;"
        + " it does not exist.", e.getMessage());

    Path file = Files.writeString(root.resolve("file.png"), "x");
    e = assertThrows(IllegalArgumentException.class, () -> PLAIN.flowFromDirectory(file, opts()));
    assertTrue(e.getMessage().endsWith("it is a file."), e.getMessage());

    Path flat = Files.createDirectories(root.resolve("flat"));
    write(solid(2, 2, 0), flat.resolve("a.png"));
    e = assertThrows(IllegalArgumentException.class, () -> PLAIN.flowFromDirectory(flat, opts()));
    assertEquals("flowFromDirectory: " + flat + " must contain one sub-folder per class; it has"
        + " none.", e.getMessage());

    Path noImages = Files.createDirectories(root.resolve("none"));
    Files.createDirectories(noImages.resolve("a"));
    Files.writeString(noImages.resolve("a/readme.txt"), "x");
    Files.createDirectories(noImages.resolve("b"));
    var run = TestImages.capture(false, () -> assertThrows(IllegalArgumentException.class,
        () -> PLAIN.flowFromDirectory(noImages, opts())));
    assertEquals("Found 0 images belonging to 2 classes.", run.text().strip());
    assertEquals("flowFromDirectory: " + noImages + " must hold images (bmp, gif, jpeg, jpg,"
        + " png, ppm, tif, tiff) in its class folders; found none.", run.value().getMessage());
  }

  @Test
  void symbolicLinksAreFollowedOnlyWhenAsked() throws IOException {
    write(solid(2, 2, 0), root.resolve("data/cat/a.png"));
    Path elsewhere = root.resolve("elsewhere");
    write(solid(2, 2, 0), elsewhere.resolve("b.png"));
    write(solid(2, 2, 0), elsewhere.resolve("c.png"));
    Files.createSymbolicLink(root.resolve("data/cat/more"), elsewhere);
    FlowOptions o = FlowOptions.defaults().targetSize(2, 2);
    assertEquals(List.of("cat/a.png"), quietly(PLAIN, root.resolve("data"), o).filenames());
    assertEquals(List.of("cat/a.png", "cat/more/b.png", "cat/more/c.png"),
        quietly(PLAIN, root.resolve("data"), o.followLinks(true)).filenames());
  }

  @Test
  void aSymlinkedClassFolderIsReadAsKerasDoes() throws IOException {
    // os.walk lists a top directory that is a link even with follow_links=False.
    Path elsewhere = root.resolve("elsewhere");
    write(solid(2, 2, 0), elsewhere.resolve("b.png"));
    Files.createDirectories(root.resolve("data"));
    Files.createSymbolicLink(root.resolve("data/cat"), elsewhere);
    DirectoryIterator it = quietly(PLAIN, root.resolve("data"),
        FlowOptions.defaults().targetSize(2, 2));
    assertEquals(List.of("cat/b.png"), it.filenames());
  }

  @Test
  void theSameIteratorIsReusableAcrossEpochs() throws IOException {
    DirectoryIterator it = quietly(PLAIN, tree(), opts().shuffle(true).batchSize(3).seed(5));
    assertEquals(3, it.size());
    java.util.List<String> order = new java.util.ArrayList<>();
    for (int e = 0; e < 2; e++) {
      StringBuilder s = new StringBuilder();
      int total = 0;
      for (int i = 0; i < it.size(); i++) {
        Batch b = it.get(i);
        total += b.size();
        for (int k = 0; k < b.size(); k++) {
          s.append((int) b.x().getFloat(k, 0, 0, 0)).append(' ');
        }
      }
      assertEquals(7, total);
      order.add(s.toString());
      it.onEpochEnd();
    }
    assertTrue(!order.get(0).equals(order.get(1)), "reshuffled: " + order);
    assertSame(it.classIndices(), it.classIndices());
  }
}
