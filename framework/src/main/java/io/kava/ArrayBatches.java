package io.kava;

import io.kava.internal.EpochOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * Batches over in-memory arrays (one per model input, one per output's labels): the samples
 * {@code [0, count)}, reshuffled each epoch.
 */
final class ArrayBatches implements BatchIterator {
  private final List<FloatNdArray> xs;
  private final List<FloatNdArray> ys;
  private final long[] order;
  private final int batchSize;
  private final boolean shuffle;
  private final long seed;
  private int epoch;

  /**
   * Batches over the given arrays.
   *
   * @param ys empty for prediction
   */
  ArrayBatches(List<FloatNdArray> xs, List<FloatNdArray> ys, long count, int batchSize,
      boolean shuffle, long seed, int firstEpoch) {
    this.xs = List.copyOf(xs);
    this.ys = List.copyOf(ys);
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

  /** Batch {@code index} of the first input and output, for the iterator contract. */
  @Override
  public Batch get(int index) {
    long[] idx = indices(index);
    return new Batch(Data.gather(xs.get(0), idx), ys.isEmpty() ? null
        : Data.gather(ys.get(0), idx));
  }

  /**
   * Batch {@code index} copied straight into tensors of the model's shapes. The arrays were
   * checked (shapes, NaN) once before training, so this fast path checks nothing again.
   *
   * @param labelShapes empty when labels are not needed
   */
  Fed fed(int index, List<Shape> inputShapes, List<Shape> labelShapes) {
    return fed(indices(index), inputShapes, labelShapes);
  }

  /** A replica's rows of batch {@code index}, as {@link #fed(int, List, List)}. */
  Fed fed(int index, Shard shard, List<Shape> inputShapes, List<Shape> labelShapes) {
    long[] all = indices(index);
    return fed(Arrays.copyOfRange(all, shard.from(all.length),
        shard.to(all.length)), inputShapes, labelShapes);
  }

  /** Samples in batch {@code index}: the batch size, or fewer in the last batch. */
  @Override
  public int rows(int index) {
    return Math.min(order.length, index * batchSize + batchSize) - index * batchSize;
  }

  private Fed fed(long[] idx, List<Shape> inputShapes, List<Shape> labelShapes) {
    List<Supplier<TFloat32>> x = new ArrayList<>();
    for (int i = 0; i < xs.size(); i++) {
      FloatNdArray a = xs.get(i);
      Shape s = inputShapes.get(i);
      x.add(() -> Data.gatherTensor(a, idx, s));
    }
    List<Supplier<TFloat32>> y = new ArrayList<>();
    for (int o = 0; o < labelShapes.size(); o++) {
      FloatNdArray a = ys.get(o);
      Shape s = labelShapes.get(o);
      y.add(() -> Data.gatherTensor(a, idx, s));
    }
    return Fed.build(idx.length, x, y);
  }

  private long[] indices(int index) {
    int from = index * batchSize;
    int to = Math.min(order.length, from + batchSize);
    return Arrays.copyOfRange(order, from, to);
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
