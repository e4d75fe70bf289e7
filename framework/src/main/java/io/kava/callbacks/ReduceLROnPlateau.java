package io.kava.callbacks;

import io.kava.Model;
import io.kava.internal.Checks;
import io.kava.saving.Config;
import java.io.PrintStream;
import java.util.Map;

/**
 * Multiplies the learning rate by {@code factor} when a monitored quantity has stopped
 * improving for {@code patience} epochs, as Keras's {@code ReduceLROnPlateau}. Adds
 * {@code learning_rate} to the epoch logs. Defaults: monitor {@code val_loss}, factor 0.1,
 * patience 10, mode AUTO, min delta 1e-4, cooldown 0, min learning rate 0.
 *
 * <pre>{@code
 * jshell> var plateau = new ReduceLROnPlateau().factor(0.1).patience(5).minLr(1e-5)
 * }</pre>
 */
public final class ReduceLROnPlateau implements Callback {
  private static final String TYPE = "ReduceLROnPlateau";
  private static final Config DEFAULTS = Config.builder().put("monitor", "val_loss")
      .put("factor", 0.1).put("patience", 10).put("verbose", 1).put("mode", "auto")
      .put("min_delta", 1e-4).put("cooldown", 0).put("min_lr", 0.0).build();

  private final Config config;

  // Per-fit state, reset by onTrainBegin.
  private PrintStream out = System.out;
  private Monitor monitor;
  private double best;
  private int wait;
  private int cooldownCounter;

  public ReduceLROnPlateau() {
    this(DEFAULTS);
  }

  private ReduceLROnPlateau(Config config) {
    this.config = config;
  }

  /** Rebuilds a ReduceLROnPlateau from {@link #config()}; missing keys take the defaults. */
  public static ReduceLROnPlateau fromConfig(Config given) {
    Config c = Callbacks.over(DEFAULTS, given);
    return new ReduceLROnPlateau().monitor(c.getString("monitor"))
        .factor(c.getDouble("factor", 0)).patience(c.getInt("patience"))
        .verbose(c.getInt("verbose") != 0).mode(Mode.fromConfigName(TYPE, c.getString("mode")))
        .minDelta(c.getDouble("min_delta", 0)).cooldown(c.getInt("cooldown"))
        .minLr(c.getDouble("min_lr", 0));
  }

  /** The log key to watch, e.g. {@code val_loss}. */
  public ReduceLROnPlateau monitor(String key) {
    return new ReduceLROnPlateau(config.with("monitor", Monitor.key(TYPE, key)));
  }

  public ReduceLROnPlateau mode(Mode mode) {
    return new ReduceLROnPlateau(config.with("mode", Checks.notNull(TYPE, "mode", mode)
        .configName()));
  }

  /** The factor in [0, 1) the learning rate is multiplied by. */
  public ReduceLROnPlateau factor(double factor) {
    return new ReduceLROnPlateau(config.with("factor", Checks.inRangeExclusive(TYPE, "factor",
        factor, 0, 1)));
  }

  /** Epochs without improvement after which the learning rate is reduced. */
  public ReduceLROnPlateau patience(int patience) {
    return new ReduceLROnPlateau(config.with("patience", Checks.nonNegative(TYPE, "patience",
        patience)));
  }

  /** Changes smaller than this do not count as improvement. */
  public ReduceLROnPlateau minDelta(double minDelta) {
    return new ReduceLROnPlateau(config.with("min_delta", Checks.nonNegative(TYPE,
        "min delta", minDelta)));
  }

  /** Epochs to wait after a reduction before counting again. */
  public ReduceLROnPlateau cooldown(int cooldown) {
    return new ReduceLROnPlateau(config.with("cooldown", Checks.nonNegative(TYPE, "cooldown",
        cooldown)));
  }

  /** The learning rate never goes below this. */
  public ReduceLROnPlateau minLr(double minLr) {
    return new ReduceLROnPlateau(config.with("min_lr", Checks.nonNegative(TYPE,
        "min learning rate", minLr)));
  }

  /** Whether to print each reduction. */
  public ReduceLROnPlateau verbose(boolean verbose) {
    return new ReduceLROnPlateau(config.with("verbose", verbose ? 1 : 0));
  }

  public double factor() {
    return config.getDouble("factor", 0);
  }

  /** Keras's keys: monitor, factor, patience, verbose, mode, min_delta, cooldown, min_lr. */
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
    monitor = new Monitor(TYPE, config.getString("monitor"), Mode.fromConfigName(TYPE,
        config.getString("mode")), config.getDouble("min_delta", 0));
    best = monitor.worst();
    wait = 0;
    cooldownCounter = 0;
  }

  @Override
  public void onEpochEnd(Model model, int epoch, Map<String, Double> logs) {
    logs.put("learning_rate", model.learningRate());
    Double current = monitor.read(logs, out);
    if (current == null) {
      return;
    }
    boolean inCooldown = cooldownCounter > 0;
    if (inCooldown) {
      cooldownCounter--;
      wait = 0;
    }
    if (monitor.improves(current, best)) {
      best = current;
      wait = 0;
    } else if (!inCooldown && ++wait >= config.getInt("patience")) {
      double old = model.learningRate();
      double minLr = config.getDouble("min_lr", 0);
      if (old > minLr) {
        double lr = Math.max(old * factor(), minLr);
        model.learningRate(lr);
        if (config.getInt("verbose") != 0) {
          out.println("Epoch " + (epoch + 1) + ": ReduceLROnPlateau reducing learning"
              + " rate to " + (float) lr + ".");
        }
        cooldownCounter = config.getInt("cooldown");
        wait = 0;
      }
    }
  }

  @Override
  public String toString() {
    return Callbacks.describe(TYPE, config, DEFAULTS, "monitor", "factor", "patience");
  }
}
