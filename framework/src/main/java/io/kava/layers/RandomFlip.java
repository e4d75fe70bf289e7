package io.kava.layers;

import io.kava.internal.Checks;
import io.kava.saving.Config;
import java.util.Locale;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * Flips images at random while training, Keras's {@code RandomFlip}: each image is flipped
 * with probability 1/2. Only on the training path: at inference ({@code predict},
 * {@code evaluate}, exports) it is the identity. Draws come from stateless random ops seeded
 * by the fit seed and the step, as {@link Dropout}'s, so a fit is reproducible.
 *
 * <p>As in Keras 3, HORIZONTAL_AND_VERTICAL draws once per image for both flips: an image is
 * either unchanged or turned 180 degrees (tf.keras 2 drew the two flips independently).
 *
 * <p>Input shape {@code (h, w, c)}; same output shape. No weights. Default mode:
 * HORIZONTAL_AND_VERTICAL (Keras's). Flipping has a gradient, so the layer may sit anywhere.
 *
 * <pre>{@code
 * jshell> RandomFlip.of(RandomFlip.Mode.HORIZONTAL)
 * $1 ==> RandomFlip(mode=horizontal)
 * }</pre>
 */
public final class RandomFlip implements Layer {

  /** Which flips a RandomFlip makes. */
  public enum Mode {
    /** Left-right. */
    HORIZONTAL,
    /** Top-bottom. */
    VERTICAL,
    /** Both at once (one draw per image, as Keras 3). */
    HORIZONTAL_AND_VERTICAL;

    /** Keras's string form: {@code "horizontal"}, {@code "horizontal_and_vertical"}... */
    public String kerasName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** Parses Keras's string form, case-insensitively. */
    public static Mode of(String keras) {
      for (Mode m : values()) {
        if (m.name().equalsIgnoreCase(keras)) {
          return m;
        }
      }
      throw new IllegalArgumentException("RandomFlip: mode must be 'horizontal', 'vertical' or"
          + " 'horizontal_and_vertical'; got '" + keras + "'.");
    }
  }

  private final Mode mode;
  private final String name;

  private RandomFlip(Mode mode, String name) {
    this.mode = mode;
    this.name = name;
  }

  /** Flips horizontally and vertically (Keras's default). */
  public static RandomFlip of() {
    return of(Mode.HORIZONTAL_AND_VERTICAL);
  }

  public static RandomFlip of(Mode mode) {
    return new RandomFlip(Checks.notNull("RandomFlip", "mode", mode), null);
  }

  public RandomFlip name(String name) {
    return new RandomFlip(mode, Checks.name("RandomFlip", name));
  }

  public Mode mode() {
    return mode;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String type() {
    return "RandomFlip";
  }

  @Override
  public String defaultName() {
    return "random_flip";
  }

  @Override
  public Shape outputShape(Shape inputShape) {
    Images.requireImage(Checks.subject("RandomFlip", name), inputShape);
    return inputShape;
  }

  @Override
  public Operand<TFloat32> call(LayerContext ctx, Operand<TFloat32> input) {
    if (!ctx.training()) {
      return input;
    }
    Ops tf = ctx.tf();
    // One draw per image, shaped to broadcast over it: flipped where u <= 0.5, as Keras.
    Operand<TFloat32> u = tf.reshape(Augmentation.uniform(ctx, input, 1),
        tf.constant(new int[] {-1, 1, 1, 1}));
    Operand<TBool> flips = tf.math.lessEqual(u, tf.constant(0.5f));
    Operand<TFloat32> y = input;
    if (mode != Mode.VERTICAL) {
      y = tf.select(flips, tf.reverse(y, tf.constant(new int[] {2})), y);
    }
    if (mode != Mode.HORIZONTAL) {
      y = tf.select(flips, tf.reverse(y, tf.constant(new int[] {1})), y);
    }
    return y;
  }

  /** Keras's config: mode. */
  @Override
  public Config config() {
    return Config.builder().put("mode", mode.kerasName()).build();
  }

  /** Rebuilds a RandomFlip from {@link #config()}; a missing mode is Keras's default. */
  public static RandomFlip fromConfig(Config c) {
    return of(Mode.of(c.getString("mode", Mode.HORIZONTAL_AND_VERTICAL.kerasName())));
  }

  @Override
  public String toString() {
    return "RandomFlip(" + (mode == Mode.HORIZONTAL_AND_VERTICAL ? "" : "mode="
        + mode.kerasName()) + (name == null ? "" : (mode == Mode.HORIZONTAL_AND_VERTICAL ? ""
        : ", ") + "name=" + name) + ")";
  }
}
