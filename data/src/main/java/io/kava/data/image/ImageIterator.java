package io.kava.data.image;

import io.kava.Batch;
import io.kava.BatchIterator;
import io.kava.internal.EpochOrder;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What {@link ArrayIterator} and {@link DirectoryIterator} share: batches over {@code n}
 * samples, a new order each epoch when shuffling, per-image random seeds derived from (seed,
 * epoch, sample) so results do not depend on threads or on the order batches are asked for,
 * and Keras's endless {@link #next()}.
 */
abstract class ImageIterator implements BatchIterator {
  final ImageDataGenerator generator;
  final int batchSize;
  final boolean shuffle;
  final long seed;
  private final int[] order;
  private int epoch;
  private int cursor;

  ImageIterator(ImageDataGenerator generator, int samples, FlowOptions options) {
    this.generator = generator;
    this.batchSize = options.batchSize;
    this.shuffle = options.shuffle;
    this.seed = options.seed != null ? options.seed : ThreadLocalRandom.current().nextLong();
    this.order = new int[samples];
    reorder();
  }

  private void reorder() {
    System.arraycopy(EpochOrder.of(order.length, shuffle, seed, epoch), 0, order, 0,
        order.length);
  }

  /** Compiles the augmentation kernels before the first epoch, when there is augmentation. */
  final void warmUp(long channels) {
    if (generator.augments()) {
      Warp.warmUp((int) channels, generator.fillMode, (float) generator.cval,
          generator.transformInterpolation == Interpolation.BILINEAR);
    }
  }

  /** Number of samples this iterator yields per epoch. */
  public int samples() {
    return order.length;
  }

  @Override
  public int size() {
    return (order.length + batchSize - 1) / batchSize;
  }

  @Override
  public int rows(int index) {
    if (index < 0 || index >= size()) {
      throw new IndexOutOfBoundsException(getClass().getSimpleName() + ": batch index must be in"
          + " [0, " + size() + "); got " + index + ".");
    }
    return (int) Math.min(batchSize, order.length - (long) index * batchSize);
  }

  @Override
  public synchronized Batch get(int index) {
    return get(index, 0, rows(index));
  }

  /**
   * Samples {@code [from, to)} of batch {@code index}, loading only those (a worker's share in
   * multi-worker training reads only its own files); each keeps the augmentation seed it has
   * in the whole batch.
   */
  @Override
  public synchronized Batch get(int index, int from, int to) {
    int rows = rows(index);
    if (from < 0 || from > to || to > rows) {
      throw new IndexOutOfBoundsException(getClass().getSimpleName() + ": rows [from, to) of"
          + " batch " + index + " must satisfy 0 <= from <= to <= " + rows + "; got [" + from
          + ", " + to + ").");
    }
    if (from == to) {
      return BatchIterator.super.get(index, from, to);
    }
    int start = index * batchSize;
    int[] samples = Arrays.copyOfRange(order, start + from, start + to);
    long[] seeds = new long[samples.length];
    for (int i = 0; i < samples.length; i++) {
      seeds[i] = mix(seed, epoch, samples[i]);
    }
    return load(samples, seeds);
  }

  /** The next batch, forever, reshuffling after each epoch (Keras's {@code next()}). */
  public synchronized Batch next() {
    if (cursor >= size()) {
      onEpochEnd();
    }
    return get(cursor++);
  }

  @Override
  public synchronized void onEpochEnd() {
    epoch++;
    cursor = 0;
    reorder();
  }

  /** Loads, augments and standardizes the given samples. */
  abstract Batch load(int[] samples, long[] seeds);

  private static long mix(long seed, int epoch, int sample) {
    long z = seed + 0x9E3779B97F4A7C15L * (epoch + 1) + 0xBF58476D1CE4E5B9L * (sample + 1);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
