package io.kava;

import io.kava.internal.EpochOrder;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/** Batches over in-memory arrays: the samples {@code [0, count)}, reshuffled each epoch. */
final class ArrayBatches implements BatchIterator {
  private final FloatNdArray x;
  private final FloatNdArray y;
  private final long[] order;
  private final int batchSize;
  private final boolean shuffle;
  private final long seed;
  private int epoch;

  ArrayBatches(FloatNdArray x, FloatNdArray y, long count, int batchSize, boolean shuffle,
      long seed, int firstEpoch) {
    this.x = x;
    this.y = y;
    this.order = new long[Math.toIntExact(count)];
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.seed = seed;
    this.epoch = firstEpoch;
    reorder();
  }

  private void reorder() {
    int[] o = EpochOrder.of(order.length, shuffle, seed, epoch);
    for (int i = 0; i < o.length; i++) {
      order[i] = o[i];
    }
  }

  @Override
  public int size() {
    return (order.length + batchSize - 1) / batchSize;
  }

  @Override
  public Batch get(int index) {
    long[] idx = indices(index);
    return new Batch(Data.gather(x, idx), y == null ? null : Data.gather(y, idx));
  }

  /**
   * Batch {@code index} copied straight into tensors of the model's shapes. The arrays were
   * checked (shapes, NaN) once before training, so this fast path checks nothing again.
   */
  Fed fed(int index, Shape inputShape, Shape labelShape) {
    long[] idx = indices(index);
    TFloat32 xt = Data.gatherTensor(x, idx, inputShape);
    try {
      return new Fed(xt, labelShape == null ? null : Data.gatherTensor(y, idx, labelShape),
          idx.length);
    } catch (RuntimeException e) {
      xt.close();
      throw e;
    }
  }

  private long[] indices(int index) {
    int from = index * batchSize;
    int to = Math.min(order.length, from + batchSize);
    return java.util.Arrays.copyOfRange(order, from, to);
  }

  @Override
  public void onEpochEnd() {
    epoch++;
    reorder();
  }

  @Override
  public String toString() {
    return "ArrayBatches(samples=" + order.length + ", batch_size=" + batchSize + ")";
  }
}
