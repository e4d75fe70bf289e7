package io.kava.data.image;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Options of {@link ImageDataGenerator#flow} and {@link ImageDataGenerator#flowFromDirectory},
 * immutable, with Keras's defaults: batch size 32, shuffle on, a random seed, no subset,
 * target size 256x256, RGB, categorical labels, nearest-neighbour resizing, classes from the
 * sorted sub-folder names, links not followed, nothing saved, corrupt images an error.
 *
 * <pre>{@code
 * jshell> FlowOptions.defaults().targetSize(150, 150).classMode(ClassMode.BINARY).batchSize(20)
 * }</pre>
 */
public final class FlowOptions {
  private static final FlowOptions DEFAULTS = new FlowOptions(32, true, null, null, 256, 256,
      ColorMode.RGB, ClassMode.CATEGORICAL, Interpolation.NEAREST, null, false, false, null, "",
      "png", false);

  final int batchSize;
  final boolean shuffle;
  final Long seed;
  final Subset subset;
  final int targetHeight;
  final int targetWidth;
  final ColorMode colorMode;
  final ClassMode classMode;
  final Interpolation interpolation;
  final List<String> classes;
  final boolean followLinks;
  final boolean keepAspectRatio;
  final Path saveToDir;
  final String savePrefix;
  final String saveFormat;
  final boolean skipCorrupt;

  private FlowOptions(int batchSize, boolean shuffle, Long seed, Subset subset, int targetHeight,
      int targetWidth, ColorMode colorMode, ClassMode classMode, Interpolation interpolation,
      List<String> classes, boolean followLinks, boolean keepAspectRatio, Path saveToDir,
      String savePrefix, String saveFormat, boolean skipCorrupt) {
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.seed = seed;
    this.subset = subset;
    this.targetHeight = targetHeight;
    this.targetWidth = targetWidth;
    this.colorMode = colorMode;
    this.classMode = classMode;
    this.interpolation = interpolation;
    this.classes = classes;
    this.followLinks = followLinks;
    this.keepAspectRatio = keepAspectRatio;
    this.saveToDir = saveToDir;
    this.savePrefix = savePrefix;
    this.saveFormat = saveFormat;
    this.skipCorrupt = skipCorrupt;
  }

  public static FlowOptions defaults() {
    return DEFAULTS;
  }

  private FlowOptions with(int batchSize, boolean shuffle, Long seed, Subset subset, int th,
      int tw, ColorMode cm, ClassMode cl, Interpolation in, List<String> classes, boolean links,
      boolean aspect, Path save, String prefix, String format, boolean skip) {
    return new FlowOptions(batchSize, shuffle, seed, subset, th, tw, cm, cl, in, classes, links,
        aspect, save, prefix, format, skip);
  }

  public FlowOptions batchSize(int n) {
    if (n <= 0) {
      throw invalid("batch size", "> 0", n);
    }
    return with(n, shuffle, seed, subset, targetHeight, targetWidth, colorMode, classMode,
        interpolation, classes, followLinks, keepAspectRatio, saveToDir, savePrefix, saveFormat,
        skipCorrupt);
  }

  /** Draw a new order every epoch. */
  public FlowOptions shuffle(boolean on) {
    return with(batchSize, on, seed, subset, targetHeight, targetWidth, colorMode, classMode,
        interpolation, classes, followLinks, keepAspectRatio, saveToDir, savePrefix, saveFormat,
        skipCorrupt);
  }

  /** Seeds shuffling and the random transforms: the same seed gives the same batches. */
  public FlowOptions seed(long s) {
    return with(batchSize, shuffle, s, subset, targetHeight, targetWidth, colorMode, classMode,
        interpolation, classes, followLinks, keepAspectRatio, saveToDir, savePrefix, saveFormat,
        skipCorrupt);
  }

  /** Which part of a generator with {@code validationSplit} to yield. */
  public FlowOptions subset(Subset s) {
    return with(batchSize, shuffle, seed, s, targetHeight, targetWidth, colorMode, classMode,
        interpolation, classes, followLinks, keepAspectRatio, saveToDir, savePrefix, saveFormat,
        skipCorrupt);
  }

  /** Images are resized to {@code height x width} ({@code flowFromDirectory}). */
  public FlowOptions targetSize(int height, int width) {
    if (height <= 0 || width <= 0) {
      throw invalid("target size", "> 0", height + "x" + width);
    }
    return with(batchSize, shuffle, seed, subset, height, width, colorMode, classMode,
        interpolation, classes, followLinks, keepAspectRatio, saveToDir, savePrefix, saveFormat,
        skipCorrupt);
  }

  public FlowOptions colorMode(ColorMode mode) {
    return with(batchSize, shuffle, seed, subset, targetHeight, targetWidth,
        notNull("color mode", mode), classMode, interpolation, classes, followLinks,
        keepAspectRatio, saveToDir, savePrefix, saveFormat, skipCorrupt);
  }

  public FlowOptions classMode(ClassMode mode) {
    return with(batchSize, shuffle, seed, subset, targetHeight, targetWidth, colorMode,
        notNull("class mode", mode), interpolation, classes, followLinks, keepAspectRatio,
        saveToDir, savePrefix, saveFormat, skipCorrupt);
  }

  /** Resampling when resizing to the target size. Default NEAREST, as Keras. */
  public FlowOptions interpolation(Interpolation i) {
    return with(batchSize, shuffle, seed, subset, targetHeight, targetWidth, colorMode,
        classMode, notNull("interpolation", i), classes, followLinks, keepAspectRatio,
        saveToDir, savePrefix, saveFormat, skipCorrupt);
  }

  /** The class folders to use, in label order (default: all sub-folders, sorted). */
  public FlowOptions classes(String... names) {
    return with(batchSize, shuffle, seed, subset, targetHeight, targetWidth, colorMode,
        classMode, interpolation, List.of(names), followLinks, keepAspectRatio, saveToDir,
        savePrefix, saveFormat, skipCorrupt);
  }

  public FlowOptions followLinks(boolean on) {
    return with(batchSize, shuffle, seed, subset, targetHeight, targetWidth, colorMode,
        classMode, interpolation, classes, on, keepAspectRatio, saveToDir, savePrefix,
        saveFormat, skipCorrupt);
  }

  /** Crop the centre to the target's aspect ratio before resizing. */
  public FlowOptions keepAspectRatio(boolean on) {
    return with(batchSize, shuffle, seed, subset, targetHeight, targetWidth, colorMode,
        classMode, interpolation, classes, followLinks, on, saveToDir, savePrefix, saveFormat,
        skipCorrupt);
  }

  /** Also write every yielded image to {@code dir}, to look at the augmentation. */
  public FlowOptions saveToDir(Path dir) {
    return with(batchSize, shuffle, seed, subset, targetHeight, targetWidth, colorMode,
        classMode, interpolation, classes, followLinks, keepAspectRatio, dir, savePrefix,
        saveFormat, skipCorrupt);
  }

  public FlowOptions savePrefix(String prefix) {
    return with(batchSize, shuffle, seed, subset, targetHeight, targetWidth, colorMode,
        classMode, interpolation, classes, followLinks, keepAspectRatio, saveToDir,
        notNull("save prefix", prefix), saveFormat, skipCorrupt);
  }

  /** {@code png} (default) or {@code jpeg}. */
  public FlowOptions saveFormat(String format) {
    String f = notNull("save format", format).toLowerCase(Locale.ROOT);
    if (!f.equals("png") && !f.equals("jpeg") && !f.equals("jpg")) {
      throw invalid("save format", "png or jpeg", "'" + format + "'");
    }
    return with(batchSize, shuffle, seed, subset, targetHeight, targetWidth, colorMode,
        classMode, interpolation, classes, followLinks, keepAspectRatio, saveToDir, savePrefix,
        f.equals("jpg") ? "jpeg" : f, skipCorrupt);
  }

  /**
   * Skip images that cannot be decoded, with a warning naming the file (the batch is then
   * smaller). Default false: such an image is an error naming the file.
   */
  public FlowOptions skipCorrupt(boolean on) {
    return with(batchSize, shuffle, seed, subset, targetHeight, targetWidth, colorMode,
        classMode, interpolation, classes, followLinks, keepAspectRatio, saveToDir, savePrefix,
        saveFormat, on);
  }

  public int batchSize() {
    return batchSize;
  }

  private static <T> T notNull(String what, T v) {
    if (v == null) {
      throw invalid(what, "non-null", null);
    }
    return v;
  }

  private static IllegalArgumentException invalid(String what, String expected, Object got) {
    return new IllegalArgumentException("FlowOptions: " + what + " must be " + expected
        + "; got " + got + ".");
  }

  @Override
  public String toString() {
    return "FlowOptions(batch_size=" + batchSize + (shuffle ? "" : ", shuffle=false")
        + (seed == null ? "" : ", seed=" + seed)
        + (subset == null ? "" : ", subset=" + subset.name().toLowerCase(Locale.ROOT))
        + ", target_size=(" + targetHeight + ", " + targetWidth + ")"
        + ", color_mode=" + colorMode.name().toLowerCase(Locale.ROOT)
        + ", class_mode=" + classMode.name().toLowerCase(Locale.ROOT) + ")";
  }
}
