package io.kava;

/**
 * A source of batches that {@link Sequential#fit(BatchIterator, FitOptions)},
 * {@code evaluate} and {@code predict} consume: a fixed number of batches per epoch, random
 * access to batch {@code i} of the current epoch, and a hook to reshuffle between epochs.
 * The data module's {@code ArrayIterator} and {@code DirectoryIterator} implement it.
 *
 * <p>Kava calls {@link #get} from one background thread at a time (so the next batch is
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

  /** Called after each epoch; iterators that shuffle draw a new order here. */
  default void onEpochEnd() {}
}
