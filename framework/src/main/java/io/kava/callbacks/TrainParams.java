package io.kava.callbacks;

import java.io.PrintStream;

/**
 * What a {@code fit} tells its callbacks before it starts, as Keras's {@code callback.params}:
 * the epochs it runs to, the steps per epoch, the verbosity and the stream it prints to, so
 * a callback's messages land beside the progress bar.
 *
 * @param epochs the epoch count {@code fit} trains up to
 * @param steps training steps per epoch
 * @param verbose 0 silent, 1 progress bar, 2 one line per epoch
 * @param out where the fit prints
 * @param chief false on every replica but the chief (worker 0) of a distributed fit: callbacks
 *     that write files (checkpoints, logs) write only on the chief, as Keras's
 *
 * <pre>{@code
 * jshell> public void setParams(TrainParams p) { this.out = p.out(); }
 * }</pre>
 */
public record TrainParams(int epochs, int steps, int verbose, PrintStream out, boolean chief) {

  /** The parameters of a fit that runs alone (its own chief). */
  public TrainParams(int epochs, int steps, int verbose, PrintStream out) {
    this(epochs, steps, verbose, out, true);
  }
}
