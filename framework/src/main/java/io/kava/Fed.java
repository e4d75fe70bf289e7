package io.kava;

import io.kava.internal.Checks;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * A batch converted to tensors, ready to feed: one per model input and, for training and
 * evaluation, one per output's labels. Closing it frees the native memory.
 */
record Fed(List<TFloat32> xs, List<TFloat32> ys, int size) implements AutoCloseable {

  /**
   * Checks an iterator's batch against a one-input, one-output model's input and label
   * shapes and converts it. Runs on the prefetch thread, so NaN scans cost the training step
   * nothing.
   *
   * @param labelShape null when labels are not needed (predict)
   */
  static Fed of(Batch b, int index, Shape inputShape, Shape labelShape, String model) {
    Shape xs = Data.sampleShape(b.x());
    if (!xs.equals(inputShape)) {
      throw new IllegalArgumentException(model + ": batch " + index + " x must have shape "
          + Checks.batchShape(inputShape) + "; got " + b.x().shape() + ".");
    }
    if (labelShape != null) {
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
      List<TFloat32> y = labelShape == null ? List.of()
          : List.of(Data.tensor(b.y(), labelShape));
      return new Fed(List.of(x), y, b.size());
    } catch (RuntimeException e) {
      x.close();
      throw e;
    }
  }

  /** Builds tensors one by one, closing those already made if a later one fails. */
  static Fed build(int size, List<java.util.function.Supplier<TFloat32>> xs,
      List<java.util.function.Supplier<TFloat32>> ys) {
    List<TFloat32> made = new ArrayList<>();
    try {
      xs.forEach(s -> made.add(s.get()));
      ys.forEach(s -> made.add(s.get()));
    } catch (RuntimeException e) {
      made.forEach(TFloat32::close);
      throw e;
    }
    return new Fed(List.copyOf(made.subList(0, xs.size())),
        List.copyOf(made.subList(xs.size(), made.size())), size);
  }

  @Override
  public void close() {
    xs.forEach(TFloat32::close);
    ys.forEach(TFloat32::close);
  }
}
