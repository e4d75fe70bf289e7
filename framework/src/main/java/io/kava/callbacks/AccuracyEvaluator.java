package io.kava.callbacks;

import io.kava.Model;
import io.kava.internal.Checks;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.tensorflow.ndarray.FloatNdArray;

/**
 * Scores the model's accuracy on held-out data after every epoch and selects the best model,
 * as the AlexNet tutorial does: an epoch is the new best only when its accuracy beats the
 * best so far by a relative threshold ({@code accuracy > best * (1 + threshold)}), so a gain
 * within the noise of a small validation set does not replace the best model. The first
 * epoch is always the best so far.
 *
 * <p>The accuracy comes from any prediction function (for AlexNet, 10-crop prediction) and
 * is added to the epoch's logs under {@link #name} (so {@code History}, and callbacks listed
 * after this one such as {@code ReduceLROnPlateau}, see it). The best model can be saved
 * ({@link Model#save}, atomic) and its weights restored when training ends.
 *
 * <pre>{@code
 * jshell> var best = AccuracyEvaluator.of(valLabels,
 *    ...>         m -> Crops.predictTenCropClasses(m, xVal, 227))
 *    ...>     .name("val_10crop_accuracy").threshold(0.01).restoreBestWeights(true)
 * jshell> model.fit(train, FitOptions.defaults().epochs(30).callbacks(best))
 * jshell> best.bestAccuracy()
 * }</pre>
 */
public final class AccuracyEvaluator implements Callback {
  private static final String SUBJECT = "AccuracyEvaluator";

  private final int[] labels;
  private final Function<Model, int[]> predictor;
  private String name = "val_eval_accuracy";
  private double threshold = 1e-4;
  private Path saveBestTo;
  private boolean restoreBestWeights;
  private PrintStream out;

  private final List<Double> accuracies = new ArrayList<>();
  private double best = Double.NaN;
  private int bestEpoch = -1;
  private int lastEpoch = -1;
  private List<FloatNdArray> bestWeights;

  private AccuracyEvaluator(int[] labels, Function<Model, int[]> predictor) {
    Checks.notNull(SUBJECT, "labels", labels);
    if (labels.length == 0) {
      throw Checks.invalid(SUBJECT, "labels", "at least one held-out sample", "none", null);
    }
    this.labels = labels.clone();
    this.predictor = Checks.notNull(SUBJECT, "predictor", predictor);
  }

  /** Scores {@code model.predictClasses(x)} against {@code labels}. */
  public static AccuracyEvaluator of(FloatNdArray x, int[] labels) {
    Checks.notNull(SUBJECT, "x", x);
    if (labels != null && (x.rank() == 0 || x.shape().get(0) != labels.length)) {
      throw new IllegalArgumentException(SUBJECT + ": x and labels must hold the same number of"
          + " samples; got x " + x.shape() + " and " + labels.length + " labels.");
    }
    return new AccuracyEvaluator(labels, m -> m.predictClasses(x));
  }

  /** Scores the classes {@code predictor} returns for the model against {@code labels}. */
  public static AccuracyEvaluator of(int[] labels, Function<Model, int[]> predictor) {
    return new AccuracyEvaluator(labels, predictor);
  }

  /** The log key of the accuracy. Default {@code val_eval_accuracy}. */
  public AccuracyEvaluator name(String key) {
    this.name = Checks.name(SUBJECT, key);
    return this;
  }

  /**
   * The relative improvement a new best needs: 0.01 means 1% better than the best so far.
   * Default 1e-4 (PyTorch's {@code ReduceLROnPlateau} threshold in "rel" mode); 0 takes
   * any gain.
   */
  public AccuracyEvaluator threshold(double relative) {
    this.threshold = Checks.nonNegative(SUBJECT, "threshold", relative);
    return this;
  }

