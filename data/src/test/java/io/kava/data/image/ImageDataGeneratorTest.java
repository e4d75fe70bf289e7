package io.kava.data.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.tensorflow.ndarray.Shape;

/** The builder's validation and defaults, and the random draws of {@code randomTransform}. */
class ImageDataGeneratorTest {
  private static final Shape IMAGE = Shape.of(20, 40, 3);
  private static final int DRAWS = 2000;

  private static ImageDataGenerator.Builder b() {
    return ImageDataGenerator.builder();
  }

  /** Asserts {@code e} throws IllegalArgumentException naming the option and the value. */
  private static void rejects(String option, String value, Executable e) {
    var ex = assertThrows(IllegalArgumentException.class, e, option);
    String m = ex.getMessage();
    assertTrue(m.startsWith("ImageDataGenerator: " + option + " must be "), m);
    assertTrue(m.contains("got " + value), option + ": " + m);
  }

  @Test
  void invalidOptionsFailNamingTheOptionAndTheValue() {
    rejects("rotation_range", "-1.0", () -> b().rotationRange(-1));
    rejects("rotation_range", "NaN", () -> b().rotationRange(Double.NaN));
    rejects("shear_range", "-5.0", () -> b().shearRange(-5));
    rejects("width_shift_range", "-0.1", () -> b().widthShiftRange(-0.1));
    rejects("width_shift_range", "-2", () -> b().widthShiftRange(-2));
    rejects("width_shift_range", "Infinity",
        () -> b().widthShiftRange(Double.POSITIVE_INFINITY));
    rejects("height_shift_range", "-0.5", () -> b().heightShiftRange(-0.5));
    rejects("height_shift_range", "-3", () -> b().heightShiftRange(-3));
    rejects("channel_shift_range", "-1.0", () -> b().channelShiftRange(-1));
    rejects("zoom_range", "1.5", () -> b().zoomRange(1.5));
    rejects("zoom_range", "-0.1", () -> b().zoomRange(-0.1));
    rejects("zoom_range", "[2.0, 1.0]", () -> b().zoomRange(2, 1));
    rejects("zoom_range", "[0.0, 1.0]", () -> b().zoomRange(0, 1));
    rejects("brightness_range", "[1.2, 0.8]", () -> b().brightnessRange(1.2, 0.8));
    rejects("brightness_range", "[-0.1, 1.0]", () -> b().brightnessRange(-0.1, 1));
    rejects("validation_split", "0.0", () -> b().validationSplit(0));
    rejects("validation_split", "1.0", () -> b().validationSplit(1));
    rejects("validation_split", "NaN", () -> b().validationSplit(Double.NaN));
    rejects("zca_epsilon", "0.0", () -> b().zcaEpsilon(0));
    rejects("zca_epsilon", "-1.0E-6", () -> b().zcaEpsilon(-1e-6));
    rejects("interpolation", "BICUBIC", () -> b().interpolation(Interpolation.BICUBIC));
    rejects("interpolation", "null", () -> b().interpolation(null));
    rejects("cval", "NaN", () -> b().cval(Double.NaN));
    rejects("rescale", "Infinity", () -> b().rescale(Double.POSITIVE_INFINITY));
    rejects("fill_mode", "null", () -> b().fillMode(null));
    var e = assertThrows(IllegalArgumentException.class, () -> b().widthShiftChoices());
    assertEquals("ImageDataGenerator: width_shift_range choices must hold at least one value;"
        + " got none.", e.getMessage());
  }

  @Test
  void errorMessagesFollowTheProjectShape() {
    var e = assertThrows(IllegalArgumentException.class, () -> b().zoomRange(1.5));
    assertEquals("ImageDataGenerator: zoom_range must be below 1 (a single value z means"
        + " [1 - z, 1 + z]); got 1.5.", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> b().validationSplit(1));
    assertEquals("ImageDataGenerator: validation_split must be in (0, 1); got 1.0.",
        e.getMessage());
  }

  @Test
  void validBoundaryValuesAreAccepted() {
    ImageDataGenerator g = b().rotationRange(0).zoomRange(0).zoomRange(0.5, 0.5)
        .brightnessRange(0, 0).validationSplit(0.999).cval(-3).widthShiftRange(1)
        .heightShiftRange(0).build();
    assertEquals(0.5, g.zoomLow);
    assertEquals(0.5, g.zoomHigh);
    assertEquals(0.999, g.validationSplit());
    assertEquals(ShiftRange.NONE, g.widthShift, "int 1 draws only 0, as Keras");
  }

  @Test
  void defaultsAreKerass() {
    ImageDataGenerator g = ImageDataGenerator.identity();
    assertFalse(g.featurewiseCenter || g.samplewiseCenter || g.featurewiseStd
        || g.samplewiseStd || g.zcaWhitening || g.horizontalFlip || g.verticalFlip);
    assertEquals(1e-6, g.zcaEpsilon);
    assertEquals(FillMode.NEAREST, g.fillMode);
    assertEquals(0, g.cval);
    assertEquals(Interpolation.BILINEAR, g.transformInterpolation);
    assertEquals(0, g.validationSplit());
    assertFalse(g.augments());
    assertEquals("ImageDataGenerator()", g.toString());
    assertEquals(Transform.IDENTITY, g.randomTransform(IMAGE, 1));
  }

