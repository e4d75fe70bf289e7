package io.kava;

import io.kava.callbacks.Callback;
import io.kava.callbacks.TrainParams;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Keras's per-epoch progress output:
 * <pre>
 * Epoch 3/30
 * 1563/1563 [==============================] - 5s 3ms/step - accuracy: 0.9712 - loss: 0.0884
 * </pre>
 * Verbose 1 redraws the bar in place on a terminal and prints only the final line
 * otherwise (logs, CI); verbose 2 prints one line without the bar. An ordinary callback
 * that {@code fit} adds first, as Keras's {@code ProgbarLogger}.
 */
final class Progress implements Callback {
  private static final int WIDTH = 30;
  private PrintStream out = System.out;
  private int verbose = 1;
  private boolean interactive;
  private int epochs;
  private long start;
  private long lastDraw;
  private int steps;

  @Override
  public void setParams(TrainParams params) {
    out = params.out();
    verbose = params.verbose();
    epochs = params.epochs();
    steps = params.steps();
    interactive = out == System.out && System.console() != null;
  }

  @Override
  public void onEpochBegin(Model model, int epoch) {
    start = System.nanoTime();
    lastDraw = 0;
    if (verbose > 0) {
      out.println("Epoch " + (epoch + 1) + "/" + epochs);
    }
  }

  /** Redraws the bar, at most every 100 ms. */
  @Override
  public void onBatchEnd(Model model, int batch, Map<String, Double> logs) {
    int done = batch + 1;
    if (verbose != 1 || !interactive) {
      return;
    }
    long now = System.nanoTime();
    if (now - lastDraw < 100_000_000L && done < steps) {
      return;
    }
    lastDraw = now;
    out.print("\r" + bar(done) + " - " + time(now, done) + metrics(logs));
    out.flush();
  }

  @Override
  public void onEpochEnd(Model model, int epoch, Map<String, Double> logs) {
    if (verbose == 0) {
      return;
    }
    long now = System.nanoTime();
    String line = verbose == 1 ? bar(steps) + " - " + time(now, steps)
        : steps + "/" + steps + " - " + seconds(now) + " - " + perStep(now, steps);
    out.println((interactive && verbose == 1 ? "\r" : "") + line + metrics(logs));
  }

  private String bar(int done) {
    int digits = Integer.toString(steps).length();
    StringBuilder b = new StringBuilder();
    b.append(String.format("%" + digits + "d/%d [", done, steps));
    int filled = steps == 0 ? WIDTH : (int) ((long) WIDTH * done / steps);
    for (int i = 0; i < WIDTH; i++) {
      b.append(i < filled - 1 || (i == filled - 1 && done == steps) ? '='
          : i == filled - 1 ? '>' : '.');
    }
    return b.append(']').toString();
  }

  private String time(long now, int done) {
    return seconds(now) + " " + perStep(now, done);
  }

  private String seconds(long now) {
    return Math.round((now - start) / 1e9) + "s";
  }

  private String perStep(long now, int done) {
    double us = (now - start) / 1e3 / Math.max(1, done);
    return us >= 1000 ? Math.round(us / 1000) + "ms/step" : Math.round(us) + "us/step";
  }

  /** Keras 3 lists the logs alphabetically. */
  private static String metrics(Map<String, Double> logs) {
    StringBuilder b = new StringBuilder();
    new TreeMap<>(logs).forEach((k, v) -> b.append(" - ").append(k).append(": ")
        .append(format(v)));
    return b.toString();
  }

  static String format(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return Double.toString(v).toLowerCase();
    }
    return Math.abs(v) >= 1e-3 || v == 0 ? String.format(Locale.ROOT, "%.4f", v)
        : String.format(Locale.ROOT, "%.4e", v);
  }
}
