package io.kava.losses;

import io.kava.layers.Activation;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Cross-entropy between one-hot (or soft) labels and class probabilities, Keras's
 * {@code categorical_crossentropy}: {@code -sum(y * log(p))} per sample. When the model ends
 * in softmax the loss is computed from the logits (stable for confident predictions).
 *
 * <p>Labels: {@code (classes)} per sample, values in [0, 1].
 *
 * <pre>{@code
 * jshell> model.compile(new Adam(), new CategoricalCrossentropy(), new Accuracy())
 * }</pre>
 */
public final class CategoricalCrossentropy implements Loss {

  @Override
  public String name() {
    return "categorical_crossentropy";
  }

  @Override
  public Shape labelShape(Shape outputShape) {
    return outputShape;
  }

  @Override
  public void checkLabels(FloatNdArray labels, Shape outputShape) {
    Losses.checkRange("CategoricalCrossentropy", labels, 0, 1, false,
        "Use one-hot labels (toCategorical) or SparseCategoricalCrossentropy for class indices.");
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> labels, Predictions p) {
    return crossentropy(tf, labels, p);
  }

  static Operand<TFloat32> crossentropy(Ops tf, Operand<TFloat32> labels, Predictions p) {
    Operand<TFloat32> logits = p.logitsOf(Activation.SOFTMAX);
    if (logits != null) {
      return Losses.mean(tf, tf.nn.softmaxCrossEntropyWithLogits(logits, labels).loss());
    }
    // Keras: rescale so each row sums to one, clip, then -sum(y log p).
    Operand<TFloat32> probs = tf.math.div(p.values(),
        tf.reduceSum(p.values(), Losses.lastAxis(tf), org.tensorflow.op.core.ReduceSum.keepDims(
            true)));
    Operand<TFloat32> perSample = tf.math.neg(tf.reduceSum(
        tf.math.mul(labels, tf.math.log(Losses.clip(tf, probs))), Losses.lastAxis(tf)));
    return Losses.mean(tf, perSample);
  }

  @Override
  public String toString() {
    return "CategoricalCrossentropy()";
  }
}
