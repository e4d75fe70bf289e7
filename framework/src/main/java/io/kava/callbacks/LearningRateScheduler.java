package io.kava.callbacks;

import io.kava.Model;
import io.kava.internal.Checks;
import java.util.Map;

/**
 * Sets the learning rate at the start of each epoch from {@code schedule(epoch, currentLr)},
 * as Keras's {@code LearningRateScheduler}. Adds {@code learning_rate} to the epoch logs.
 *
 * <pre>{@code
 * jshell> var decay = new LearningRateScheduler((epoch, lr) -> epoch < 10 ? lr : lr * 0.9)
 * }</pre>
 */
public final class LearningRateScheduler implements Callback {

  /** Maps (0-based epoch, current learning rate) to the learning rate for that epoch. */
  @FunctionalInterface
  public interface Schedule {
    double apply(int epoch, double learningRate);
  }

  private final Schedule schedule;

  public LearningRateScheduler(Schedule schedule) {
    this.schedule = Checks.notNull("LearningRateScheduler", "schedule", schedule);
  }

  @Override
  public void onEpochBegin(Model model, int epoch) {
    double lr = schedule.apply(epoch, model.learningRate());
    if (!(lr > 0) || Double.isInfinite(lr)) {
      throw Checks.invalid("LearningRateScheduler", "the learning rate scheduled for epoch "
          + epoch, "a finite number > 0", lr, null);
    }
    model.learningRate(lr);
  }

  @Override
  public void onEpochEnd(Model model, int epoch, Map<String, Double> logs) {
    logs.put("learning_rate", model.learningRate());
  }

  @Override
  public String toString() {
    return "LearningRateScheduler()";
  }
}
