package io.kava.callbacks;

import io.kava.Model;
import io.kava.internal.Checks;
import java.util.List;
import java.util.Map;
import org.tensorflow.ndarray.FloatNdArray;

/**
 * Stops training when a monitored quantity stops improving, as Keras's {@code EarlyStopping}.
 * Defaults: monitor {@code val_loss}, min delta 0, patience 0, mode AUTO, no baseline, restore
 * best weights false, start from epoch 0.
 *
 * <pre>{@code
 * jshell> var stop = new EarlyStopping().monitor("val_accuracy").patience(3)
 *    ...>     .restoreBestWeights(true)
 * jshell> model.fit(x, y, FitOptions.defaults().epochs(50).validationSplit(0.1).callbacks(stop))
 * }</pre>
 */
public final class EarlyStopping implements Callback {
  private java.io.PrintStream out = System.out;
  private String monitorKey = "val_loss";
  private Mode mode = Mode.AUTO;
  private double minDelta;
  private int patience;
  private Double baseline;
  private boolean restoreBestWeights;
  private int startFromEpoch;
  private boolean verbose = true;

  private Monitor monitor;
  private int wait;
  private int stoppedEpoch = -1;
  private int bestEpoch;
  private double best;
  private List<FloatNdArray> bestWeights;

  public EarlyStopping monitor(String key) {
    this.monitorKey = key;
    return this;
  }

  public EarlyStopping mode(Mode mode) {
    this.mode = Checks.notNull("EarlyStopping", "mode", mode);
    return this;
  }

  /** Changes smaller than this do not count as improvement. */
  public EarlyStopping minDelta(double minDelta) {
    this.minDelta = Checks.nonNegative("EarlyStopping", "min delta", minDelta);
    return this;
  }

  /** Epochs without improvement after which training stops. */
  public EarlyStopping patience(int patience) {
    if (patience < 0) {
      throw Checks.invalid("EarlyStopping", "patience", ">= 0", patience, null);
    }
    this.patience = patience;
    return this;
  }

  /** A value the monitored quantity must beat; epochs that do not count as no improvement. */
  public EarlyStopping baseline(double baseline) {
    this.baseline = baseline;
    return this;
  }

  /** Restore the weights of the best epoch when training ends (stopped early or not). */
  public EarlyStopping restoreBestWeights(boolean restore) {
    this.restoreBestWeights = restore;
    return this;
  }

  /** Epochs to wait before starting to monitor (warm-up). */
  public EarlyStopping startFromEpoch(int epoch) {
    if (epoch < 0) {
      throw Checks.invalid("EarlyStopping", "start from epoch", ">= 0", epoch, null);
    }
    this.startFromEpoch = epoch;
    return this;
  }

  public EarlyStopping verbose(boolean verbose) {
    this.verbose = verbose;
    return this;
  }

  /** The epoch (0-based) at which training was stopped, or -1 if it was not. */
  public int stoppedEpoch() {
    return stoppedEpoch;
  }

  /** The epoch (0-based) with the best monitored value so far. */
  public int bestEpoch() {
    return bestEpoch;
  }

  @Override
  public void setParams(TrainParams params) {
    out = params.out();
  }

  @Override
  public void onTrainBegin(Model model) {
    monitor = new Monitor("EarlyStopping", monitorKey, mode, minDelta);
    wait = 0;
    stoppedEpoch = -1;
    bestEpoch = 0;
    best = monitor.worst();
    bestWeights = null;
  }

  @Override
  public void onEpochEnd(Model model, int epoch, Map<String, Double> logs) {
    Double current = monitor.read(logs, out);
    if (current == null || epoch < startFromEpoch) {
      return;
    }
    if (restoreBestWeights && bestWeights == null) {
      bestWeights = model.getWeights();
    }
    wait++;
    if (monitor.improves(current, best)) {
      best = current;
      bestEpoch = epoch;
      if (restoreBestWeights) {
        bestWeights = model.getWeights();
      }
      // As Keras 3: an epoch that improved never stops training; it restarts the wait only
      // when it also beats the baseline.
      if (baseline == null || monitor.improves(current, baseline)) {
        wait = 0;
      }
      return;
    }
    if (wait >= patience && epoch > 0) {
      stoppedEpoch = epoch;
      model.stopTraining();
    }
  }

  /** Reports the stop and, as Keras 3, restores the best weights whenever asked to. */
  @Override
  public void onTrainEnd(Model model) {
    if (stoppedEpoch >= 0 && verbose) {
      out.println("Epoch " + (stoppedEpoch + 1) + ": early stopping");
    }
    if (restoreBestWeights && bestWeights != null) {
      if (verbose) {
        out.println("Restoring model weights from the end of the best epoch: "
            + (bestEpoch + 1) + ".");
      }
      model.setWeights(bestWeights);
    }
  }

  @Override
  public String toString() {
    return "EarlyStopping(monitor=" + monitorKey + ", patience=" + patience
        + (minDelta == 0 ? "" : ", min_delta=" + minDelta)
        + (mode == Mode.AUTO ? "" : ", mode=" + mode.name().toLowerCase())
        + (baseline == null ? "" : ", baseline=" + baseline)
        + (restoreBestWeights ? ", restore_best_weights=true" : "")
        + (startFromEpoch == 0 ? "" : ", start_from_epoch=" + startFromEpoch) + ")";
  }
}
