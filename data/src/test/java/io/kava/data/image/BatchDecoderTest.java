package io.kava.data.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TensorFlow's batched decoders against the ImageIO path they replace in
 * {@code flowFromDirectory}. Measured: on 2,048 CIFAR-10 JPEGs at 32x32 and resized to 256x256
 * (nearest, bilinear, bicubic) the two agree to the bit (libjpeg-turbo with the accurate
 * integer DCT and fancy upsampling, as the JDK's libjpeg). The tests allow 0 difference on
 * JPEGs and PNGs written by ImageIO.
 */
class BatchDecoderTest {
  @TempDir
  Path root;

  private static List<Path> cifar(int n) throws IOException {
    try (Stream<Path> s = Files.walk(TestImages.CIFAR.resolve("test"))) {
      return s.filter(p -> p.toString().endsWith(".jpg")).sorted().limit(n).toList();
    }
  }

  /** The largest absolute difference between the two decoders over {@code files}. */
  private static float maxDifference(List<Path> files, int h, int w, ColorMode mode,
      Interpolation interpolation, boolean keepAspectRatio) throws IOException {
    ImageDecoder java = new ImageDecoder(h, w, mode, interpolation, keepAspectRatio);
    BatchDecoder tf = new BatchDecoder(h, w, mode, interpolation, keepAspectRatio);
    int per = h * w * mode.channels();
    float[] out = new float[files.size() * per];
    int[] offsets = new int[files.size()];
    for (int i = 0; i < offsets.length; i++) {
      offsets[i] = i * per;
    }
    tf.decode(files, out, offsets);
    float max = 0;
    for (int i = 0; i < files.size(); i++) {
      float[] expected = java.decode(files.get(i), Files.readAllBytes(files.get(i)));
      assertEquals(per, expected.length);
      for (int k = 0; k < per; k++) {
        max = Math.max(max, Math.abs(expected[k] - out[i * per + k]));
      }
    }
    return max;
  }

  @Test
  void cifarJpegsDecodeAsImageIoDecodesThem() throws IOException {
    // 70 files: more than two runs of SLOTS, the last one partial.
    List<Path> files = cifar(70);
    assertEquals(0f, maxDifference(files, 32, 32, ColorMode.RGB, Interpolation.BILINEAR,
        false));
    assertEquals(0f, maxDifference(files, 32, 32, ColorMode.GRAYSCALE, Interpolation.NEAREST,
        false));
    assertEquals(0f, maxDifference(files, 48, 40, ColorMode.RGB, Interpolation.BICUBIC, true));
  }

  @Test
  void pngsDecodeAsImageIoDecodesThem() throws IOException {
    SplittableRandom r = new SplittableRandom(3);
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      int type = i % 2 == 0 ? BufferedImage.TYPE_INT_RGB : BufferedImage.TYPE_BYTE_GRAY;
      BufferedImage img = new BufferedImage(9 + i, 7, type);
      for (int y = 0; y < img.getHeight(); y++) {
        for (int x = 0; x < img.getWidth(); x++) {
          int g = r.nextInt(256);
          img.setRGB(x, y, type == BufferedImage.TYPE_BYTE_GRAY ? g << 16 | g << 8 | g
              : r.nextInt(1 << 24));
        }
      }
      // Gray PNGs are compared through the raster path: ImageDecoder reads stored levels.
      files.add(TestImages.write(img, root.resolve("p" + i + ".png")));
    }
    // At 7x9 the first file is already of the target size and skips the resize; the others
    // are resized by a second run in the same call.
    assertEquals(0f, maxDifference(files, 7, 9, ColorMode.RGB, Interpolation.NEAREST, false));
    assertEquals(0f, maxDifference(files, 8, 8, ColorMode.GRAYSCALE, Interpolation.BILINEAR,
        false));
  }

  @Test
  void takesJpegAndPngByExtension() {
    assertTrue(BatchDecoder.takes(Path.of("a/b.JPG")));
    assertTrue(BatchDecoder.takes(Path.of("b.jpeg")));
    assertTrue(BatchDecoder.takes(Path.of("b.png")));
    assertFalse(BatchDecoder.takes(Path.of("b.bmp")));
    assertFalse(BatchDecoder.takes(Path.of("b.tiff")));
  }

  @Test
  void aPngNamedJpgStillDecodes() throws IOException {
    // TensorFlow's DecodeJpeg sniffs the format, as ImageIO does.
    Path png = TestImages.write(TestImages.solid(4, 4, 0x112233), root.resolve("x.png"));
    Path misnamed = Files.copy(png, root.resolve("x.jpg"));
    assertEquals(0f, maxDifference(List.of(png, misnamed), 4, 4, ColorMode.RGB,
        Interpolation.NEAREST, false));
  }

  @Test
  void aFileItCannotReadFailsTheRun() throws IOException {
    Path cut = Files.write(root.resolve("cut.jpg"), java.util.Arrays.copyOf(Files.readAllBytes(
        cifar(1).get(0)), 300));
    BatchDecoder tf = new BatchDecoder(4, 4, ColorMode.RGB, Interpolation.NEAREST, false);
    float[] out = new float[48];
    assertThrows(RuntimeException.class, () -> tf.decode(List.of(cut), out, new int[] {0}));
    assertThrows(RuntimeException.class,
        () -> tf.decode(List.of(root.resolve("missing.png")), out, new int[] {0}));
    assertThrows(IllegalArgumentException.class,
        () -> new BatchDecoder(4, 4, ColorMode.RGBA, Interpolation.NEAREST, false));
  }
}
