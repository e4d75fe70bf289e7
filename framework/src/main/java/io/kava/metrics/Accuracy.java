package io.kava.metrics;

import io.kava.losses.Loss;
import io.kava.losses.SparseCategoricalCrossentropy;
import io.kava.saving.Config;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Keras's {@code "accuracy"}: the fraction of samples predicted right, resolved from the
 * model as Keras does: binary accuracy (threshold 0.5) when the output's last dimension is 1,
 * sparse categorical accuracy when labels are class indices (sparse loss), categorical
 * accuracy (argmax of labels vs argmax of predictions) otherwise. Logged as {@code accuracy}.
 *
 * <pre>{@code
 * jshell> model.compile(new Adam(), new CategoricalCrossentropy(), new Accuracy())
 * }</pre>
 */
public final class Accuracy implements Metric {

  /** How labels and predictions are compared. */
  public enum Kind {
    /** {@code (p > 0.5) == y}, averaged over units. */
    BINARY,
    /** {@code argmax(p) == argmax(y)}. */
    CATEGORICAL,
    /** {@code argmax(p) == y}. */
    SPARSE_CATEGORICAL
  }

  private final Kind kind;

  /** Keras's {@code "accuracy"}: the kind is resolved when the model compiles. */
  public Accuracy() {
    this(null);
  }

  private Accuracy(Kind kind) {
    this.kind = kind;
  }

  /** Always binary accuracy (Keras's {@code binary_accuracy}), still logged as accuracy. */
  public static Accuracy binary() {
    return new Accuracy(Kind.BINARY);
  }

  public static Accuracy categorical() {
    return new Accuracy(Kind.CATEGORICAL);
  }

  public static Accuracy sparseCategorical() {
    return new Accuracy(Kind.SPARSE_CATEGORICAL);
  }

  /** The fixed kind, or null for Keras's "accuracy" (resolved per model). */
  public Kind kind() {
    return kind;
  }

  /** The kind this metric uses for a model, resolved as Keras resolves "accuracy". */
  public Kind resolve(Loss loss, Shape outputShape) {
    if (kind != null) {
      return kind;
    }
    if (outputShape.numDimensions() > 0
        && outputShape.get(outputShape.numDimensions() - 1) == 1) {
      return Kind.BINARY;
    }
    if (loss instanceof SparseCategoricalCrossentropy
        || loss.labelShape(outputShape).numDimensions() < outputShape.numDimensions()) {
      return Kind.SPARSE_CATEGORICAL;
    }
    return Kind.CATEGORICAL;
  }

  @Override
  public String name() {
    return "accuracy";
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> labels, Operand<TFloat32> predictions,
      Loss loss, Shape outputShape) {
    Operand<TFloat32> hits = switch (resolve(loss, outputShape)) {
      case BINARY -> tf.dtypes.cast(tf.math.equal(
          tf.dtypes.cast(tf.math.greater(predictions, tf.constant(0.5f)), TFloat32.class),
          labels), TFloat32.class);
      case CATEGORICAL -> tf.dtypes.cast(tf.math.equal(argmax(tf, predictions),
          argmax(tf, labels)), TFloat32.class);
      case SPARSE_CATEGORICAL -> tf.dtypes.cast(tf.math.equal(argmax(tf, predictions),
          tf.dtypes.cast(tf.reshape(labels, tf.constant(new long[] {-1})), TInt64.class)),
          TFloat32.class);
    };
    return tf.math.mean(hits, tf.range(tf.constant(0), tf.rank(hits), tf.constant(1)));
  }

  private static Operand<TInt64> argmax(Ops tf, Operand<TFloat32> x) {
    return tf.math.argMax(x, tf.constant(-1), TInt64.class);
  }

  /** The kind when fixed: {@code {"kind": "binary"}}; empty for Keras's "accuracy". */
  @Override
  public Config config() {
    return kind == null ? Config.EMPTY : Config.builder()
        .put("kind", kind.name().toLowerCase(java.util.Locale.ROOT)).build();
  }

  /** Rebuilds an Accuracy from {@link #config()}. */
  public static Accuracy fromConfig(Config c) {
    String k = c.getString("kind", null);
    return k == null ? new Accuracy()
        : new Accuracy(Kind.valueOf(k.toUpperCase(java.util.Locale.ROOT)));
  }

  @Override
  public String toString() {
    return kind == null ? "Accuracy()" : "Accuracy(" + kind.name().toLowerCase() + ")";
  }
}