  @Test
  void builderOptionsReturnCopiesSoABuilderCanBeShared() {
    ImageDataGenerator.Builder base = b().rescale(0.5);
    ImageDataGenerator flipped = base.horizontalFlip(true).build();
    assertEquals("ImageDataGenerator(rescale=0.5)", base.build().toString());
    assertEquals("ImageDataGenerator(horizontal_flip, rescale=0.5)", flipped.toString());
  }

  @Test
  void toStringShowsNonDefaultOptions() {
    assertEquals("ImageDataGenerator(rotation_range=20.0, width_shift_range=0.2,"
        + " zoom_range=[0.9, 1.1], horizontal_flip, fill_mode=reflect, rescale=0.5)",
        b().rotationRange(20).widthShiftRange(0.2).zoomRange(0.9, 1.1).horizontalFlip(true)
            .fillMode(FillMode.REFLECT).rescale(0.5).build().toString());
  }

  @Test
  void zcaAndFeaturewiseStdTurnFeaturewiseCenterOnWithAWarning() {
    var zca = TestImages.capture(true, () -> b().zcaWhitening(true).build());
    assertTrue(zca.value().featurewiseCenter);
    assertTrue(zca.value().zcaWhitening);
    assertEquals("WARNING: ImageDataGenerator: zca_whitening turns featurewise_center on, as"
        + " Keras does.", zca.text().strip());
    var std = TestImages.capture(true, () -> b().featurewiseStdNormalization(true).build());
    assertTrue(std.value().featurewiseCenter);
    assertTrue(std.value().featurewiseStd);
    assertTrue(std.text().contains("featurewise_std_normalization turns featurewise_center on"),
        std.text());
    var sample = TestImages.capture(true, () -> b().samplewiseStdNormalization(true).build());
    assertTrue(sample.value().samplewiseCenter);
    assertTrue(sample.text().contains("samplewise_std_normalization turns samplewise_center on"),
        sample.text());
    var quiet = TestImages.capture(true, () -> b().samplewiseCenter(true)
        .samplewiseStdNormalization(true).build());
    assertEquals("", quiet.text(), "no warning when the center is already on");
  }

  @Test
  void randomTransformIsReproducibleWithASeed() {
    ImageDataGenerator g = b().rotationRange(30).widthShiftRange(0.2).heightShiftRange(0.2)
        .shearRange(10).zoomRange(0.2).channelShiftRange(20).brightnessRange(0.5, 1.5)
        .horizontalFlip(true).verticalFlip(true).build();
    assertTrue(g.augments());
    assertEquals(g.randomTransform(IMAGE, 42), g.randomTransform(IMAGE, 42));
    assertNotEquals(g.randomTransform(IMAGE, 42), g.randomTransform(IMAGE, 43));
    float[] img = TestImages.uniform(1, 20 * 40 * 3, 0, 255);
    var x = TestImages.image(20, 40, 3, img);
    assertEquals(g.randomTransform(x, 7), g.randomTransform(x, 7));
    assertNotEquals(g.randomTransform(x, 7), x);
  }

  /** The distinct values of one parameter over many draws. */
  private static double[] draws(ImageDataGenerator g, Function<Transform, Double> f) {
    double[] v = new double[DRAWS];
    for (int i = 0; i < DRAWS; i++) {
      v[i] = f.apply(g.randomTransform(IMAGE, i));
    }
    return v;
  }

  private static void assertCovers(double[] v, double lo, double hi, String what) {
    double min = java.util.Arrays.stream(v).min().orElseThrow();
    double max = java.util.Arrays.stream(v).max().orElseThrow();
    assertTrue(min >= lo && max <= hi, what + " in [" + lo + ", " + hi + "]: got [" + min
        + ", " + max + "]");
    double margin = (hi - lo) * 0.02;
    assertTrue(min < lo + margin && max > hi - margin, what + " covers [" + lo + ", " + hi
        + "]: got [" + min + ", " + max + "]");
  }

  private static Set<Double> distinct(double[] v) {
    Set<Double> s = new TreeSet<>();
    for (double d : v) {
      s.add(d);
    }
    return s;
  }

  @Test
  void rotationShearChannelShiftAndBrightnessAreUniformInTheirRanges() {
    ImageDataGenerator g = b().rotationRange(25).shearRange(12).channelShiftRange(30)
        .brightnessRange(0.4, 1.7).build();
    assertCovers(draws(g, Transform::theta), -25, 25, "rotation");
    assertCovers(draws(g, Transform::shear), -12, 12, "shear");
    assertCovers(draws(g, Transform::channelShift), -30, 30, "channel shift");
    assertCovers(draws(g, Transform::brightness), 0.4, 1.7, "brightness");
    double[] theta = draws(g, Transform::theta);
    assertEquals(0, java.util.Arrays.stream(theta).average().orElseThrow(), 1.0, "centred");
  }

