package io.kava.callbacks;

import io.kava.Model;
import io.kava.internal.Checks;
import io.kava.saving.Config;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import org.tensorflow.ndarray.FloatNdArray;

/**
 * Stops training when a monitored quantity stops improving, as Keras's {@code EarlyStopping}.
 * Defaults: monitor {@code val_loss}, min delta 0, patience 0, mode AUTO, no baseline, restore
 * best weights false, start from epoch 0, verbose.
 *
 * <p>Settings are immutable: each option returns a copy. What a fit found ({@link
 * #stoppedEpoch}, {@link #bestEpoch}) is reset when the next fit begins.
 *
 * <pre>{@code
 * jshell> var stop = new EarlyStopping().monitor("val_accuracy").patience(3)
 *    ...>     .restoreBestWeights(true)
 * jshell> model.fit(x, y, FitOptions.defaults().epochs(50).validationSplit(0.1).callbacks(stop))
 * }</pre>
 */
public final class EarlyStopping implements Callback {
  private static final String TYPE = "EarlyStopping";
  private static final Config DEFAULTS = Config.builder().put("monitor", "val_loss")
      .put("min_delta", 0.0).put("patience", 0).put("verbose", 1).put("mode", "auto")
      .put("baseline", null).put("restore_best_weights", false).put("start_from_epoch", 0)
      .build();

  private final Config config;

  // Per-fit state, reset by onTrainBegin.
  private PrintStream out = System.out;
  private Monitor monitor;
  private int wait;
  private int stoppedEpoch = -1;
  private int bestEpoch;
  private double best;
  private List<FloatNdArray> bestWeights;

  public EarlyStopping() {
    this(DEFAULTS);
  }

  private EarlyStopping(Config config) {
    this.config = config;
  }

  /** Rebuilds an EarlyStopping from {@link #config()}; missing keys take the defaults. */
  public static EarlyStopping fromConfig(Config given) {
    Config c = Callbacks.over(DEFAULTS, given);
    EarlyStopping e = new EarlyStopping().monitor(c.getString("monitor"))
        .minDelta(c.getDouble("min_delta", 0)).patience(c.getInt("patience"))
        .verbose(c.getInt("verbose") != 0).mode(Mode.fromConfigName(TYPE, c.getString("mode")))
        .restoreBestWeights(c.getBoolean("restore_best_weights", false))
        .startFromEpoch(c.getInt("start_from_epoch"));
    return c.has("baseline") ? e.baseline(c.getDouble("baseline", 0)) : e;
  }

  /** The log key to watch, e.g. {@code val_accuracy}. */
  public EarlyStopping monitor(String key) {
    return new EarlyStopping(config.with("monitor", Monitor.key(TYPE, key)));
  }

  public EarlyStopping mode(Mode mode) {
    return new EarlyStopping(config.with("mode", Checks.notNull(TYPE, "mode", mode)
        .configName()));
  }

  /** Changes smaller than this do not count as improvement. */
  public EarlyStopping minDelta(double minDelta) {
    return new EarlyStopping(config.with("min_delta", Checks.nonNegative(TYPE, "min delta",
        minDelta)));
  }

  /** Epochs without improvement after which training stops. */
  public EarlyStopping patience(int patience) {
    return new EarlyStopping(config.with("patience", Checks.nonNegative(TYPE, "patience",
        patience)));
  }

  /** A value the monitored quantity must beat; epochs that do not count as no improvement. */
  public EarlyStopping baseline(double baseline) {
    if (!Double.isFinite(baseline)) {
      throw Checks.invalid(TYPE, "baseline", "finite", baseline, null);
    }
    return new EarlyStopping(config.with("baseline", baseline));
  }

  /** Restore the weights of the best epoch when training ends (stopped early or not). */
  public EarlyStopping restoreBestWeights(boolean restore) {
    return new EarlyStopping(config.with("restore_best_weights", restore));
  }

  /** Epochs to wait before starting to monitor (warm-up). */
  public EarlyStopping startFromEpoch(int epoch) {
    return new EarlyStopping(config.with("start_from_epoch", Checks.nonNegative(TYPE,
        "start from epoch", epoch)));
  }

  /** Whether to print when training stops and when best weights are restored. */
  public EarlyStopping verbose(boolean verbose) {
    return new EarlyStopping(config.with("verbose", verbose ? 1 : 0));
  }

  public String monitor() {
    return config.getString("monitor");
  }

  public double minDelta() {
    return config.getDouble("min_delta", 0);
  }

  public int patience() {
    return config.getInt("patience");
  }

  /** The epoch (0-based) at which the last fit was stopped, or -1 if it was not. */
  public int stoppedEpoch() {
    return stoppedEpoch;
  }

  /** The epoch (0-based) with the best monitored value so far. */
  public int bestEpoch() {
    return bestEpoch;
  }

  /** Keras's {@code get_config} keys: monitor, min_delta, patience, verbose, mode, ... */
  @Override
  public Config config() {
    return config;
  }

  @Override
  public void setParams(TrainParams params) {
    out = params.out();
  }

  @Override
  public void onTrainBegin(Model model) {
    monitor = new Monitor(TYPE, monitor(), Mode.fromConfigName(TYPE,
        config.getString("mode")), minDelta());
    wait = 0;
    stoppedEpoch = -1;
    bestEpoch = 0;
    best = monitor.worst();
    bestWeights = null;
  }

  @Override
  public void onEpochEnd(Model model, int epoch, Map<String, Double> logs) {
    Double current = monitor.read(logs, out);
    if (current == null || epoch < config.getInt("start_from_epoch")) {
      return;
    }
    boolean restore = config.getBoolean("restore_best_weights", false);
    if (restore && bestWeights == null) {
      bestWeights = model.getWeights();
    }
    wait++;
    if (monitor.improves(current, best)) {
      best = current;
      bestEpoch = epoch;
      if (restore) {
        bestWeights = model.getWeights();
      }
      // As Keras 3: an epoch that improved never stops training; it restarts the wait only
      // when it also beats the baseline.
      if (!config.has("baseline")
          || monitor.improves(current, config.getDouble("baseline", 0))) {
        wait = 0;
      }
      return;
    }
    if (wait >= patience() && epoch > 0) {
      stoppedEpoch = epoch;
      model.stopTraining();
    }
  }

  /** Reports the stop and, as Keras 3, restores the best weights whenever asked to. */
  @Override
  public void onTrainEnd(Model model) {
    boolean verbose = config.getInt("verbose") != 0;
    if (stoppedEpoch >= 0 && verbose) {
      out.println("Epoch " + (stoppedEpoch + 1) + ": early stopping");
    }
    if (config.getBoolean("restore_best_weights", false) && bestWeights != null) {
      if (verbose) {
        out.println("Restoring model weights from the end of the best epoch: "
            + (bestEpoch + 1) + ".");
      }
      model.setWeights(bestWeights);
    }
  }

  @Override
  public String toString() {
    return Callbacks.describe(TYPE, config, DEFAULTS, "monitor", "patience");
  }
}
