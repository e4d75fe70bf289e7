package io.kava.tools.bench;

import io.kava.Batch;
import io.kava.FitOptions;
import io.kava.Sequential;
import io.kava.data.image.DirectoryIterator;
import io.kava.data.image.FlowOptions;
import io.kava.data.image.ImageDataGenerator;
import io.kava.losses.CategoricalCrossentropy;
import io.kava.metrics.Accuracy;
import io.kava.models.Cifar10Cnn;
import io.kava.optimizers.RMSprop;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.apache.commons.imaging.Imaging;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * Images per second of the data pipeline: {@code flow()} with the augmentation of the Keras
 * comparison (rotation 20, width/height shift 0.2, shear 0.2, horizontal flip) at 32x32x3
 * and 256x256x3, {@code flowFromDirectory} over CIFAR-10 JPEGs (TensorFlow's decoder) next
 * to Commons Imaging decoding the same files, and whether that directory pipeline keeps the
 * CIFAR-10 CNN's training step fed.
 *
 * <pre>{@code
 * jshell> DataBench.run(System.out, true, Path.of("../shared/data/cifar10-jpg/train"))
 * }</pre>
 */
public final class DataBench {
  private DataBench() {}

  static ImageDataGenerator kerasComparison() {
    return ImageDataGenerator.builder().rotationRange(20).widthShiftRange(0.2)
        .heightShiftRange(0.2).shearRange(0.2).horizontalFlip(true).build();
  }

  public static void run(PrintStream out, boolean quick, Path cifar) {
    out.printf("%nData pipeline, CPU (%d cores)%n", Runtime.getRuntime().availableProcessors());
    out.printf("%-58s %12s %12s%n", "pipeline", "images/s", "target");
    for (int size : new int[] {32, 256}) {
      int n = size == 32 ? (quick ? 2048 : 16384) : (quick ? 128 : 1024);
      double rate = flowRate(size, n);
      out.printf("%-58s %12.0f %12s%n", "flow() augmented, " + size + "x" + size + "x3, batch 32",
          rate, size == 32 ? ">= 30000" : ">= 1300");
    }
    if (cifar == null || !Files.isDirectory(cifar)) {
      out.println("(CIFAR-10 JPEG folders not found; pass --cifar DIR for the directory rows)");
      return;
    }
    int batches = quick ? 20 : 100;
    warmFileCache(cifar);
    DirectoryIterator plain = ImageDataGenerator.identity().flowFromDirectory(cifar,
        FlowOptions.defaults().targetSize(32, 32).batchSize(32).seed(1));
    out.printf("%-58s %12.0f %12s%n", "flowFromDirectory CIFAR-10 JPEG 32x32 (ImageIO)",
        dirRate(plain, batches), "");
    DirectoryIterator augmented = kerasComparison().flowFromDirectory(cifar,
        FlowOptions.defaults().targetSize(32, 32).batchSize(32).seed(1));
    double augmentedRate = dirRate(augmented, batches);
    out.printf("%-58s %12.0f %12s%n", "flowFromDirectory CIFAR-10 JPEG 32x32 augmented",
        augmentedRate, "");
    out.printf("%-58s %12.0f %12s%n", "Commons Imaging decode only, same JPEGs (1 thread)",
        commonsRate(cifar, batches * 32 / 4), "");
    fedStep(out, augmented, quick ? 4 : 20, 32 * 1000 / augmentedRate);
  }

  /** Reads every file once, so figures measure decoding, not a cold disk. */
  private static void warmFileCache(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.filter(Files::isRegularFile).forEach(p -> {
        try {
          Files.readAllBytes(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static double flowRate(int size, int n) {
    SplittableRandom r = new SplittableRandom(1);
    float[] px = new float[n * size * size * 3];
    for (int i = 0; i < px.length; i++) {
      px[i] = r.nextInt(256);
    }
    FloatNdArray x = NdArrays.wrap(Shape.of(n, size, size, 3), DataBuffers.of(px, false, false));
    var it = kerasComparison().flow(x, null, FlowOptions.defaults().batchSize(32).seed(2));
    double best = 0;
    for (int round = 0; round < 3; round++) {
      long t0 = System.nanoTime();
      for (int i = 0; i < it.size(); i++) {
        it.get(i);
      }
      best = Math.max(best, n / ((System.nanoTime() - t0) / 1e9));
    }
    return best;
  }

  private static double dirRate(DirectoryIterator it, int batches) {
    for (int i = 0; i < 40; i++) {
      it.get(it.size() - 1 - i);
    }
    long t0 = System.nanoTime();
    int images = 0;
    for (int i = 0; i < batches; i++) {
      images += it.get(i).size();
    }
    return images / ((System.nanoTime() - t0) / 1e9);
  }

  private static double commonsRate(Path cifar, int count) {
    List<Path> files;
    try (Stream<Path> s = Files.walk(cifar)) {
      files = s.filter(p -> p.toString().endsWith(".jpg")).sorted().limit(count).toList();
      long t0 = System.nanoTime();
      for (Path f : files) {
        Imaging.getBufferedImage(Files.readAllBytes(f));
      }
      return files.size() / ((System.nanoTime() - t0) / 1e9);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The CIFAR-10 CNN trained from the directory iterator vs from the same batches in memory. */
  private static void fedStep(PrintStream out, DirectoryIterator it, int steps,
      double batchMs) {
    float[] xs = new float[steps * 32 * 32 * 32 * 3];
    float[] ys = new float[steps * 32 * 10];
    for (int i = 0; i < steps; i++) {
      Batch b = it.get(i);
      b.x().copyTo(DataBuffers.of(xs, false, false).offset((long) i * 32 * 3072).narrow(32 * 3072));
      b.y().copyTo(DataBuffers.of(ys, false, false).offset((long) i * 320).narrow(320));
    }
    FloatNdArray x = NdArrays.wrap(Shape.of(steps * 32L, 32, 32, 3), DataBuffers.of(xs));
    FloatNdArray y = NdArrays.wrap(Shape.of(steps * 32L, 10), DataBuffers.of(ys));
    try (Sequential model = Cifar10Cnn.create().seed(1)) {
      model.compile(new RMSprop(0.0001), new CategoricalCrossentropy(), new Accuracy());
      FitOptions opts = FitOptions.defaults().batchSize(32).shuffle(false).verbose(0).seed(3);
      model.fit(x, y, opts);
      double arrays = Double.MAX_VALUE;
      double directory = Double.MAX_VALUE;
      for (int round = 0; round < 2; round++) {
        long t0 = System.nanoTime();
        model.fit(x, y, opts);
        arrays = Math.min(arrays, (System.nanoTime() - t0) / 1e6 / steps);
        long t1 = System.nanoTime();
        model.fit(new FirstBatches(it, steps), opts);
        directory = Math.min(directory, (System.nanoTime() - t1) / 1e6 / steps);
      }
      out.printf("%-58s %9.1f ms/step (from arrays: %.1f ms/step)%n",
          "CIFAR-10 CNN fed by flowFromDirectory (augmented)", directory, arrays);
      out.printf("%-58s %9.1f ms/batch (prepared one step ahead: %s)%n",
          "  a directory batch takes", batchMs, batchMs < arrays ? "the step never waits"
          : "the step WAITS for data");
    }
  }

  /** The first {@code n} batches of an iterator. */
  private record FirstBatches(DirectoryIterator it, int n) implements io.kava.BatchIterator {
    @Override
    public int size() {
      return n;
    }

    @Override
    public Batch get(int index) {
      return it.get(index);
    }
  }
}
