package io.kava.models;

import io.kava.Batch;
import io.kava.BatchIterator;
import io.kava.Model;
import io.kava.internal.Checks;
import io.kava.metrics.Classes;
import java.util.SplittableRandom;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * AlexNet's data handling, as the paper and the Dogs-vs-Cats tutorial: subtract the mean
 * image, train on random {@code size x size} crops of the larger images with a 50%
 * horizontal flip, and predict by averaging the 10 crops (4 corners and centre, each also
 * mirrored).
 *
 * <pre>{@code
 * jshell> FloatNdArray mean = Crops.meanImage(train256)
 * jshell> model.fit(Crops.random(gen.flow(Crops.subtract(train256, mean), y, opts), 227, 1),
 *    ...>     FitOptions.defaults().epochs(90))
 * jshell> FloatNdArray p = Crops.predictTenCrop(model, Crops.subtract(test256, mean), 227)
 * }</pre>
 */
public final class Crops {
  private Crops() {}

  /** The per-pixel mean image {@code (h, w, c)} of {@code images [n, h, w, c]}. */
  public static FloatNdArray meanImage(FloatNdArray images) {
    check(images, "meanImage");
    long n = images.shape().get(0);
    Shape one = Shape.of(images.shape().get(1), images.shape().get(2), images.shape().get(3));
    int size = (int) one.size();
    double[] sum = new double[size];
    float[] row = new float[size];
    for (long i = 0; i < n; i++) {
      images.get(i).copyTo(DataBuffers.of(row, false, false));
      for (int p = 0; p < size; p++) {
        sum[p] += row[p];
      }
    }
    float[] mean = new float[size];
    for (int p = 0; p < size; p++) {
      mean[p] = (float) (sum[p] / Math.max(1, n));
    }
    return NdArrays.wrap(one, DataBuffers.of(mean, false, false));
  }

  /** {@code images} minus {@code mean} (from {@link #meanImage}), as a new array. */
  public static FloatNdArray subtract(FloatNdArray images, FloatNdArray mean) {
    check(images, "subtract");
    Shape one = Shape.of(images.shape().get(1), images.shape().get(2), images.shape().get(3));
    if (!mean.shape().equals(one)) {
      throw new IllegalArgumentException("Crops.subtract: mean must have the images' shape "
          + one + "; got " + mean.shape() + ".");
    }
    int size = (int) one.size();
    float[] m = new float[size];
    mean.copyTo(DataBuffers.of(m, false, false));
    float[] all = new float[Math.toIntExact(images.shape().size())];
    images.copyTo(DataBuffers.of(all, false, false));
    for (int i = 0; i < all.length; i++) {
      all[i] -= m[i % size];
    }
    return NdArrays.wrap(images.shape(), DataBuffers.of(all, false, false));
  }

  /**
   * Batches of {@code source} with each image replaced by a random {@code size x size} crop,
   * mirrored left-right with probability 0.5; labels pass through. Reproducible from
   * {@code seed}, the epoch and the batch index.
   */
  public static BatchIterator random(BatchIterator source, int size, long seed) {
    Checks.positive("Crops.random", "crop size", size);
    return new BatchIterator() {
      private int epoch;

      @Override
      public int size() {
        return source.size();
      }

      @Override
      public Batch get(int index) {
        Batch b = source.get(index);
        SplittableRandom r = new SplittableRandom(seed * 1_000_003L + epoch * 7919L + index);
        FloatNdArray x = b.x();
        check(x, "random");
        int h = (int) x.shape().get(1);
        int w = (int) x.shape().get(2);
        fits(size, h, w, "random");
        int n = (int) x.shape().get(0);
        int c = (int) x.shape().get(3);
        float[] out = new float[n * size * size * c];
        for (int i = 0; i < n; i++) {
          crop(x.get(i), r.nextInt(h - size + 1), r.nextInt(w - size + 1), size, r.nextBoolean(),
              out, i * size * size * c);
        }
        return new Batch(NdArrays.wrap(Shape.of(n, size, size, c), DataBuffers.of(out, false,
            false)), b.y());
      }

      @Override
      public void onEpochEnd() {
        epoch++;
        source.onEpochEnd();
      }
    };
  }

  /**
   * The 10 crops of each image: top-left, top-right, bottom-left, bottom-right and centre,
   * then the same five mirrored; {@code [n * 10, size, size, c]}, image-major.
   */
  public static FloatNdArray tenCrop(FloatNdArray images, int size) {
    check(images, "tenCrop");
    int n = (int) images.shape().get(0);
    int h = (int) images.shape().get(1);
    int w = (int) images.shape().get(2);
    int c = (int) images.shape().get(3);
    fits(size, h, w, "tenCrop");
    int[][] corners = {{0, 0}, {0, w - size}, {h - size, 0}, {h - size, w - size},
        {(h - size) / 2, (w - size) / 2}};
    int per = size * size * c;
    float[] out = new float[n * 10 * per];
    for (int i = 0; i < n; i++) {
      FloatNdArray img = images.get(i);
      for (int k = 0; k < 10; k++) {
        int[] at = corners[k % 5];
        crop(img, at[0], at[1], size, k >= 5, out, (i * 10 + k) * per);
      }
    }
    return NdArrays.wrap(Shape.of(n * 10L, size, size, c), DataBuffers.of(out, false, false));
  }

  /** The model's predictions averaged over the 10 crops of each image: {@code [n, classes]}. */
  public static FloatNdArray predictTenCrop(Model model, FloatNdArray images, int size) {
    FloatNdArray all = model.predict(tenCrop(images, size));
    int n = (int) images.shape().get(0);
    int k = (int) (all.shape().size() / (n * 10L));
    float[] p = new float[Math.toIntExact(all.shape().size())];
    all.copyTo(DataBuffers.of(p, false, false));
    float[] mean = new float[n * k];
    for (int i = 0; i < n; i++) {
      for (int crop = 0; crop < 10; crop++) {
        for (int j = 0; j < k; j++) {
          mean[i * k + j] += p[(i * 10 + crop) * k + j] / 10f;
        }
      }
    }
    return NdArrays.wrap(Shape.of(n, k), DataBuffers.of(mean, false, false));
  }

  /** The class of each image from its 10-crop averaged prediction (argmax). */
  public static int[] predictTenCropClasses(Model model, FloatNdArray images, int size) {
    return Classes.of(predictTenCrop(model, images, size));
  }

  private static void crop(FloatNdArray img, int top, int left, int size, boolean mirror,
      float[] out, int offset) {
    int w = (int) img.shape().get(1);
    int c = (int) img.shape().get(2);
    float[] row = new float[w * c];
    for (int y = 0; y < size; y++) {
      img.get(top + y).copyTo(DataBuffers.of(row, false, false));
      for (int x = 0; x < size; x++) {
        int src = (left + (mirror ? size - 1 - x : x)) * c;
        System.arraycopy(row, src, out, offset + (y * size + x) * c, c);
      }
    }
  }

  private static void check(FloatNdArray images, String what) {
    if (images == null || images.rank() != 4) {
      throw new IllegalArgumentException("Crops." + what + ": images must have rank 4 (n, h, w,"
          + " c); got " + (images == null ? "null" : images.shape()) + ".");
    }
  }

  private static void fits(int size, int h, int w, String what) {
    if (size <= 0 || size > h || size > w) {
      throw new IllegalArgumentException("Crops." + what + ": crop size must be in [1, "
          + Math.min(h, w) + "] for " + h + "x" + w + " images; got " + size + ".");
    }
  }
}
