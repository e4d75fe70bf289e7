package io.kava;

import io.kava.callbacks.Callback;
import io.kava.internal.Checks;
import java.io.PrintStream;
import java.util.List;
import java.util.Objects;
import org.tensorflow.ndarray.FloatNdArray;

/**
 * Options of {@link Sequential#fit}, immutable, with Keras's defaults: 1 epoch, batch size 32,
 * shuffle on, verbose 1, no validation, no callbacks, initial epoch 0, a random seed.
 *
 * <pre>{@code
 * jshell> var opts = FitOptions.defaults().epochs(3).batchSize(64).validationSplit(0.1).seed(42)
 * opts ==> FitOptions(epochs=3, batch_size=64, validation_split=0.1, seed=42)
 * }</pre>
 */
public final class FitOptions {
  private static final FitOptions DEFAULTS = new FitOptions(1, 32, true, null, 1, 0, null, null,
      null, List.of(), 0, null);

  private final int epochs;
  private final int batchSize;
  private final boolean shuffle;
  private final Long seed;
  private final int verbose;
  private final double validationSplit;
  private final FloatNdArray validationX;
  private final FloatNdArray validationY;
  private final BatchIterator validationIterator;
  private final List<Callback> callbacks;
  private final int initialEpoch;
  private final PrintStream out;

  private FitOptions(int epochs, int batchSize, boolean shuffle, Long seed, int verbose,
      double validationSplit, FloatNdArray validationX, FloatNdArray validationY,
      BatchIterator validationIterator, List<Callback> callbacks, int initialEpoch,
      PrintStream out) {
    this.epochs = epochs;
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.seed = seed;
    this.verbose = verbose;
    this.validationSplit = validationSplit;
    this.validationX = validationX;
    this.validationY = validationY;
    this.validationIterator = validationIterator;
    this.callbacks = callbacks;
    this.initialEpoch = initialEpoch;
    this.out = out;
  }

  public static FitOptions defaults() {
    return DEFAULTS;
  }

  private FitOptions copy(int epochs, int batchSize, boolean shuffle, Long seed, int verbose,
      double split, FloatNdArray vx, FloatNdArray vy, BatchIterator vi, List<Callback> cbs,
      int initialEpoch, PrintStream out) {
    return new FitOptions(epochs, batchSize, shuffle, seed, verbose, split, vx, vy, vi, cbs,
        initialEpoch, out);
  }

  /** Number of epochs to train up to (Keras: the final epoch index, with initialEpoch). */
  public FitOptions epochs(int epochs) {
    Checks.positive("FitOptions", "epochs", epochs);
    return copy(epochs, batchSize, shuffle, seed, verbose, validationSplit, validationX,
        validationY, validationIterator, callbacks, initialEpoch, out);
  }

  /** Samples per training step; the last batch of an epoch may be smaller. Default 32. */
  public FitOptions batchSize(int batchSize) {
    Checks.positive("FitOptions", "batch size", batchSize);
    return copy(epochs, batchSize, shuffle, seed, verbose, validationSplit, validationX,
        validationY, validationIterator, callbacks, initialEpoch, out);
  }

  /** Whether to draw a new sample order each epoch (arrays only). Default true. */
  public FitOptions shuffle(boolean shuffle) {
    return copy(epochs, batchSize, shuffle, seed, verbose, validationSplit, validationX,
        validationY, validationIterator, callbacks, initialEpoch, out);
  }

  /** Seeds shuffling and dropout: the same seed gives the same run. Default random. */
  public FitOptions seed(long seed) {
    return copy(epochs, batchSize, shuffle, seed, verbose, validationSplit, validationX,
        validationY, validationIterator, callbacks, initialEpoch, out);
  }

  /** 0 silent, 1 a progress bar per epoch, 2 one line per epoch. Default 1. */
  public FitOptions verbose(int verbose) {
    if (verbose < 0 || verbose > 2) {
      throw Checks.invalid("FitOptions", "verbose", "0, 1 or 2", verbose, null);
    }
    return copy(epochs, batchSize, shuffle, seed, verbose, validationSplit, validationX,
        validationY, validationIterator, callbacks, initialEpoch, out);
  }

