package io.kava.losses;

import io.kava.layers.Activation;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Binary cross-entropy, Keras's {@code binary_crossentropy}: per sample the mean over units of
 * {@code -(y log p + (1 - y) log(1 - p))}. When the model ends in sigmoid the loss is computed
 * from the logits as {@code max(z, 0) - z*y + log(1 + exp(-|z|))}, which never overflows.
 *
 * <p>Labels: the output's shape ({@code (1)} for one sigmoid unit; a plain vector of 0/1 is
 * accepted too), values in [0, 1].
 *
 * <pre>{@code
 * jshell> model.compile(new SGD(0.01), new BinaryCrossentropy(), new Accuracy())
 * }</pre>
 */
public final class BinaryCrossentropy implements Loss {

  @Override
  public String name() {
    return "binary_crossentropy";
  }

  @Override
  public Shape labelShape(Shape outputShape) {
    return outputShape;
  }

  @Override
  public void checkLabels(FloatNdArray labels, Shape outputShape) {
    Losses.checkRange("BinaryCrossentropy", labels, 0, 1, false,
        "Binary labels are 0 or 1 (or a probability).");
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> labels, Predictions p) {
    Operand<TFloat32> z = p.logitsOf(Activation.SIGMOID);
    Operand<TFloat32> elementwise;
    if (z != null) {
      elementwise = tf.math.add(tf.math.sub(tf.nn.relu(z), tf.math.mul(z, labels)),
          tf.math.log1p(tf.math.exp(tf.math.neg(tf.math.abs(z)))));
    } else {
      Operand<TFloat32> q = Losses.clip(tf, p.values());
      Operand<TFloat32> one = tf.constant(1f);
      elementwise = tf.math.neg(tf.math.add(tf.math.mul(labels, tf.math.log(q)),
          tf.math.mul(tf.math.sub(one, labels), tf.math.log(tf.math.sub(one, q)))));
    }
    return Losses.mean(tf, tf.math.mean(elementwise, Losses.lastAxis(tf)));
  }

  @Override
  public String toString() {
    return "BinaryCrossentropy()";
  }
}
