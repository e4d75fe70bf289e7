package io.kava;

import io.kava.internal.Checks;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/** A batch converted to tensors, ready to feed; closing it frees the native memory. */
record Fed(TFloat32 x, TFloat32 y, int size) implements AutoCloseable {

  /**
   * Checks a batch against the model's input and label shapes and converts it. Runs on the
   * prefetch thread, so NaN scans cost the training step nothing.
   */
  static Fed of(Batch b, int index, Shape inputShape, Shape labelShape, boolean needLabels,
      String model) {
    Shape xs = Data.sampleShape(b.x());
    if (!xs.equals(inputShape)) {
      throw new IllegalArgumentException(model + ": batch " + index + " x must have shape "
          + Checks.batchShape(inputShape) + "; got " + b.x().shape() + ".");
    }
    if (needLabels) {
      if (b.y() == null) {
        throw new IllegalArgumentException(model + ": batch " + index
            + " has no labels (y is null); training and evaluation need labels.");
      }
      if (!Data.compatible(Data.sampleShape(b.y()), labelShape)) {
        throw new IllegalArgumentException(model + ": batch " + index + " y must have shape "
            + Checks.batchShape(labelShape) + "; got " + b.y().shape() + ".");
      }
      long bad = Data.firstNonFinite(b.y());
      if (bad >= 0) {
        throw new IllegalArgumentException(model + ": y must be finite; got NaN or infinity"
            + " in batch " + index + ", sample " + bad + ".");
      }
    }
    long bad = Data.firstNonFinite(b.x());
    if (bad >= 0) {
      throw new IllegalArgumentException(model + ": x must be finite; got NaN or infinity in"
          + " batch " + index + ", sample " + bad + ".");
    }
    TFloat32 x = Data.tensor(b.x(), inputShape);
    try {
      TFloat32 y = needLabels ? Data.tensor(b.y(), labelShape) : null;
      return new Fed(x, y, b.size());
    } catch (RuntimeException e) {
      x.close();
      throw e;
    }
  }

  @Override
  public void close() {
    x.close();
    if (y != null) {
      y.close();
    }
  }
}
