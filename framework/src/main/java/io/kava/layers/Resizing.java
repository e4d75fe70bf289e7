package io.kava.layers;

import io.kava.internal.Checks;
import io.kava.saving.Config;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.image.ResizeBilinear;
import org.tensorflow.op.image.ResizeNearestNeighbor;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Resizes each image to {@code height x width}, Keras's {@code Resizing}, with
 * {@code tf.image.resize}'s semantics (half-pixel centers, no antialiasing), so a model takes
 * images of any one size and the export carries the resize.
 *
 * <p>Input shape {@code (h, w, c)}; output {@code (height, width, c)}. With
 * {@code cropToAspectRatio(true)} the largest centred window of the target's aspect ratio is
 * cut out first (as Keras, sizes rounded down), so nothing is stretched. No weights. Defaults:
 * interpolation BILINEAR, no crop.
 *
 * <pre>{@code
 * jshell> Resizing.of(224, 224)
 * $1 ==> Resizing(height=224, width=224)
 * jshell> Resizing.of(96, 96).cropToAspectRatio(true).interpolation(Interpolation.NEAREST)
 * }</pre>
 */
public final class Resizing implements Layer {
  private final int height;
  private final int width;
  private final Interpolation interpolation;
  private final boolean cropToAspectRatio;
  private final String name;

  private Resizing(int height, int width, Interpolation interpolation, boolean crop,
      String name) {
    this.height = height;
    this.width = width;
    this.interpolation = interpolation;
    this.cropToAspectRatio = crop;
    this.name = name;
  }

  /** Images become {@code height x width}, both {@code > 0}. */
  public static Resizing of(int height, int width) {
    Checks.positive("Resizing", "height", height);
    Checks.positive("Resizing", "width", width);
    return new Resizing(height, width, Interpolation.BILINEAR, false, null);
  }

  public Resizing interpolation(Interpolation interpolation) {
    return new Resizing(height, width, Checks.notNull(subject(), "interpolation",
        interpolation), cropToAspectRatio, name);
  }

  /** Whether to cut the centred window of the target's aspect ratio before resizing. */
  public Resizing cropToAspectRatio(boolean crop) {
    return new Resizing(height, width, interpolation, crop, name);
  }

  public Resizing name(String name) {
    return new Resizing(height, width, interpolation, cropToAspectRatio,
        Checks.name("Resizing", name));
  }

  public int height() {
    return height;
  }

  public int width() {
    return width;
  }

  public Interpolation interpolation() {
    return interpolation;
  }

  public boolean cropToAspectRatio() {
    return cropToAspectRatio;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String type() {
    return "Resizing";
  }

  @Override
  public String defaultName() {
    return "resizing";
  }

  @Override
  public Shape outputShape(Shape inputShape) {
    Images.requireImage(subject(), inputShape);
    return Shape.of(height, width, inputShape.get(2));
  }

  @Override
  public Operand<TFloat32> call(LayerContext ctx, Operand<TFloat32> input) {
    Ops tf = ctx.tf();
    Operand<TFloat32> x = input;
    if (cropToAspectRatio) {
      int[] box = cropBox((int) input.shape().get(1), (int) input.shape().get(2));
      x = tf.slice(x, tf.constant(new int[] {0, box[0], box[1], 0}),
          tf.constant(new int[] {-1, box[2], box[3], -1}));
    }
    Operand<TInt32> size = tf.constant(new int[] {height, width});
    return interpolation == Interpolation.BILINEAR
        ? tf.image.resizeBilinear(x, size, ResizeBilinear.halfPixelCenters(true))
        : tf.image.resizeNearestNeighbor(x, size, ResizeNearestNeighbor.halfPixelCenters(true));
  }

  /**
   * {top, left, height, width} of the centred window of the target's aspect ratio in an
   * {@code h x w} image, computed as Keras's TensorFlow backend does (float32, rounded down).
   */
  int[] cropBox(int h, int w) {
    int cropHeight = Math.max(Math.min(h, (int) ((float) (w * height) / width)), 1);
    int cropWidth = Math.max(Math.min(w, (int) ((float) (h * width) / height)), 1);
    return new int[] {(int) ((float) (h - cropHeight) / 2), (int) ((float) (w - cropWidth) / 2),
        cropHeight, cropWidth};
  }

  private String subject() {
    return Checks.subject("Resizing", name);
  }

  /** Keras's config: height, width, interpolation, crop_to_aspect_ratio. */
  @Override
  public Config config() {
    return Config.builder().put("height", height).put("width", width)
        .put("interpolation", interpolation.kerasName())
        .put("crop_to_aspect_ratio", cropToAspectRatio).build();
  }

  /**
   * Rebuilds a Resizing from {@link #config()}. Keras's {@code pad_to_aspect_ratio} and
   * {@code antialias}, which Kava does not implement, are refused when true.
   */
  public static Resizing fromConfig(Config c) {
    for (String unsupported : new String[] {"pad_to_aspect_ratio", "antialias"}) {
      if (c.getBoolean(unsupported, false)) {
        throw Checks.invalid("Resizing", "config " + unsupported, "false (not supported by"
            + " Kava)", true, null);
      }
    }
    return of(c.getInt("height"), c.getInt("width"))
        .interpolation(Interpolation.of(c.getString("interpolation", "bilinear")))
        .cropToAspectRatio(c.getBoolean("crop_to_aspect_ratio", false));
  }

  @Override
  public String toString() {
    return "Resizing(height=" + height + ", width=" + width
        + (interpolation == Interpolation.BILINEAR ? "" : ", interpolation="
        + interpolation.kerasName()) + (cropToAspectRatio ? ", crop_to_aspect_ratio=true" : "")
        + (name == null ? "" : ", name=" + name) + ")";
  }
}
