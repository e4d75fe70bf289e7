package io.kava;

/**
 * A source of batches that {@link Sequential#fit(BatchIterator, FitOptions)},
 * {@code evaluate} and {@code predict} consume: a fixed number of batches per epoch, random
 * access to batch {@code i} of the current epoch, and a hook to reshuffle between epochs.
 * The data module's {@code ArrayIterator} and {@code DirectoryIterator} implement it.
 *
 * <p>Kava calls {@link #get(int)} (or, in multi-worker training, {@link #get(int, int, int)})
 * from one background thread at a time (so the next batch is
 * prepared while the model trains on the current one) and {@link #onEpochEnd} only while no
 * {@code get} is running.
 *
 * <pre>{@code
 * jshell> History h = model.fit(gen.flow(x, y, FlowOptions.defaults()), FitOptions.defaults())
 * }</pre>
 */
public interface BatchIterator {

  /** Batches per epoch: {@code ceil(samples / batchSize)}. */
  int size();

  /** Batch {@code index} (0-based) of the current epoch. */
  Batch get(int index);

  /**
   * Samples in batch {@code index} if this iterator knows it without loading the batch, or
   * -1. Iterators that know it get asked for one replica's share of a batch with
   * {@link #get(int, int, int)} in multi-worker training.
   */
  default int rows(int index) {
    return -1;
  }

  /**
   * Rows {@code [from, to)} of batch {@code index}: one replica's share of a global batch in
   * multi-worker training. The default loads the whole batch and keeps those rows; iterators
   * over files override it (with {@link #rows}) so each worker reads only its own files.
   */
  default Batch get(int index, int from, int to) {
    return get(index).rows(from, to);
  }

  /** Called after each epoch; iterators that shuffle draw a new order here. */
  default void onEpochEnd() {}
}