  @Test
  void floatShiftsBelowOneAreAFractionOfTheSize() {
    // width 40, height 20: 0.25 of each.
    ImageDataGenerator g = b().widthShiftRange(0.25).heightShiftRange(0.25).build();
    assertCovers(draws(g, Transform::tx), -10, 10, "tx");
    assertCovers(draws(g, Transform::ty), -5, 5, "ty");
  }

  @Test
  void floatShiftsOfOneOrMoreArePixels() {
    ImageDataGenerator g = b().widthShiftRange(3.0).heightShiftRange(1.0).build();
    double[] tx = draws(g, Transform::tx);
    assertCovers(tx, -3, 3, "tx");
    assertCovers(draws(g, Transform::ty), -1, 1, "ty");
    assertTrue(distinct(tx).size() > DRAWS / 2, "floats, not integers");
  }

  @Test
  void intShiftsAreWholePixelsBelowN() {
    ImageDataGenerator g = b().widthShiftRange(3).heightShiftRange(2).build();
    assertEquals(Set.of(-2.0, -1.0, 0.0, 1.0, 2.0), distinct(draws(g, Transform::tx)));
    assertEquals(Set.of(-1.0, 0.0, 1.0), distinct(draws(g, Transform::ty)));
  }

  @Test
  void choicesAreDrawnWithARandomSign() {
    ImageDataGenerator pixels = b().widthShiftChoices(2, 5).build();
    assertEquals(Set.of(-5.0, -2.0, 2.0, 5.0), distinct(draws(pixels, Transform::tx)));
    // All choices below 1: fractions of the height (20).
    ImageDataGenerator fractions = b().heightShiftChoices(0.1, 0.25).build();
    assertEquals(Set.of(-5.0, -2.0, 2.0, 5.0), distinct(draws(fractions, Transform::ty)));
  }

  @Test
  void zoomIsDrawnIndependentlyForXAndY() {
    ImageDataGenerator g = b().zoomRange(0.5, 1.5).build();
    double[] zx = draws(g, Transform::zx);
    double[] zy = draws(g, Transform::zy);
    assertCovers(zx, 0.5, 1.5, "zx");
    assertCovers(zy, 0.5, 1.5, "zy");
    double mx = java.util.Arrays.stream(zx).average().orElseThrow();
    double my = java.util.Arrays.stream(zy).average().orElseThrow();
    double cov = 0;
    double vx = 0;
    double vy = 0;
    for (int i = 0; i < DRAWS; i++) {
      cov += (zx[i] - mx) * (zy[i] - my);
      vx += (zx[i] - mx) * (zx[i] - mx);
      vy += (zy[i] - my) * (zy[i] - my);
    }
    assertEquals(0, cov / Math.sqrt(vx * vy), 0.1, "zx and zy uncorrelated");
    assertCovers(draws(b().zoomRange(0.2).build(), Transform::zx), 0.8, 1.2, "zoomRange(0.2)");
  }

  @Test
  void flipsHappenAboutHalfTheTime() {
    ImageDataGenerator g = b().horizontalFlip(true).build();
    int h = 0;
    int v = 0;
    for (int i = 0; i < DRAWS; i++) {
      Transform t = g.randomTransform(IMAGE, i);
      h += t.flipHorizontal() ? 1 : 0;
      v += t.flipVertical() ? 1 : 0;
    }
    assertTrue(Math.abs(h - DRAWS / 2) < DRAWS * 0.05, "horizontal flips: " + h);
    assertEquals(0, v, "vertical flip is off");
    g = b().verticalFlip(true).build();
    v = 0;
    for (int i = 0; i < DRAWS; i++) {
      v += g.randomTransform(IMAGE, i).flipVertical() ? 1 : 0;
    }
    assertTrue(Math.abs(v - DRAWS / 2) < DRAWS * 0.05, "vertical flips: " + v);
  }

  @Test
  void onlyConfiguredParametersAreDrawn() {
    ImageDataGenerator g = b().rotationRange(10).build();
    for (int i = 0; i < 50; i++) {
      Transform t = g.randomTransform(IMAGE, i);
      assertEquals(Transform.IDENTITY.withTheta(t.theta()), t);
    }
  }

  @Test
  void singleImageMethodsCheckTheRank() {
    var e = assertThrows(IllegalArgumentException.class, () -> ImageDataGenerator.identity()
        .applyTransform(TestImages.uniform(1, 0, 1, 2, 4, 4, 3), Transform.IDENTITY));
    assertEquals("ImageDataGenerator.applyTransform: image must have rank 3 (h, w, c); got"
        + " [2, 4, 4, 3].", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ImageDataGenerator.identity()
        .standardize(TestImages.uniform(1, 0, 1, 4, 4)));
    assertTrue(e.getMessage().contains("rank 3 (h, w, c) or 4 (n, h, w, c); got [4, 4]"),
        e.getMessage());
  }
}
