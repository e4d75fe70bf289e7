package io.kava.tools.tutorials;

import io.kava.data.datasets.ImageDataset;
import io.kava.data.datasets.ImageFolder;
import io.kava.data.datasets.Mnist;
import io.kava.data.datasets.TrainTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * The tutorials' data and the numpy one-liners they use, in one place (the kava command
 * uses them too).
 *
 * <pre>{@code
 * jshell> FloatNdArray x = TutorialData.scaled(Mnist.sample().images())   // x / 255.0
 * }</pre>
 */
public final class TutorialData {
  private TutorialData() {}

  /**
   * MNIST for a tutorial: the full 60,000/10,000 from Keras's cache (downloaded if missing),
   * or, in quick mode or offline, the bundled 10,000-digit sample split 8,000/2,000.
   */
  static TrainTest mnist(boolean quick, java.io.PrintStream out) {
    return mnist(quick, out, kerasCache());
  }

  /** As {@link #mnist(boolean, java.io.PrintStream)} with another Keras cache folder. */
  static TrainTest mnist(boolean quick, java.io.PrintStream out, Path cache) {
    Path cached = cache.resolve("mnist.npz");
    if (!quick) {
      try {
        return Mnist.load(cache);
      } catch (RuntimeException e) {
        out.println("Full MNIST unavailable (" + e.getMessage() + "); using the bundled sample.");
      }
    } else if (Files.isRegularFile(cached)) {
      return firstOf(Mnist.load(cache), 8000, 2000);
    }
    ImageDataset sample = Mnist.sample();
    return new TrainTest(sample.take(0, 8000), sample.take(8000, 10000));
  }

  /** Keras's data set cache, {@code ~/.keras/datasets}. */
  public static Path kerasCache() {
    return Path.of(System.getProperty("user.home"), ".keras", "datasets");
  }

  /** The first {@code train} and {@code test} samples of each part. */
  static TrainTest firstOf(TrainTest data, int train, int test) {
    return new TrainTest(data.train().take(0, Math.min(train, data.train().size())),
        data.test().take(0, Math.min(test, data.test().size())));
  }

  /**
   * CIFAR-10 from its JPEG class folders ({@code train/}, {@code test/}); in quick mode only
   * the 10,000 test JPEGs are decoded: 3,000 random ones to train on, 1,000 others to test.
   */
  static TrainTest cifar10(boolean quick, Path folders) {
    if (quick) {
      ImageDataset pool = ImageFolder.load(folders.resolve("test"), 32, 32).sample(4000, 1);
      return new TrainTest(pool.take(0, 3000), pool.take(3000, 4000));
    }
    return new TrainTest(ImageFolder.load(folders.resolve("train"), 32, 32),
        ImageFolder.load(folders.resolve("test"), 32, 32));
  }

  /** {@code x / 255.0}. */
  public static FloatNdArray scaled(FloatNdArray images) {
    float[] v = new float[Math.toIntExact(images.shape().size())];
    images.copyTo(DataBuffers.of(v, false, false));
    for (int i = 0; i < v.length; i++) {
      v[i] /= 255f;
    }
    return NdArrays.wrap(images.shape(), DataBuffers.of(v, false, false));
  }

  /** {@code (y % 2).reshape(-1, 1)}: 1 for odd digits. */
  public static FloatNdArray oddEven(int[] labels) {
    float[] v = new float[labels.length];
    for (int i = 0; i < v.length; i++) {
      v[i] = labels[i] % 2;
    }
    return NdArrays.wrap(Shape.of(v.length, 1), DataBuffers.of(v, false, false));
  }
}