  /** Saves the model to {@code dir} (replacing it atomically) at each new best. */
  public AccuracyEvaluator saveBestTo(Path dir) {
    this.saveBestTo = Checks.notNull(SUBJECT, "save directory", dir);
    return this;
  }

  /** Puts the best epoch's weights back when training ends. Default false. */
  public AccuracyEvaluator restoreBestWeights(boolean restore) {
    this.restoreBestWeights = restore;
    return this;
  }

  /** Prints one line per epoch (accuracy, and whether it is a new best) to {@code out}. */
  public AccuracyEvaluator printTo(PrintStream out) {
    this.out = Checks.notNull(SUBJECT, "out", out);
    return this;
  }

  /** The model's accuracy on the held-out data now. */
  public double evaluate(Model model) {
    Checks.notNull(SUBJECT, "model", model);
    int[] predicted = predictor.apply(model);
    if (predicted == null || predicted.length != labels.length) {
      throw new IllegalArgumentException(SUBJECT + ": the predictor must return one class per"
          + " held-out sample (" + labels.length + "); got "
          + (predicted == null ? "null" : predicted.length) + ".");
    }
    int right = 0;
    for (int i = 0; i < labels.length; i++) {
      right += predicted[i] == labels[i] ? 1 : 0;
    }
    return (double) right / labels.length;
  }

  /** Whether {@code accuracy} would be a new best: no best yet, or above best * (1 + t). */
  public boolean improves(double accuracy) {
    return !Double.isNaN(accuracy) && (bestEpoch < 0 || accuracy > best * (1 + threshold));
  }

  /** The best accuracy so far, or NaN before the first epoch. */
  public double bestAccuracy() {
    return best;
  }

  /** The epoch (0-based) of the best accuracy, or -1 before the first epoch. */
  public int bestEpoch() {
    return bestEpoch;
  }

  /** Every epoch's accuracy of the last {@code fit}, in order. */
  public List<Double> accuracies() {
    return List.copyOf(accuracies);
  }

  @Override
  public void onTrainBegin(Model model) {
    accuracies.clear();
    best = Double.NaN;
    bestEpoch = -1;
    lastEpoch = -1;
    bestWeights = null;
  }

  @Override
  public void onEpochEnd(Model model, int epoch, Map<String, Double> logs) {
    double accuracy = evaluate(model);
    accuracies.add(accuracy);
    lastEpoch = epoch;
    logs.put(name, accuracy);
    boolean better = improves(accuracy);
    if (out != null) {
      out.printf(Locale.ROOT, "Epoch %d: %s %.4f, %s%n", epoch + 1, name, accuracy,
          bestEpoch < 0 ? "the first best"
              : better ? String.format(Locale.ROOT, "a new best (was %.4f)", best)
              : String.format(Locale.ROOT, "not %s%% above the best %.4f of epoch %d",
                  percent(threshold), best, bestEpoch + 1));
    }
    if (!better) {
      return;
    }
    best = accuracy;
    bestEpoch = epoch;
    if (restoreBestWeights) {
      bestWeights = model.getWeights();
    }
    if (saveBestTo != null) {
      model.save(saveBestTo);
    }
  }

  @Override
  public void onTrainEnd(Model model) {
    if (restoreBestWeights && bestWeights != null && bestEpoch != lastEpoch) {
      model.setWeights(bestWeights);
      if (out != null) {
        out.printf("Restored the weights of epoch %d, the best.%n", bestEpoch + 1);
      }
    }
    bestWeights = null;
  }

  private static String percent(double t) {
    return String.format(Locale.ROOT, "%.4g", t * 100).replaceAll("\\.?0+$", "");
  }

  @Override
  public String toString() {
    return "AccuracyEvaluator(" + name + ", samples=" + labels.length + ", threshold="
        + threshold + (bestEpoch < 0 ? "" : String.format(Locale.ROOT,
            ", best=%.4f at epoch %d", best, bestEpoch + 1)) + ")";
  }
}