  /**
   * Holds out the LAST {@code fraction} of x and y (before shuffling) for validation, as
   * Keras does. In [0, 1); arrays only.
   */
  public FitOptions validationSplit(double fraction) {
    Checks.inRangeExclusive("FitOptions", "validation split", fraction, 0, 1);
    return copy(epochs, batchSize, shuffle, seed, verbose, fraction, validationX, validationY,
        validationIterator, callbacks, initialEpoch, out);
  }

  /** Data evaluated after each epoch (logged as {@code val_loss}, {@code val_accuracy}...). */
  public FitOptions validationData(FloatNdArray x, FloatNdArray y) {
    Checks.notNull("FitOptions", "validation x", x);
    Checks.notNull("FitOptions", "validation y", y);
    return copy(epochs, batchSize, shuffle, seed, verbose, validationSplit, x, y, null,
        callbacks, initialEpoch, out);
  }

  /** Validation batches from an iterator (e.g. a {@code flowFromDirectory} subset). */
  public FitOptions validationData(BatchIterator iterator) {
    Checks.notNull("FitOptions", "validation iterator", iterator);
    return copy(epochs, batchSize, shuffle, seed, verbose, validationSplit, null, null,
        iterator, callbacks, initialEpoch, out);
  }

  public FitOptions callbacks(Callback... callbacks) {
    for (Callback c : callbacks) {
      Checks.notNull("FitOptions", "callback", c);
    }
    return copy(epochs, batchSize, shuffle, seed, verbose, validationSplit, validationX,
        validationY, validationIterator, List.of(callbacks), initialEpoch, out);
  }

  /** The epoch to start from (0-based), to resume an earlier run. Default 0. */
  public FitOptions initialEpoch(int initialEpoch) {
    if (initialEpoch < 0) {
      throw Checks.invalid("FitOptions", "initial epoch", ">= 0", initialEpoch, null);
    }
    return copy(epochs, batchSize, shuffle, seed, verbose, validationSplit, validationX,
        validationY, validationIterator, callbacks, initialEpoch, out);
  }

  /** Where progress lines go. Default {@code System.out}. */
  public FitOptions printTo(PrintStream out) {
    return copy(epochs, batchSize, shuffle, seed, verbose, validationSplit, validationX,
        validationY, validationIterator, callbacks, initialEpoch,
        Objects.requireNonNull(out, "FitOptions: out must be non-null"));
  }

  public int epochs() {
    return epochs;
  }

  public int batchSize() {
    return batchSize;
  }

  public boolean shuffle() {
    return shuffle;
  }

  /** The seed, or null if none was set. */
  public Long seed() {
    return seed;
  }

  public int verbose() {
    return verbose;
  }

  public double validationSplit() {
    return validationSplit;
  }

  public FloatNdArray validationX() {
    return validationX;
  }

  public FloatNdArray validationY() {
    return validationY;
  }

  public BatchIterator validationIterator() {
    return validationIterator;
  }

  public List<Callback> callbacks() {
    return callbacks;
  }

  public int initialEpoch() {
    return initialEpoch;
  }

  /** Where progress goes: the stream given to {@link #printTo}, else the current System.out. */
  public PrintStream out() {
    return out != null ? out : System.out;
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("FitOptions(epochs=").append(epochs)
        .append(", batch_size=").append(batchSize);
    if (!shuffle) {
      b.append(", shuffle=false");
    }
    if (verbose != 1) {
      b.append(", verbose=").append(verbose);
    }
    if (validationSplit > 0) {
      b.append(", validation_split=").append(validationSplit);
    }
    if (validationX != null || validationIterator != null) {
      b.append(", validation_data=yes");
    }
    if (!callbacks.isEmpty()) {
      b.append(", callbacks=").append(callbacks.size());
    }
    if (initialEpoch > 0) {
      b.append(", initial_epoch=").append(initialEpoch);
    }
    if (seed != null) {
      b.append(", seed=").append(seed);
    }
    return b.append(')').toString();
  }
}
