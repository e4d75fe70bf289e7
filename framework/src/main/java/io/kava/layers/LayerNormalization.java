package io.kava.layers;

import io.kava.internal.Checks;
import io.kava.saving.Config;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Normalizes each sample over its own features, Keras's {@code LayerNormalization}: unlike
 * {@link BatchNormalization} it uses no batch statistics, so training and inference compute
 * the same thing. Output {@code gamma * (x - mean) / sqrt(var + epsilon) + beta}, with mean and
 * variance taken per sample over the normalized axes.
 *
 * <p>Axes count the batch dimension as Keras does: {@code -1} (the default) is the last axis,
 * {@code 1} the first per-sample axis. Input and output shape: any; same shape. Weights, of
 * the input's sizes along the axes: {@code gamma} (ones), {@code beta} (zeros). Defaults: axis
 * -1, epsilon 0.001, center and scale on.
 *
 * <pre>{@code
 * jshell> LayerNormalization.of()
 * $1 ==> LayerNormalization()
 * jshell> LayerNormalization.of().axis(1, 2, 3).epsilon(1e-6)  // over a whole image
 * }</pre>
 */
public final class LayerNormalization implements Layer {
  private final int[] axes;
  private final double epsilon;
  private final boolean center;
  private final boolean scale;
  private final String name;

  private LayerNormalization(int[] axes, double epsilon, boolean center, boolean scale,
      String name) {
    this.axes = axes;
    this.epsilon = epsilon;
    this.center = center;
    this.scale = scale;
    this.name = name;
  }

  public static LayerNormalization of() {
    return new LayerNormalization(new int[] {-1}, 1e-3, true, true, null);
  }

  /** The axes to normalize over, batch counted: negative from the end; 0 is not allowed. */
  public LayerNormalization axis(int... axes) {
    if (axes == null || axes.length == 0 || Arrays.stream(axes).anyMatch(a -> a == 0)) {
      throw Checks.invalid(subject(), "axis", "one or more per-sample axes (not 0, the batch)",
          axes == null ? null : Arrays.toString(axes), "Use -1 for the last axis.");
    }
    return new LayerNormalization(axes.clone(), epsilon, center, scale, name);
  }

  public LayerNormalization epsilon(double epsilon) {
    Checks.positive(subject(), "epsilon", epsilon);
    return new LayerNormalization(axes, epsilon, center, scale, name);
  }

  /** Whether to add the learned offset {@code beta}. */
  public LayerNormalization center(boolean center) {
    return new LayerNormalization(axes, epsilon, center, scale, name);
  }

  /** Whether to multiply by the learned factor {@code gamma}. */
  public LayerNormalization scale(boolean scale) {
    return new LayerNormalization(axes, epsilon, center, scale, name);
  }

  public LayerNormalization name(String name) {
    return new LayerNormalization(axes, epsilon, center, scale,
        Checks.name("LayerNormalization", name));
  }

  /** The axes as given (batch counted). */
  public int[] axis() {
    return axes.clone();
  }

  public double epsilon() {
    return epsilon;
  }

  public boolean center() {
    return center;
  }

  public boolean scale() {
    return scale;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String type() {
    return "LayerNormalization";
  }

  @Override
  public String defaultName() {
    return "layer_normalization";
  }

  @Override
  public Shape outputShape(Shape inputShape) {
    sampleAxes(inputShape.numDimensions());
    return inputShape;
  }

  /** The per-sample indices (0-based, ascending, distinct) of the axes for that rank. */
  private int[] sampleAxes(int rank) {
    TreeSet<Integer> out = new TreeSet<>();
    for (int a : axes) {
      int i = a < 0 ? rank + a : a - 1;
      if (i < 0 || i >= rank) {
        throw Checks.invalid(subject(), "axis", "within the input's " + (rank + 1)
            + " dimensions (batch included)", a, null);
      }
      out.add(i);
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  /** The shape of gamma and beta: the input's sizes along the axes. */
  private Shape paramShape(Shape input) {
    int[] a = sampleAxes(input.numDimensions());
    long[] dims = new long[a.length];
    for (int i = 0; i < a.length; i++) {
      dims[i] = input.get(a[i]);
    }
    return Shape.of(dims);
  }

  @Override
  public List<WeightSpec> weights(Shape inputShape) {
    Shape p = paramShape(inputShape);
    List<WeightSpec> w = new ArrayList<>(2);
    if (scale) {
      w.add(WeightSpec.trainable("gamma", p, Initializer.ones(), null));
    }
    if (center) {
      w.add(WeightSpec.trainable("beta", p, Initializer.zeros(), null));
    }
    return w;
  }

  @Override
  public Operand<TFloat32> call(LayerContext ctx, Operand<TFloat32> input) {
    Ops tf = ctx.tf();
    int rank = input.shape().numDimensions() - 1;
    int[] a = sampleAxes(rank);
    int[] batchAxes = Arrays.stream(a).map(i -> i + 1).toArray();
    Operand<TInt32> reduce = tf.constant(batchAxes);
    Operand<TFloat32> mean = tf.math.mean(input, reduce, Mean.keepDims(true));
    Operand<TFloat32> variance = tf.math.mean(tf.math.squaredDifference(input,
        tf.stopGradient(mean)), reduce, Mean.keepDims(true));
    Operand<TFloat32> inv = tf.math.rsqrt(tf.math.add(variance, tf.constant((float) epsilon)));
    // gamma and beta hold only the normalized axes: give them size 1 along the others.
    long[] broadcast = new long[rank + 1];
    Arrays.fill(broadcast, 1);
    for (int i : batchAxes) {
      broadcast[i] = input.shape().get(i);
    }
    if (scale) {
      inv = tf.math.mul(inv, tf.reshape(ctx.weight("gamma"), tf.constant(broadcast)));
    }
    Operand<TFloat32> y = tf.math.mul(tf.math.sub(input, mean), inv);
    return center ? tf.math.add(y, tf.reshape(ctx.weight("beta"), tf.constant(broadcast))) : y;
  }

  private String subject() {
    return Checks.subject("LayerNormalization", name);
  }

  /** Keras's config: axis (a number, or a list for several), epsilon, center, scale. */
  @Override
  public Config config() {
    return Config.builder().put("axis", axes.length == 1 ? (Object) axes[0] : axes)
        .put("epsilon", epsilon).put("center", center).put("scale", scale).build();
  }

  /** Rebuilds a LayerNormalization from {@link #config()}; missing keys take the defaults. */
  public static LayerNormalization fromConfig(Config c) {
    LayerNormalization d = of();
    return d.axis(c.getInts("axis", d.axes)).epsilon(c.getDouble("epsilon", d.epsilon))
        .center(c.getBoolean("center", d.center)).scale(c.getBoolean("scale", d.scale));
  }

  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    if (axes.length != 1 || axes[0] != -1) {
      parts.add("axis=" + (axes.length == 1 ? Integer.toString(axes[0])
          : Arrays.toString(axes)));
    }
    if (epsilon != 1e-3) {
      parts.add("epsilon=" + epsilon);
    }
    if (!center) {
      parts.add("center=false");
    }
    if (!scale) {
      parts.add("scale=false");
    }
    if (name != null) {
      parts.add("name=" + name);
    }
    return "LayerNormalization(" + String.join(", ", parts) + ")";
  }
}
