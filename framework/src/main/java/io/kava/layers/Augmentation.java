package io.kava.layers;

import io.kava.internal.Checks;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Operation;
import org.tensorflow.op.Ops;
import org.tensorflow.op.image.ImageProjectiveTransformV3;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * What the random augmentation layers share: per-image uniform draws from the layer's
 * stateless seed, the projective warp of the rotation, zoom and translation layers, and the
 * check that the warp, which has no gradient in TensorFlow, sits before every weight.
 */
final class Augmentation {
  private Augmentation() {}

  /**
   * {@code [batch, columns]} values uniform in [0, 1), one row per image, from the layer's
   * per-step seed: reproducible from the fit seed, different every step.
   */
  static Operand<TFloat32> uniform(LayerContext ctx, Operand<TFloat32> images, int columns) {
    Ops tf = ctx.tf();
    Operand<TInt32> batch = tf.slice(tf.shape(images), tf.constant(new int[] {0}),
        tf.constant(new int[] {1}));
    Operand<TInt32> shape = tf.concat(List.of(batch, tf.constant(new int[] {columns})),
        tf.constant(0));
    return tf.random.statelessRandomUniform(shape, ctx.randomSeed());
  }

  /** Column {@code i} of {@code [batch, k]} values, as {@code [batch, 1]}. */
  static Operand<TFloat32> column(Ops tf, Operand<TFloat32> values, int i) {
    return tf.slice(values, tf.constant(new int[] {0, i}), tf.constant(new int[] {-1, 1}));
  }

  /** {@code lower + (upper - lower) * u}, elementwise. */
  static Operand<TFloat32> between(Ops tf, Operand<TFloat32> u, double lower, double upper) {
    return tf.math.add(tf.constant((float) lower), tf.math.mul(u,
        tf.constant((float) (upper - lower))));
  }

  /**
   * Warps each image by its row of {@code [batch, 8]} transforms {@code [a0, a1, a2, b0, b1,
   * b2, c0, c1]}, each mapping an output point (x, y) to the input point it reads, as Keras's
   * {@code affine_transform} on TensorFlow ({@code ImageProjectiveTransformV3}).
   */
  static Operand<TFloat32> warp(Ops tf, Operand<TFloat32> images, List<Operand<TFloat32>> row,
      WarpOptions options) {
    Operand<TFloat32> transforms = tf.concat(row, tf.constant(1));
    long[] dims = images.shape().asArray();
    return tf.image.imageProjectiveTransformV3(images, transforms,
        tf.constant(new int[] {(int) dims[1], (int) dims[2]}),
        tf.constant((float) options.fillValue()), options.interpolation().name(),
        ImageProjectiveTransformV3.fillMode(options.fillMode().name()));
  }

  /**
   * Fails, naming the layer, if {@code input} is computed from a float variable
   * (a weight): TensorFlow has no gradient for {@code ImageProjectiveTransformV3}, so training
   * through the warp would fail later with an opaque native error.
   */
  static void requireNoWeightsBefore(String subject, Operand<TFloat32> input) {
    Deque<GraphOperation> todo = new ArrayDeque<>();
    Set<String> seen = new HashSet<>();
    Operation first = input.op();
    if (!(first instanceof GraphOperation g)) {
      return;
    }
    todo.push(g);
    while (!todo.isEmpty()) {
      GraphOperation op = todo.pop();
      if (!seen.add(op.name())) {
        continue;
      }
      String type = op.type();
      if (("VariableV2".equals(type) || "VarHandleOp".equals(type))
          && op.attributes().getAttrType("dtype") == DataType.DT_FLOAT) {
        // The variable's graph name need not be the weight's Kava name (scopes are made
        // unique per weight), so the message names the rule, not the weight.
        throw Checks.invalid(subject, "position", "before every layer with weights (TensorFlow"
            + " has no gradient for its image warp, ImageProjectiveTransformV3)",
            "a layer after weights", "Put augmentation layers right after the Input.");
      }
      for (Operand<?> in : op.inputs()) {
        if (in.op() instanceof GraphOperation parent) {
          todo.push(parent);
        }
      }
    }
  }
}
