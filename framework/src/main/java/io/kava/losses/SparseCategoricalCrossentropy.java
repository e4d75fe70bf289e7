package io.kava.losses;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Categorical cross-entropy with integer class labels, Keras's
 * {@code sparse_categorical_crossentropy}.
 *
 * <p>Labels: one class index per sample, shape {@code ()} or {@code (1)}, as floats holding
 * whole numbers in [0, classes). TF-Java has no gradient for
 * {@code SparseSoftmaxCrossEntropyWithLogits}, so the labels are one-hot encoded in the graph
 * and the (differentiable) dense form is used: the same values and gradients.
 *
 * <pre>{@code
 * jshell> model.compile(new RMSprop(), new SparseCategoricalCrossentropy(), new Accuracy())
 * }</pre>
 */
public final class SparseCategoricalCrossentropy implements Loss {

  @Override
  public String name() {
    return "sparse_categorical_crossentropy";
  }

  @Override
  public Shape labelShape(Shape outputShape) {
    return Shape.scalar();
  }

  @Override
  public void checkLabels(FloatNdArray labels, Shape outputShape) {
    long classes = outputShape.get(outputShape.numDimensions() - 1);
    Losses.checkRange("SparseCategoricalCrossentropy", labels, 0, classes - 1, true,
        "The model has " + classes + " output units; labels are class indices.");
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> labels, Predictions p) {
    return CategoricalCrossentropy.crossentropy(tf, oneHot(tf, labels, p.values()), p);
  }

  /** One-hot of float class indices, depth = the predictions' last dimension. */
  static Operand<TFloat32> oneHot(Ops tf, Operand<TFloat32> labels, Operand<TFloat32> like) {
    Operand<TInt32> idx = tf.dtypes.cast(tf.reshape(labels, tf.constant(new long[] {-1})),
        TInt32.class);
    int depth = (int) like.shape().get(like.shape().numDimensions() - 1);
    return tf.oneHot(idx, tf.constant(depth), tf.constant(1f), tf.constant(0f));
  }

  @Override
  public String toString() {
    return "SparseCategoricalCrossentropy()";
  }
}
