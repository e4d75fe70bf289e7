package io.kava.callbacks;

import io.kava.Model;
import java.util.Map;

/**
 * Stops training as soon as a batch's loss is NaN or infinite, as Keras's
 * {@code TerminateOnNaN}.
 *
 * <pre>{@code
 * jshell> model.fit(x, y, FitOptions.defaults().callbacks(new TerminateOnNaN()))
 * }</pre>
 */
public final class TerminateOnNaN implements Callback {
  private java.io.PrintStream out = System.out;
  private int terminatedAtBatch = -1;

  /** The batch whose loss was invalid, or -1 if training was not terminated. */
  public int terminatedAtBatch() {
    return terminatedAtBatch;
  }

  @Override
  public void setParams(TrainParams params) {
    out = params.out();
  }

  @Override
  public void onTrainBegin(Model model) {
    terminatedAtBatch = -1;
  }

  @Override
  public void onBatchEnd(Model model, int batch, Map<String, Double> logs) {
    Double loss = logs.get("loss");
    if (loss != null && (loss.isNaN() || loss.isInfinite())) {
      terminatedAtBatch = batch;
      out.println("Batch " + batch + ": Invalid loss, terminating training");
      model.stopTraining();
    }
  }

  @Override
  public String toString() {
    return "TerminateOnNaN()";
  }
}
