package io.kava.data.image;

import static io.kava.data.image.TestImages.array;
import static io.kava.data.image.TestImages.flat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.Shape;

/** {@code fit} (featurewise statistics, ZCA) and {@code standardize} in Keras's order. */
class StatisticsTest {
  private static ImageDataGenerator.Builder b() {
    return ImageDataGenerator.builder();
  }

  /** Per-channel mean and population std of {@code x} [n, h, w, c], in double. */
  private static double[][] channelStats(float[] x, int c) {
    double[] mean = new double[c];
    double[] sq = new double[c];
    int count = x.length / c;
    for (int i = 0; i < x.length; i++) {
      mean[i % c] += x[i];
    }
    for (int k = 0; k < c; k++) {
      mean[k] /= count;
    }
    for (int i = 0; i < x.length; i++) {
      double d = x[i] - mean[i % c];
      sq[i % c] += d * d;
    }
    double[] std = new double[c];
    for (int k = 0; k < c; k++) {
      std[k] = Math.sqrt(sq[k] / count);
    }
    return new double[][] {mean, std};
  }

  /** Channels with different means and spreads: channel k is U(10 k, 10 k + 20 (k + 1)). */
  private static FloatNdArray channels(long seed, int n, int h, int w, int c) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] v = new float[n * h * w * c];
    for (int i = 0; i < v.length; i++) {
      int k = i % c;
      v[i] = (float) (10 * k + 20 * (k + 1) * r.nextDouble());
    }
    return array(Shape.of(n, h, w, c), v);
  }

  @Test
  void fitComputesPerChannelMeanAndPopulationStd() {
    FloatNdArray x = channels(1, 6, 3, 4, 3);
    ImageDataGenerator g = b().featurewiseCenter(true).featurewiseStdNormalization(true)
        .build();
    assertNull(g.mean());
    g.fit(x);
    double[][] want = channelStats(flat(x), 3);
    for (int k = 0; k < 3; k++) {
      assertEquals(want[0][k], g.mean()[k], 1e-4, "mean " + k);
      assertEquals(want[1][k], g.std()[k], 1e-4, "std " + k);
    }
    assertNull(g.zcaWhiteningMatrix(), "no ZCA unless asked");
    // standardize: (x - mean) / (std + 1e-6) per channel.
    float[] got = flat(g.standardize(x));
    float[] raw = flat(x);
    for (int i = 0; i < raw.length; i++) {
      int k = i % 3;
      assertEquals((raw[i] - want[0][k]) / (want[1][k] + 1e-6), got[i], 1e-4, "value " + i);
    }
    // The fitted data comes out with mean 0 and std 1 in every channel.
    double[][] after = channelStats(got, 3);
    for (int k = 0; k < 3; k++) {
      assertEquals(0, after[0][k], 1e-5);
      assertEquals(1, after[1][k], 1e-4);
    }
  }

  @Test
  void fitCentreOnlyHasNoStd() {
    ImageDataGenerator g = b().featurewiseCenter(true).build();
    g.fit(channels(2, 3, 2, 2, 1));
    assertTrue(g.mean() != null && g.std() == null);
    float[] m = g.mean();
    m[0] = 1e9f;
    assertNotEquals(1e9f, g.mean()[0], "mean() returns a copy");
  }

  @Test
  void rescaleComesBeforeCentering() {
    // x = {10, 30}, rescale 0.1: fit sees {1, 3}, mean 2. Keras's standardize rescales first:
    // 10 * 0.1 - 2 = -1 (centering first would give (10 - 2) * 0.1 = 0.8).
    FloatNdArray x = array(Shape.of(2, 1, 1, 1), 10, 30);
    ImageDataGenerator g = b().rescale(0.1).featurewiseCenter(true).build();
    g.fit(x);
    assertEquals(2f, g.mean()[0], 1e-6f);
    assertArrayEquals(new float[] {-1, 1}, flat(g.standardize(x)), 1e-6f);
  }

  @Test
  void standardizeAcceptsOneImageOrABatch() {
    ImageDataGenerator g = b().rescale(2).build();
    FloatNdArray one = TestImages.image(1, 2, 1, 3, 4);
    FloatNdArray out = g.standardize(one);
    assertEquals(one.shape(), out.shape());
    assertArrayEquals(new float[] {6, 8}, flat(out));
    assertArrayEquals(new float[] {3, 4}, flat(one), "the input is not modified");
  }

  @Test
  void samplewiseCenterAndStdUseEachImagesOwnStatistics() {
    // Image 0: {1, 2, 3, 6}: mean 3, centred {-2, -1, 0, 3}, std sqrt(3.5).
    // Image 1: {10, 10, 10, 10}: centred to 0 (std 0: divided by 1e-6, still 0).
    FloatNdArray x = array(Shape.of(2, 2, 2, 1), 1, 2, 3, 6, 10, 10, 10, 10);
    ImageDataGenerator center = b().samplewiseCenter(true).build();
    assertArrayEquals(new float[] {-2, -1, 0, 3, 0, 0, 0, 0}, flat(center.standardize(x)));
    ImageDataGenerator std = b().samplewiseCenter(true).samplewiseStdNormalization(true)
        .build();
    float sd = (float) Math.sqrt(3.5) + 1e-6f;
    assertArrayEquals(new float[] {-2 / sd, -1 / sd, 0, 3 / sd, 0, 0, 0, 0},
        flat(std.standardize(x)), 1e-6f);
  }

  @Test
  void samplewiseStatisticsPoolAllChannels() {
    // Keras: np.mean(x) over the whole image, not per channel.
    FloatNdArray x = array(Shape.of(1, 1, 1, 2), 0, 10);
    assertArrayEquals(new float[] {-5, 5},
        flat(b().samplewiseCenter(true).build().standardize(x)));
  }

  @Test
  void preprocessingFunctionRunsBeforeRescale() {
    ImageDataGenerator g = b().preprocessingFunction(img -> {
      assertEquals(Shape.of(1, 2, 1), img.shape(), "called per image (h, w, c)");
      FloatNdArray out = org.tensorflow.ndarray.NdArrays.ofFloats(img.shape());
      img.scalars().forEachIndexed((i, v) -> out.setFloat(v.getFloat() + 10, i));
      return out;
    }).rescale(0.5).build();
    FloatNdArray x = array(Shape.of(2, 1, 2, 1), 0, 2, 4, 6);
    // (x + 10) * 0.5, not x * 0.5 + 10.
    assertArrayEquals(new float[] {5, 6, 7, 8}, flat(g.standardize(x)));
  }

  @Test
  void preprocessingFunctionMustKeepTheShape() {
    ImageDataGenerator g = b().preprocessingFunction(img -> TestImages.image(1, 1, 1, 0))
        .build();
    var e = assertThrows(IllegalArgumentException.class,
        () -> g.standardize(array(Shape.of(1, 1, 2, 1), 0, 2)));
    assertEquals("ImageDataGenerator: preprocessing function must return an image of shape"
        + " [1, 2, 1]; got [1, 1, 1].", e.getMessage());
  }

  @Test
  void zcaWhiteningGivesIdentityCovarianceOnTheFittingData() {
    // 200 images 4 x 4 x 1 (d = 16) of strongly correlated data: x = A z + 50.
    int n = 200;
    int d = 16;
    SplittableRandom r = new SplittableRandom(5);
    double[][] a = new double[d][d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        a[i][j] = (i == j ? 3 : 0) + 2 * r.nextGaussian();
      }
    }
    float[] v = new float[n * d];
    for (int s = 0; s < n; s++) {
      double[] z = new double[d];
      for (int j = 0; j < d; j++) {
        z[j] = r.nextGaussian();
      }
      for (int i = 0; i < d; i++) {
        double sum = 50;
        for (int j = 0; j < d; j++) {
          sum += a[i][j] * z[j];
        }
        v[s * d + i] = (float) sum;
      }
    }
    FloatNdArray x = array(Shape.of(n, 4, 4, 1), v);
    double before = offIdentity(secondMoment(v, n, d, 50));
    assertTrue(before > 10, "the raw data must be far from white: " + before);

    ImageDataGenerator g = TestImages.capture(true, () -> b().zcaWhitening(true).build())
        .value();
    g.fit(x);
    FloatNdArray w = g.zcaWhiteningMatrix();
    assertEquals(Shape.of(d, d), w.shape());
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        assertEquals(w.getFloat(i, j), w.getFloat(j, i), 1e-4f, "symmetric");
      }
    }
    // ZCA centres by the (single) channel mean; the whitened data's second moment is I.
    float[] white = flat(g.standardize(x));
    double after = offIdentity(secondMoment(white, n, d, 0));
    assertTrue(after < 1e-2, "whitened second moment must be the identity: max |C - I| = "
        + after);
  }

  /** {@code (1/n) sum (x - c)(x - c)^T} of {@code n} rows of {@code d}. */
  private static double[][] secondMoment(float[] x, int n, int d, double c) {
    double[][] m = new double[d][d];
    for (int s = 0; s < n; s++) {
      for (int i = 0; i < d; i++) {
        for (int j = 0; j < d; j++) {
          m[i][j] += (x[s * d + i] - c) * (x[s * d + j] - c) / n;
        }
      }
    }
    return m;
  }

  private static double offIdentity(double[][] m) {
    double worst = 0;
    for (int i = 0; i < m.length; i++) {
      for (int j = 0; j < m.length; j++) {
        worst = Math.max(worst, Math.abs(m[i][j] - (i == j ? 1 : 0)));
      }
    }
    return worst;
  }

  @Test
  void zcaNeedsImagesOfTheFittedShape() {
    ImageDataGenerator g = TestImages.capture(true, () -> b().zcaWhitening(true).build())
        .value();
    g.fit(TestImages.uniform(1, 0, 1, 30, 2, 2, 1));
    var e = assertThrows(IllegalArgumentException.class,
        () -> g.standardize(TestImages.uniform(2, 0, 1, 3, 3, 2, 1)));
    assertEquals("ImageDataGenerator: ZCA whitening needs images of the shape given to fit()"
        + " [2, 2, 1]; got [3, 2, 1].", e.getMessage());
  }

  @Test
  void featurewiseStatisticsNeedTheFittedChannels() {
    ImageDataGenerator g = b().featurewiseCenter(true).build();
    g.fit(TestImages.uniform(1, 0, 1, 3, 2, 2, 3));
    var e = assertThrows(IllegalArgumentException.class,
        () -> g.standardize(TestImages.uniform(2, 0, 1, 1, 2, 2, 1)));
    assertEquals("ImageDataGenerator: images must have 3 channels, as the data given to fit();"
        + " got shape [2, 2, 1].", e.getMessage());
    // Another image size with the same channels is fine (statistics are per channel).
    assertEquals(Shape.of(1, 5, 5, 3),
        g.standardize(TestImages.uniform(3, 0, 1, 1, 5, 5, 3)).shape());
  }

  @Test
  void featurewiseOptionsWithoutFitFailClearly() {
    FloatNdArray x = TestImages.uniform(1, 0, 1, 4, 2, 2, 1);
    for (ImageDataGenerator g : new ImageDataGenerator[] {b().featurewiseCenter(true).build(),
        TestImages.capture(true, () -> b().featurewiseStdNormalization(true).build()).value(),
        TestImages.capture(true, () -> b().zcaWhitening(true).build()).value()}) {
      var e = assertThrows(IllegalStateException.class, () -> g.standardize(x));
      assertEquals("ImageDataGenerator: featurewise normalization or ZCA whitening is on, so"
          + " fit(x) must be called on training data first.", e.getMessage());
      var it = g.flow(x, FlowOptions.defaults().batchSize(2));
      assertThrows(IllegalStateException.class, it::next);
    }
  }

  @Test
  void fitWithAugmentationUsesTheTransformedCopies() {
    FloatNdArray x = channels(3, 20, 6, 6, 3);
    ImageDataGenerator plain = TestImages.capture(true, () -> b()
        .featurewiseStdNormalization(true).brightnessRange(0.2, 0.5).build()).value();
    plain.fit(x);
    double[][] want = channelStats(flat(x), 3);
    assertEquals(want[0][2], plain.mean()[2], 1e-3, "without augment, fit ignores transforms");

    ImageDataGenerator aug = TestImages.capture(true, () -> b()
        .featurewiseStdNormalization(true).brightnessRange(0.2, 0.5).build()).value();
    aug.fit(x, true, 2, 11);
    for (int k = 0; k < 3; k++) {
      double ratio = aug.mean()[k] / plain.mean()[k];
      assertTrue(ratio > 0.2 && ratio < 0.5, "brightness 0.2..0.5 scales the mean: " + ratio);
      assertTrue(aug.std()[k] < plain.std()[k], "and the spread");
    }
    ImageDataGenerator again = TestImages.capture(true, () -> b()
        .featurewiseStdNormalization(true).brightnessRange(0.2, 0.5).build()).value();
    again.fit(x, true, 2, 11);
    assertArrayEquals(aug.mean(), again.mean(), "the same seed gives the same statistics");
    again.fit(x, true, 1, 11);
    assertNotEquals(aug.mean()[0], again.mean()[0], "rounds = 1 sees half of the copies");
  }

  @Test
  void fitChecksItsArguments() {
    ImageDataGenerator g = b().featurewiseCenter(true).build();
    var e = assertThrows(IllegalArgumentException.class,
        () -> g.fit(TestImages.uniform(1, 0, 1, 2, 2, 3)));
    assertEquals("ImageDataGenerator.fit: x must have rank 4 (n, h, w, c); got [2, 2, 3].",
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> g.fit(TestImages.uniform(1, 0, 1, 1, 2, 2, 3), true, 0, 1));
    assertEquals("ImageDataGenerator.fit: rounds must be >= 1; got 0.", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> g.fit(TestImages.uniform(1, 0, 1, 0, 2, 2, 3)));
    assertTrue(e.getMessage().contains("at least one image"), e.getMessage());
  }

  @Test
  void fitDoesNotModifyItsInput() {
    FloatNdArray x = channels(4, 3, 2, 2, 3);
    float[] before = flat(x);
    ImageDataGenerator g = TestImages.capture(true, () -> b().zcaWhitening(true)
        .featurewiseStdNormalization(true).rescale(0.5).build()).value();
    g.fit(x);
    assertArrayEquals(before, flat(x));
  }
}
