package io.kava.data.datasets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * CIFAR-10 (Krizhevsky, 2009): 60,000 32x32 colour images in 10 classes, pixel values 0..255,
 * NHWC. Reads the official binary version ({@code data_batch_1.bin} ... {@code _5.bin},
 * {@code test_batch.bin}: per record one label byte then 1024 red, 1024 green and 1024 blue
 * bytes) or, with {@link ImageFolder}, class folders of images.
 *
 * <pre>{@code
 * jshell> TrainTest cifar = Cifar10.fromBinary(Path.of("cifar-10-batches-bin"))
 * jshell> TrainTest jpgs = Cifar10.fromFolders(Path.of("cifar10-jpg"))
 * }</pre>
 */
public final class Cifar10 {
  static final List<String> CLASSES = List.of("airplane", "automobile", "bird", "cat", "deer",
      "dog", "frog", "horse", "ship", "truck");
  private static final int RECORD = 1 + 3072;

  private Cifar10() {}

  /** The binary version's folder ({@code cifar-10-batches-bin}). */
  public static TrainTest fromBinary(Path dir) {
    List<Path> train = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      train.add(dir.resolve("data_batch_" + i + ".bin"));
    }
    return new TrainTest(readBinary(train), readBinary(List.of(dir.resolve("test_batch.bin"))));
  }

  /** Class folders {@code train/<class>/*} and {@code test/<class>/*} of 32x32 images. */
  public static TrainTest fromFolders(Path dir) {
    return new TrainTest(ImageFolder.load(dir.resolve("train"), 32, 32),
        ImageFolder.load(dir.resolve("test"), 32, 32));
  }

  /** Reads binary batch files, in order. */
  public static ImageDataset readBinary(List<Path> files) {
    List<byte[]> contents = new ArrayList<>();
    long records = 0;
    for (Path f : files) {
      byte[] b;
      try {
        b = Files.readAllBytes(f);
      } catch (java.nio.file.NoSuchFileException e) {
        throw new IllegalArgumentException("CIFAR-10 file " + f + " must exist; it does not.", e);
      } catch (IOException e) {
        throw new UncheckedIOException("CIFAR-10 file " + f + ": cannot read", e);
      }
      if (b.length == 0 || b.length % RECORD != 0) {
        throw new IllegalArgumentException("CIFAR-10 file " + f + ": size must be a multiple of "
            + RECORD + " bytes (one label and 32x32x3 pixels per image); got " + b.length
            + ".");
      }
      contents.add(b);
      records += b.length / RECORD;
    }
    int n = Math.toIntExact(records);
    float[] px = new float[n * 3072];
    int[] labels = new int[n];
    int i = 0;
    for (int f = 0; f < contents.size(); f++) {
      byte[] b = contents.get(f);
      for (int r = 0; r < b.length / RECORD; r++, i++) {
        int at = r * RECORD;
        labels[i] = b[at] & 0xff;
        if (labels[i] > 9) {
          throw new IllegalArgumentException("CIFAR-10 file " + files.get(f) + ": labels must be"
              + " 0..9; got " + labels[i] + " in record " + r + ".");
        }
        // Planes (R, G, B) of 1024 bytes each to interleaved HWC.
        for (int p = 0; p < 1024; p++) {
          for (int c = 0; c < 3; c++) {
            px[i * 3072 + p * 3 + c] = b[at + 1 + c * 1024 + p] & 0xff;
          }
        }
      }
    }
    return new ImageDataset(NdArrays.wrap(Shape.of(n, 32, 32, 3), DataBuffers.of(px, false,
        false)), labels, CLASSES);
  }
}
