package io.kava.callbacks;

import io.kava.Model;
import io.kava.saving.Config;
import java.util.Map;

/**
 * Hooks into {@code fit}, as Keras's {@code Callback}. Every method has an empty default, so
 * a callback implements only what it needs. {@code logs} hold the epoch's (or batch's) loss
 * and metrics ({@code loss}, {@code accuracy}, {@code val_loss}...); a callback may add keys
 * to the epoch logs (learning-rate callbacks add {@code learning_rate}) and they reach
 * {@code History}.
 *
 * <p>Built-in callbacks keep their settings in an immutable {@link #config()}: each option
 * returns a copy, as layers and optimizers do, and the state of a fit is reset when the next
 * one begins.
 *
 * <pre>{@code
 * jshell> Callback printer = new Callback() {
 *    ...>   public void onEpochEnd(Model m, int epoch, Map<String, Double> logs) {
 *    ...>     System.out.println(epoch + " " + logs); } }
 * jshell> model.fit(x, y, FitOptions.defaults().callbacks(printer))
 * }</pre>
 */
public interface Callback {

  /**
   * The callback's settings, as Keras's {@code get_config} names them (JSON-ready); a built-in
   * callback with a {@code fromConfig(Config)} factory is rebuilt from it. Per-fit state (what
   * a fit found) is not part of it. Default: no settings.
   */
  default Config config() {
    return Config.EMPTY;
  }

  /**
   * Called by {@code fit} before {@link #onTrainBegin}, with its settings and output stream;
   * callbacks that print keep {@code params.out()}.
   */
  default void setParams(TrainParams params) {}

  /** Before the first epoch; stateful callbacks reset here. */
  default void onTrainBegin(Model model) {}

  /** Before epoch {@code epoch} (0-based). */
  default void onEpochBegin(Model model, int epoch) {}

  /**
   * After training batch {@code batch} of the current epoch, with the epoch's running means
   * of the loss and metrics so far (Keras 3's batch logs).
   */
  default void onBatchEnd(Model model, int batch, Map<String, Double> logs) {}

  /** After epoch {@code epoch}, validation included. */
  default void onEpochEnd(Model model, int epoch, Map<String, Double> logs) {}

  /** After the last epoch (or when training was stopped). */
  default void onTrainEnd(Model model) {}
}
