package io.kava.data.image;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.tensorflow.DeviceSpec;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * Real-time image augmentation and standardization, Keras's {@code ImageDataGenerator}:
 * {@link #flow} over arrays and {@link #flowFromDirectory} over class folders yield batches
 * that {@code model.fit} consumes. Random transforms are applied to whole batches with
 * TensorFlow ops ({@code ImageProjectiveTransformV3}, one affine matrix per image), on the GPU
 * when there is one.
 *
 * <p>Per image, in Keras's order: one affine warp (rotation, shift, shear, zoom about the
 * centre), channel shift, horizontal flip, vertical flip, brightness; then
 * {@link #standardize}: preprocessing function, rescale, samplewise center and std,
 * featurewise center and std, ZCA whitening. Every option defaults to off (fill mode
 * NEAREST, cval 0, ZCA epsilon 1e-6). Differences from Keras, on purpose: width shifts move
 * columns and height shifts rows (Keras swaps them, keras#17398), and transforms turn about
 * the true centre ((w - 1) / 2, (h - 1) / 2).
 *
 * <pre>{@code
 * jshell> var gen = ImageDataGenerator.builder().rotationRange(20).widthShiftRange(0.2)
 *    ...>     .heightShiftRange(0.2).shearRange(0.2).horizontalFlip(true).rescale(1 / 255.0)
 *    ...>     .build()
 * jshell> model.fit(gen.flow(x, y, FlowOptions.defaults().batchSize(32)), FitOptions.defaults())
 * }</pre>
 */
public final class ImageDataGenerator {
  final boolean featurewiseCenter;
  final boolean samplewiseCenter;
  final boolean featurewiseStd;
  final boolean samplewiseStd;
  final boolean zcaWhitening;
  final double zcaEpsilon;
  final double rotationRange;
  final ShiftRange widthShift;
  final ShiftRange heightShift;
  final double shearRange;
  final double zoomLow;
  final double zoomHigh;
  final double channelShiftRange;
  final double[] brightnessRange;
  final FillMode fillMode;
  final double cval;
  final boolean horizontalFlip;
  final boolean verticalFlip;
  final double rescale;
  final UnaryOperator<FloatNdArray> preprocessing;
  final double validationSplit;
  final Interpolation transformInterpolation;

  // Set by fit(): per-channel statistics and the ZCA matrix.
  private volatile Stats stats;
  private final Map<String, Object> augmenters = new HashMap<>();
  // Where batches are augmented: a TensorFlow device (the GPU when there is one), or null for
  // the Java pipeline. Decided on first use.
  private volatile Optional<DeviceSpec> device;

  record Stats(float[] mean, float[] std, float[] zca, Shape shape) {}

  private ImageDataGenerator(Builder b) {
    featurewiseCenter = b.featurewiseCenter || b.featurewiseStd || b.zcaWhitening;
    samplewiseCenter = b.samplewiseCenter || b.samplewiseStd;
    featurewiseStd = b.featurewiseStd;
    samplewiseStd = b.samplewiseStd;
    zcaWhitening = b.zcaWhitening;
    zcaEpsilon = b.zcaEpsilon;
    rotationRange = b.rotationRange;
    widthShift = b.widthShift;
    heightShift = b.heightShift;
    shearRange = b.shearRange;
    zoomLow = b.zoomLow;
    zoomHigh = b.zoomHigh;
    channelShiftRange = b.channelShiftRange;
    brightnessRange = b.brightnessRange;
    fillMode = b.fillMode;
    cval = b.cval;
    horizontalFlip = b.horizontalFlip;
    verticalFlip = b.verticalFlip;
    rescale = b.rescale;
    preprocessing = b.preprocessing;
    validationSplit = b.validationSplit;
    transformInterpolation = b.interpolation;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A generator that changes nothing (batches as they are). */
  public static ImageDataGenerator identity() {
    return builder().build();
  }

  // ---------------------------------------------------------------- iterators

  /** Batches of {@code x} ({@code [n, h, w, c]}) and {@code y} (any labels, or null). */
  public ArrayIterator flow(FloatNdArray x, FloatNdArray y, FlowOptions options) {
    return new ArrayIterator(this, x, y, options == null ? FlowOptions.defaults() : options);
  }

  /** Batches of {@code x} without labels. */
  public ArrayIterator flow(FloatNdArray x, FlowOptions options) {
    return flow(x, null, options);
  }

  /** Batches of images read from class sub-folders of {@code directory}. */
  public DirectoryIterator flowFromDirectory(Path directory, FlowOptions options) {
    return new DirectoryIterator(this, directory,
        options == null ? FlowOptions.defaults() : options);
  }

  // ---------------------------------------------------------------- transforms

  /** Draws one random transform for an image of shape {@code (h, w, c)}, reproducibly. */
  public Transform randomTransform(Shape imageShape, long seed) {
    return randomTransform(imageShape, new SplittableRandom(seed));
  }

  Transform randomTransform(Shape imageShape, SplittableRandom r) {
    int h = (int) imageShape.get(0);
    int w = (int) imageShape.get(1);
    double theta = rotationRange > 0 ? uniform(r, -rotationRange, rotationRange) : 0;
    double ty = heightShift.draw(r, h);
    double tx = widthShift.draw(r, w);
    double shear = shearRange > 0 ? uniform(r, -shearRange, shearRange) : 0;
    double zx = 1;
    double zy = 1;
    if (zoomLow != 1 || zoomHigh != 1) {
      zx = uniform(r, zoomLow, zoomHigh);
      zy = uniform(r, zoomLow, zoomHigh);
    }
    boolean fh = horizontalFlip && r.nextDouble() < 0.5;
    boolean fv = verticalFlip && r.nextDouble() < 0.5;
    double shift = channelShiftRange > 0 ? uniform(r, -channelShiftRange, channelShiftRange) : 0;
    double bright = brightnessRange != null
        ? uniform(r, brightnessRange[0], brightnessRange[1]) : 1;
    return new Transform(theta, tx, ty, shear, zx, zy, fh, fv, shift, bright);
  }

  private static double uniform(SplittableRandom r, double lo, double hi) {
    return lo + (hi - lo) * r.nextDouble();
  }

  /** Applies {@code t} to one image {@code (h, w, c)} (no standardization). */
  public FloatNdArray applyTransform(FloatNdArray image, Transform t) {
    checkImage(image, "applyTransform");
    Shape s = image.shape();
    float[] px = flat(image);
    float[] out = augmenter(s).run(px, 1, new Transform[] {t}, false);
    return NdArrays.wrap(s, DataBuffers.of(out, false, false));
  }

  /** Random transform of one image, as Keras's {@code random_transform(x, seed)}. */
  public FloatNdArray randomTransform(FloatNdArray image, long seed) {
    checkImage(image, "randomTransform");
    return applyTransform(image, randomTransform(image.shape(), seed));
  }

  /**
   * Standardizes images ({@code (h, w, c)} or a batch {@code (n, h, w, c)}): preprocessing
   * function, rescale, samplewise and featurewise normalization, ZCA, as configured.
   */
  public FloatNdArray standardize(FloatNdArray images) {
    boolean single = images != null && images.rank() == 3;
    if (images == null || (images.rank() != 3 && images.rank() != 4)) {
      throw new IllegalArgumentException("ImageDataGenerator.standardize: images must have"
          + " rank 3 (h, w, c) or 4 (n, h, w, c); got " + (images == null ? "null"
          : images.shape()) + ".");
    }
    Shape batch = single ? Shape.of(1).append(images.shape()) : images.shape();
    Shape one = Shape.of(batch.get(1), batch.get(2), batch.get(3));
    int n = (int) batch.get(0);
    float[] out = augmenter(one).run(flat(images), n, null, true);
    return NdArrays.wrap(images.shape(), DataBuffers.of(out, false, false));
  }

  /**
   * Augments and standardizes a batch in place of Keras's per-sample loop:
   * {@code pixels} holds {@code n} images of {@code imageShape} and is overwritten with the
   * result (the caller hands it over); transforms are drawn from {@code seeds} (one per
   * image).
   */
  float[] process(float[] pixels, int n, Shape imageShape, long[] seeds) {
    Transform[] ts = transforms(n, imageShape, seeds);
    Optional<DeviceSpec> d = device();
    if (d.isPresent()) {
      return deviceAugmenter(imageShape, d.get()).run(pixels, n, ts, true);
    }
    return augmenter(imageShape).runInPlace(pixels, n, ts, true);
  }

  /** As {@link #process(float[], int, Shape, long[])}, loading each image from a source. */
  float[] process(Augmenter.Source source, int n, Shape imageShape, long[] seeds) {
    Transform[] ts = transforms(n, imageShape, seeds);
    Optional<DeviceSpec> d = device();
    if (d.isPresent()) {
      int size = (int) imageShape.size();
      float[] px = new float[n * size];
      for (int i = 0; i < n; i++) {
        source.load(i, px, i * size);
      }
      return deviceAugmenter(imageShape, d.get()).run(px, n, ts, true);
    }
    return augmenter(imageShape).run(source, n, ts, true);
  }

  /** One random transform per seed, or null when the generator does not augment. */
  private Transform[] transforms(int n, Shape imageShape, long[] seeds) {
    if (!augments()) {
      return null;
    }
    Transform[] ts = new Transform[n];
    for (int i = 0; i < n; i++) {
      ts[i] = randomTransform(imageShape, new SplittableRandom(seeds[i]));
    }
    return ts;
  }

  /** The GPU when TensorFlow sees one and no Java preprocessing function is set. */
  private Optional<DeviceSpec> device() {
    Optional<DeviceSpec> d = device;
    if (d == null) {
      d = preprocessing == null && DeviceAugmenter.gpuAvailable()
          ? Optional.of(DeviceSpec.newBuilder().deviceType(DeviceSpec.DeviceType.GPU)
              .deviceIndex(0).build()) : Optional.empty();
      device = d;
    }
    return d;
  }

  /** Runs batch augmentation as TensorFlow ops on {@code d} (tests use the CPU device). */
  ImageDataGenerator onDevice(DeviceSpec d) {
    device = Optional.ofNullable(d);
    return this;
  }

  private DeviceAugmenter deviceAugmenter(Shape imageShape, DeviceSpec d) {
    Stats s = checkedStats(imageShape);
    String key = "device/" + d + "/" + imageShape;
    synchronized (augmenters) {
      return (DeviceAugmenter) augmenters.computeIfAbsent(key,
          k -> new DeviceAugmenter(this, imageShape, s, d));
    }
  }

  /** Whether any random transform is configured. */
  boolean augments() {
    return rotationRange > 0 || widthShift != ShiftRange.NONE || heightShift != ShiftRange.NONE
        || shearRange > 0 || zoomLow != 1 || zoomHigh != 1 || channelShiftRange > 0
        || brightnessRange != null || horizontalFlip || verticalFlip;
  }

  private Augmenter augmenter(Shape imageShape) {
    Stats s = checkedStats(imageShape);
    String key = imageShape.toString();
    synchronized (augmenters) {
      return (Augmenter) augmenters.computeIfAbsent(key, k -> new Augmenter(this, imageShape, s));
    }
  }

  /** The fitted statistics, checked against the configuration and the image shape. */
  private Stats checkedStats(Shape imageShape) {
    Stats s = stats;
    if ((featurewiseCenter || featurewiseStd || zcaWhitening) && s == null) {
      throw new IllegalStateException("ImageDataGenerator: featurewise normalization or ZCA"
          + " whitening is on, so fit(x) must be called on training data first.");
    }
    if (s != null && (featurewiseCenter || zcaWhitening)
        && s.shape().get(2) != imageShape.get(2)) {
      throw new IllegalArgumentException("ImageDataGenerator: images must have "
          + s.shape().get(2) + " channels, as the data given to fit(); got shape "
          + imageShape + ".");
    }
    if (zcaWhitening && !s.shape().equals(imageShape)) {
      throw new IllegalArgumentException("ImageDataGenerator: ZCA whitening needs images of the"
          + " shape given to fit() " + s.shape() + "; got " + imageShape + ".");
    }
    return s;
  }

  // ---------------------------------------------------------------- fit

  /** Computes the featurewise statistics (and ZCA matrix) of {@code x} {@code [n, h, w, c]}. */
  public void fit(FloatNdArray x) {
    fit(x, false, 1, 0);
  }

  /**
   * As Keras's {@code fit(x, augment, rounds, seed)}: with {@code augment}, the statistics
   * are computed over {@code rounds} randomly transformed copies of {@code x}.
   */
  public void fit(FloatNdArray x, boolean augment, int rounds, long seed) {
    if (x == null || x.rank() != 4) {
      throw new IllegalArgumentException("ImageDataGenerator.fit: x must have rank 4 (n, h, w,"
          + " c); got " + (x == null ? "null" : x.shape()) + ".");
    }
    if (rounds < 1) {
      throw new IllegalArgumentException("ImageDataGenerator.fit: rounds must be >= 1; got "
          + rounds + ".");
    }
    if (x.shape().get(0) == 0) {
      throw new IllegalArgumentException("ImageDataGenerator.fit: x must hold at least one"
          + " image; got " + x.shape() + ".");
    }
    Shape one = Shape.of(x.shape().get(1), x.shape().get(2), x.shape().get(3));
    int n = (int) x.shape().get(0);
    float[] px = flat(x);
    // Keras's order: rescale first, then the augmented copies.
    if (rescale != 0 && rescale != 1) {
      for (int i = 0; i < px.length; i++) {
        px[i] *= (float) rescale;
      }
    }
    if (augment) {
      int per = (int) one.size();
      float[] all = new float[px.length * rounds];
      // Transforms only: augmenter(one) would demand the statistics this call computes.
      Augmenter warp = new Augmenter(this, one, null);
      for (int r = 0; r < rounds; r++) {
        Transform[] ts = new Transform[n];
        for (int i = 0; i < n; i++) {
          ts[i] = randomTransform(one, new SplittableRandom(seed * 1_000_003L + r * (long) n
              + i));
        }
        float[] aug = warp.run(px, n, ts, false);
        System.arraycopy(aug, 0, all, r * n * per, aug.length);
      }
      px = all;
      n *= rounds;
    }
    Stats fitted = Statistics.of(px, n, one, featurewiseCenter, featurewiseStd, zcaWhitening,
        zcaEpsilon);
    synchronized (augmenters) {
      // Pipelines built on the old statistics are stale: drop them (their native graphs are
      // freed once unreachable).
      augmenters.clear();
      stats = fitted;
    }
  }

  /** The per-channel mean from {@link #fit}, or null. */
  public float[] mean() {
    Stats s = stats;
    return s == null || s.mean() == null ? null : s.mean().clone();
  }

  /** The per-channel standard deviation from {@link #fit}, or null. */
  public float[] std() {
    Stats s = stats;
    return s == null || s.std() == null ? null : s.std().clone();
  }

  /** The ZCA whitening matrix {@code [d, d]} (d = h*w*c) from {@link #fit}, or null. */
  public FloatNdArray zcaWhiteningMatrix() {
    Stats s = stats;
    if (s == null || s.zca() == null) {
      return null;
    }
    long d = s.shape().size();
    return NdArrays.wrap(Shape.of(d, d), DataBuffers.of(s.zca().clone(), true, false));
  }

  public double validationSplit() {
    return validationSplit;
  }

  static void checkImage(FloatNdArray image, String what) {
    if (image == null || image.rank() != 3) {
      throw new IllegalArgumentException("ImageDataGenerator." + what + ": image must have rank"
          + " 3 (h, w, c); got " + (image == null ? "null" : image.shape()) + ".");
    }
  }

  static float[] flat(FloatNdArray a) {
    float[] v = new float[Math.toIntExact(a.shape().size())];
    a.copyTo(DataBuffers.of(v, false, false));
    return v;
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("ImageDataGenerator(");
    java.util.List<String> p = new java.util.ArrayList<>();
    if (featurewiseCenter) {
      p.add("featurewise_center");
    }
    if (featurewiseStd) {
      p.add("featurewise_std_normalization");
    }
    if (samplewiseCenter) {
      p.add("samplewise_center");
    }
    if (samplewiseStd) {
      p.add("samplewise_std_normalization");
    }
    if (zcaWhitening) {
      p.add("zca_whitening");
    }
    if (rotationRange > 0) {
      p.add("rotation_range=" + rotationRange);
    }
    if (widthShift != ShiftRange.NONE) {
      p.add("width_shift_range=" + widthShift);
    }
    if (heightShift != ShiftRange.NONE) {
      p.add("height_shift_range=" + heightShift);
    }
    if (shearRange > 0) {
      p.add("shear_range=" + shearRange);
    }
    if (zoomLow != 1 || zoomHigh != 1) {
      p.add("zoom_range=[" + zoomLow + ", " + zoomHigh + "]");
    }
    if (channelShiftRange > 0) {
      p.add("channel_shift_range=" + channelShiftRange);
    }
    if (brightnessRange != null) {
      p.add("brightness_range=[" + brightnessRange[0] + ", " + brightnessRange[1] + "]");
    }
    if (horizontalFlip) {
      p.add("horizontal_flip");
    }
    if (verticalFlip) {
      p.add("vertical_flip");
    }
    if (fillMode != FillMode.NEAREST) {
      p.add("fill_mode=" + fillMode.name().toLowerCase());
    }
    if (cval != 0) {
      p.add("cval=" + cval);
    }
    if (rescale != 0 && rescale != 1) {
      p.add("rescale=" + rescale);
    }
    if (validationSplit > 0) {
      p.add("validation_split=" + validationSplit);
    }
    return b.append(String.join(", ", p)).append(')').toString();
  }

  /**
   * Options of an {@link ImageDataGenerator}, each validated where it is given; every
   * default is Keras's (all off). Immutable like every Kava option set: each option returns a
   * copy, so a builder can be shared and varied.
   */
  public static final class Builder {
    private boolean featurewiseCenter;
    private boolean samplewiseCenter;
    private boolean featurewiseStd;
    private boolean samplewiseStd;
    private boolean zcaWhitening;
    private double zcaEpsilon = 1e-6;
    private double rotationRange;
    private ShiftRange widthShift = ShiftRange.NONE;
    private ShiftRange heightShift = ShiftRange.NONE;
    private double shearRange;
    private double zoomLow = 1;
    private double zoomHigh = 1;
    private double channelShiftRange;
    private double[] brightnessRange;
    private FillMode fillMode = FillMode.NEAREST;
    private double cval;
    private boolean horizontalFlip;
    private boolean verticalFlip;
    private double rescale;
    private UnaryOperator<FloatNdArray> preprocessing;
    private double validationSplit;
    private Interpolation interpolation = Interpolation.BILINEAR;

    private Builder() {}

    private Builder copy(Consumer<Builder> change) {
      Builder c = new Builder();
      c.featurewiseCenter = featurewiseCenter;
      c.samplewiseCenter = samplewiseCenter;
      c.featurewiseStd = featurewiseStd;
      c.samplewiseStd = samplewiseStd;
      c.zcaWhitening = zcaWhitening;
      c.zcaEpsilon = zcaEpsilon;
      c.rotationRange = rotationRange;
      c.widthShift = widthShift;
      c.heightShift = heightShift;
      c.shearRange = shearRange;
      c.zoomLow = zoomLow;
      c.zoomHigh = zoomHigh;
      c.channelShiftRange = channelShiftRange;
      c.brightnessRange = brightnessRange;
      c.fillMode = fillMode;
      c.cval = cval;
      c.horizontalFlip = horizontalFlip;
      c.verticalFlip = verticalFlip;
      c.rescale = rescale;
      c.preprocessing = preprocessing;
      c.validationSplit = validationSplit;
      c.interpolation = interpolation;
      change.accept(c);
      return c;
    }

    /** Subtract the data set's per-channel mean (computed by {@code fit}). */
    public Builder featurewiseCenter(boolean on) {
      return copy(b -> b.featurewiseCenter = on);
    }

    /** Subtract each image's own mean. */
    public Builder samplewiseCenter(boolean on) {
      return copy(b -> b.samplewiseCenter = on);
    }

    /** Divide by the data set's per-channel std (turns featurewise center on, as Keras). */
    public Builder featurewiseStdNormalization(boolean on) {
      if (on && !featurewiseCenter) {
        warn("featurewise_std_normalization", "featurewise_center");
      }
      return copy(b -> b.featurewiseStd = on);
    }

    /** Divide each image by its own std (turns samplewise center on, as Keras). */
    public Builder samplewiseStdNormalization(boolean on) {
      if (on && !samplewiseCenter) {
        warn("samplewise_std_normalization", "samplewise_center");
      }
      return copy(b -> b.samplewiseStd = on);
    }

    /** ZCA whitening with the matrix computed by {@code fit} (turns featurewise center on). */
    public Builder zcaWhitening(boolean on) {
      if (on && !featurewiseCenter) {
        warn("zca_whitening", "featurewise_center");
      }
      return copy(b -> b.zcaWhitening = on);
    }

    public Builder zcaEpsilon(double epsilon) {
      return copy(b -> b.zcaEpsilon = positive("zca_epsilon", epsilon));
    }

    /** Random rotations in U(-degrees, degrees). */
    public Builder rotationRange(double degrees) {
      return copy(b -> b.rotationRange = nonNegative("rotation_range", degrees));
    }

    /** Horizontal shifts: a fraction of the width if below 1, else pixels; U(-r, r). */
    public Builder widthShiftRange(double range) {
      return copy(b -> b.widthShift = ShiftRange.ofFloat("width_shift_range", range));
    }

    /** Horizontal shifts by a whole number of pixels in {-(n-1) .. n-1}. */
    public Builder widthShiftRange(int pixels) {
      return copy(b -> b.widthShift = ShiftRange.ofInt("width_shift_range", pixels));
    }

    /** Horizontal shifts by one of {@code values} with a random sign. */
    public Builder widthShiftChoices(double... values) {
      return copy(b -> b.widthShift = ShiftRange.ofChoices("width_shift_range", values));
    }

    /** Vertical shifts: a fraction of the height if below 1, else pixels; U(-r, r). */
    public Builder heightShiftRange(double range) {
      return copy(b -> b.heightShift = ShiftRange.ofFloat("height_shift_range", range));
    }

    /** Vertical shifts by a whole number of pixels in {-(n-1) .. n-1}. */
    public Builder heightShiftRange(int pixels) {
      return copy(b -> b.heightShift = ShiftRange.ofInt("height_shift_range", pixels));
    }

    /** Vertical shifts by one of {@code values} with a random sign. */
    public Builder heightShiftChoices(double... values) {
      return copy(b -> b.heightShift = ShiftRange.ofChoices("height_shift_range", values));
    }

    /** Shear angle in degrees, counter-clockwise, U(-degrees, degrees). */
    public Builder shearRange(double degrees) {
      return copy(b -> b.shearRange = nonNegative("shear_range", degrees));
    }

    /** Zoom in [1 - z, 1 + z] (per axis, drawn independently; above 1 zooms out). */
    public Builder zoomRange(double z) {
      nonNegative("zoom_range", z);
      if (z >= 1) {
        throw invalid("zoom_range", "below 1 (a single value z means [1 - z, 1 + z])", z);
      }
      return copy(b -> {
        b.zoomLow = 1 - z;
        b.zoomHigh = 1 + z;
      });
    }

    /** Zoom in [low, high]. */
    public Builder zoomRange(double low, double high) {
      if (!(low > 0) || !(high >= low) || Double.isInfinite(high)) {
        throw invalid("zoom_range", "a pair 0 < low <= high", "[" + low + ", " + high + "]");
      }
      return copy(b -> {
        b.zoomLow = low;
        b.zoomHigh = high;
      });
    }

    /** Adds U(-c, c) to every channel of an image. */
    public Builder channelShiftRange(double c) {
      return copy(b -> b.channelShiftRange = nonNegative("channel_shift_range", c));
    }

    /** Multiplies brightness by U(low, high): 0 is black, 1 unchanged. */
    public Builder brightnessRange(double low, double high) {
      if (!(low >= 0) || !(high >= low) || Double.isInfinite(high)) {
        throw invalid("brightness_range", "a pair 0 <= low <= high",
            "[" + low + ", " + high + "]");
      }
      return copy(b -> b.brightnessRange = new double[] {low, high});
    }

    public Builder fillMode(FillMode mode) {
      if (mode == null) {
        throw invalid("fill_mode", "one of NEAREST, CONSTANT, REFLECT, WRAP", null);
      }
      return copy(b -> b.fillMode = mode);
    }

    /** Fill value for {@link FillMode#CONSTANT}. */
    public Builder cval(double value) {
      if (!Double.isFinite(value)) {
        throw invalid("cval", "finite", value);
      }
      return copy(b -> b.cval = value);
    }

    /** Mirror left-right with probability 0.5. */
    public Builder horizontalFlip(boolean on) {
      return copy(b -> b.horizontalFlip = on);
    }

    /** Mirror top-bottom with probability 0.5. */
    public Builder verticalFlip(boolean on) {
      return copy(b -> b.verticalFlip = on);
    }

    /** Multiplies pixels by {@code factor} (after transforms); 0 means none, as Keras. */
    public Builder rescale(double factor) {
      if (!Double.isFinite(factor)) {
        throw invalid("rescale", "finite", factor);
      }
      return copy(b -> b.rescale = factor);
    }

    /** A function run on each image (h, w, c) after augmentation, before rescale. */
    public Builder preprocessingFunction(UnaryOperator<FloatNdArray> fn) {
      return copy(b -> b.preprocessing = fn);
    }

    /** Fraction of images reserved for {@link Subset#VALIDATION}, in (0, 1). */
    public Builder validationSplit(double fraction) {
      if (!(fraction > 0 && fraction < 1)) {
        throw invalid("validation_split", "in (0, 1)", fraction);
      }
      return copy(b -> b.validationSplit = fraction);
    }

    /** Resampling of transforms: BILINEAR (default, Keras's order 1) or NEAREST. */
    public Builder interpolation(Interpolation interpolation) {
      if (interpolation == null || interpolation == Interpolation.BICUBIC) {
        throw invalid("interpolation", "NEAREST or BILINEAR (what the warp op supports)",
            interpolation);
      }
      return copy(b -> b.interpolation = interpolation);
    }

    public ImageDataGenerator build() {
      return new ImageDataGenerator(this);
    }

    private static void warn(String option, String forced) {
      System.err.println("WARNING: ImageDataGenerator: " + option + " turns " + forced
          + " on, as Keras does.");
    }

    private static double nonNegative(String option, double v) {
      if (!(v >= 0) || Double.isInfinite(v)) {
        throw invalid(option, "a finite number >= 0", v);
      }
      return v;
    }

    private static double positive(String option, double v) {
      if (!(v > 0) || Double.isInfinite(v)) {
        throw invalid(option, "a finite number > 0", v);
      }
      return v;
    }

    private static IllegalArgumentException invalid(String option, String expected, Object got) {
      return new IllegalArgumentException("ImageDataGenerator: " + option + " must be "
          + expected + "; got " + got + ".");
    }
  }
}
