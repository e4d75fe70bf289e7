package io.kava;

import io.kava.callbacks.Callback;
import io.kava.internal.Checks;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.tensorflow.ndarray.FloatNdArray;

/**
 * Options of {@link Model#fit}, immutable, with Keras's defaults: 1 epoch, batch size 32,
 * shuffle on, verbose 1, no validation, no callbacks, initial epoch 0, a random seed.
 *
 * <pre>{@code
 * jshell> var opts = FitOptions.defaults().epochs(3).batchSize(64).validationSplit(0.1).seed(42)
 * opts ==> FitOptions(epochs=3, batch_size=64, validation_split=0.1, seed=42)
 * }</pre>
 */
public final class FitOptions {
  private static final FitOptions DEFAULTS = new FitOptions();

  // Set only on a fresh copy inside the setters below, so every instance is immutable.
  private int epochs = 1;
  private int batchSize = 32;
  private boolean shuffle = true;
  private Long seed;
  private int verbose = 1;
  private double validationSplit;
  private NamedArrays validationX;
  private NamedArrays validationY;
  private BatchIterator validationIterator;
  private List<Callback> callbacks = List.of();
  private int initialEpoch;
  private int stepsPerEpoch;
  private PrintStream out;

  private FitOptions() {}

  public static FitOptions defaults() {
    return DEFAULTS;
  }

  private FitOptions copy(Consumer<FitOptions> change) {
    FitOptions c = new FitOptions();
    c.epochs = epochs;
    c.batchSize = batchSize;
    c.shuffle = shuffle;
    c.seed = seed;
    c.verbose = verbose;
    c.validationSplit = validationSplit;
    c.validationX = validationX;
    c.validationY = validationY;
    c.validationIterator = validationIterator;
    c.callbacks = callbacks;
    c.initialEpoch = initialEpoch;
    c.stepsPerEpoch = stepsPerEpoch;
    c.out = out;
    change.accept(c);
    return c;
  }

  /** Number of epochs to train up to (Keras: the final epoch index, with initialEpoch). */
  public FitOptions epochs(int epochs) {
    Checks.positive("FitOptions", "epochs", epochs);
    return copy(c -> c.epochs = epochs);
  }

  /** Samples per training step; the last batch of an epoch may be smaller. Default 32. */
  public FitOptions batchSize(int batchSize) {
    Checks.positive("FitOptions", "batch size", batchSize);
    return copy(c -> c.batchSize = batchSize);
  }

  /** Whether to draw a new sample order each epoch (arrays only). Default true. */
  public FitOptions shuffle(boolean shuffle) {
    return copy(c -> c.shuffle = shuffle);
  }

  /** Seeds shuffling and dropout: the same seed gives the same run. Default random. */
  public FitOptions seed(long seed) {
    return copy(c -> c.seed = seed);
  }

  /** 0 silent, 1 a progress bar per epoch, 2 one line per epoch. Default 1. */
  public FitOptions verbose(int verbose) {
    if (verbose < 0 || verbose > 2) {
      throw Checks.invalid("FitOptions", "verbose", "0, 1 or 2", verbose, null);
    }
    return copy(c -> c.verbose = verbose);
  }

  /**
   * Holds out the LAST {@code fraction} of x and y (before shuffling) for validation, as
   * Keras does. In [0, 1); arrays only.
   */
  public FitOptions validationSplit(double fraction) {
    Checks.inRangeExclusive("FitOptions", "validation split", fraction, 0, 1);
    return copy(c -> c.validationSplit = fraction);
  }

  /** Data evaluated after each epoch (logged as {@code val_loss}, {@code val_accuracy}...). */
  public FitOptions validationData(FloatNdArray x, FloatNdArray y) {
    Checks.notNull("FitOptions", "validation x", x);
    Checks.notNull("FitOptions", "validation y", y);
    return copy(c -> {
      c.validationX = NamedArrays.of(x);
      c.validationY = NamedArrays.of(y);
      c.validationIterator = null;
    });
  }

  /**
   * Validation data with integer labels, as {@link Model#fit(FloatNdArray, int[], FitOptions)}
   * takes them.
   */
  public FitOptions validationData(FloatNdArray x, int[] y) {
    return validationData(x, Data.labels("FitOptions", "validation y", y));
  }

  /** Validation arrays keyed by input and output names, for models with several of them. */
  public FitOptions validationData(Map<String, FloatNdArray> x, Map<String, FloatNdArray> y) {
    Checks.notNull("FitOptions", "validation x", x);
    Checks.notNull("FitOptions", "validation y", y);
    return copy(c -> {
      c.validationX = NamedArrays.of(x);
      c.validationY = NamedArrays.of(y);
      c.validationIterator = null;
    });
  }

  /** Validation batches from an iterator (e.g. a {@code flowFromDirectory} subset). */
  public FitOptions validationData(BatchIterator iterator) {
    Checks.notNull("FitOptions", "validation iterator", iterator);
    return copy(c -> {
      c.validationX = null;
      c.validationY = null;
      c.validationIterator = iterator;
    });
  }

  public FitOptions callbacks(Callback... callbacks) {
    for (Callback cb : callbacks) {
      Checks.notNull("FitOptions", "callback", cb);
    }
    List<Callback> list = List.of(callbacks);
    return copy(c -> c.callbacks = list);
  }

  /** The epoch to start from (0-based), to resume an earlier run. Default 0. */
  public FitOptions initialEpoch(int initialEpoch) {
    if (initialEpoch < 0) {
      throw Checks.invalid("FitOptions", "initial epoch", ">= 0", initialEpoch, null);
    }
    return copy(c -> c.initialEpoch = initialEpoch);
  }

  /**
   * Training steps per epoch, as Keras's {@code steps_per_epoch}. By default an epoch is one
   * pass over the data. More steps than the data has batches continue into the next pass
   * (the data is reshuffled at each pass's end), so {@code stepsPerEpoch(2.5 * batches)}
   * over an augmenting generator trains on 150% more images per epoch than the data set
   * holds; fewer steps end the epoch early and the next epoch continues where it stopped.
   */
  public FitOptions stepsPerEpoch(int steps) {
    Checks.positive("FitOptions", "steps per epoch", steps);
    return copy(c -> c.stepsPerEpoch = steps);
  }

  /** Where progress lines go. Default {@code System.out}. */
  public FitOptions printTo(PrintStream out) {
    Objects.requireNonNull(out, "FitOptions: out must be non-null");
    return copy(c -> c.out = out);
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

  /** The validation inputs given to {@link #validationData}, or null. */
  NamedArrays validationX() {
    return validationX;
  }

  /** The validation labels given to {@link #validationData}, or null. */
  NamedArrays validationY() {
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

  /** Steps per epoch, or 0 for one pass over the data (the default). */
  public int stepsPerEpoch() {
    return stepsPerEpoch;
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
    if (stepsPerEpoch > 0) {
      b.append(", steps_per_epoch=").append(stepsPerEpoch);
    }
    if (seed != null) {
      b.append(", seed=").append(seed);
    }
    return b.append(')').toString();
  }
}
