package io.kava.callbacks;

import io.kava.Model;
import io.kava.internal.Checks;
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
  private java.io.PrintStream out = System.out;
  private String monitorKey = "val_loss";
  private Mode mode = Mode.AUTO;
  private double factor = 0.1;
  private int patience = 10;
  private double minDelta = 1e-4;
  private int cooldown;
  private double minLr;
  private boolean verbose = true;

  private Monitor monitor;
  private double best;
  private int wait;
  private int cooldownCounter;

  public ReduceLROnPlateau monitor(String key) {
    this.monitorKey = key;
    return this;
  }

  public ReduceLROnPlateau mode(Mode mode) {
    this.mode = Checks.notNull("ReduceLROnPlateau", "mode", mode);
    return this;
  }

  /** The factor in [0, 1) the learning rate is multiplied by. */
  public ReduceLROnPlateau factor(double factor) {
    this.factor = Checks.inRangeExclusive("ReduceLROnPlateau", "factor", factor, 0, 1);
    return this;
  }

  public ReduceLROnPlateau patience(int patience) {
    if (patience < 0) {
      throw Checks.invalid("ReduceLROnPlateau", "patience", ">= 0", patience, null);
    }
    this.patience = patience;
    return this;
  }

  public ReduceLROnPlateau minDelta(double minDelta) {
    this.minDelta = Checks.nonNegative("ReduceLROnPlateau", "min delta", minDelta);
    return this;
  }

  /** Epochs to wait after a reduction before counting again. */
  public ReduceLROnPlateau cooldown(int cooldown) {
    if (cooldown < 0) {
      throw Checks.invalid("ReduceLROnPlateau", "cooldown", ">= 0", cooldown, null);
    }
    this.cooldown = cooldown;
    return this;
  }

  /** The learning rate never goes below this. */
  public ReduceLROnPlateau minLr(double minLr) {
    this.minLr = Checks.nonNegative("ReduceLROnPlateau", "min learning rate", minLr);
    return this;
  }

  public ReduceLROnPlateau verbose(boolean verbose) {
    this.verbose = verbose;
    return this;
  }

  @Override
  public void setParams(TrainParams params) {
    out = params.out();
  }

  @Override
  public void onTrainBegin(Model model) {
    monitor = new Monitor("ReduceLROnPlateau", monitorKey, mode, minDelta);
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
    } else if (!inCooldown && ++wait >= patience) {
      double old = model.learningRate();
      if (old > minLr) {
        double lr = Math.max(old * factor, minLr);
        model.learningRate(lr);
        if (verbose) {
          out.println("Epoch " + (epoch + 1) + ": ReduceLROnPlateau reducing learning"
              + " rate to " + (float) lr + ".");
        }
        cooldownCounter = cooldown;
        wait = 0;
      }
    }
  }

  @Override
  public String toString() {
    return "ReduceLROnPlateau(monitor=" + monitorKey + ", factor=" + factor + ", patience="
        + patience + (cooldown == 0 ? "" : ", cooldown=" + cooldown)
        + (minLr == 0 ? "" : ", min_lr=" + minLr) + ")";
  }
}
