package io.kava.callbacks;

import io.kava.Model;
import io.kava.internal.Checks;
import io.kava.saving.Config;
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
 *    ...>     .verbose(true)
 * jshell> model.fit(train, FitOptions.defaults().epochs(30).callbacks(best))
 * jshell> best.bestAccuracy()
 * }</pre>
 */
public final class AccuracyEvaluator implements Callback {
  private static final String SUBJECT = "AccuracyEvaluator";

  private static final Config DEFAULTS = Config.builder().put("name", "val_eval_accuracy")
      .put("threshold", 1e-4).put("save_best_to", null).put("restore_best_weights", false)
      .put("verbose", 0).build();

  private final int[] labels;
  private final Function<Model, int[]> predictor;
  private final Config config;

  // Per-fit state, reset by onTrainBegin.
  private PrintStream out = System.out;
  private final List<Double> accuracies = new ArrayList<>();
  private double best = Double.NaN;
  private int bestEpoch = -1;
  private int lastEpoch = -1;
  private List<FloatNdArray> bestWeights;

  private AccuracyEvaluator(int[] labels, Function<Model, int[]> predictor, Config config) {
    this.labels = labels;
    this.predictor = predictor;
    this.config = config;
  }

  /** Scores {@code model.predictClasses(x)} against {@code labels}. */
  public static AccuracyEvaluator of(FloatNdArray x, int[] labels) {
    Checks.notNull(SUBJECT, "x", x);
    if (labels != null && (x.rank() == 0 || x.shape().get(0) != labels.length)) {
      throw new IllegalArgumentException(SUBJECT + ": x and labels must hold the same number of"
          + " samples; got x " + x.shape() + " and " + labels.length + " labels.");
    }
    return of(labels, m -> m.predictClasses(x));
  }

  /** Scores the classes {@code predictor} returns for the model against {@code labels}. */
  public static AccuracyEvaluator of(int[] labels, Function<Model, int[]> predictor) {
    Checks.notNull(SUBJECT, "labels", labels);
    if (labels.length == 0) {
      throw Checks.invalid(SUBJECT, "labels", "at least one held-out sample", "none", null);
    }
    return new AccuracyEvaluator(labels.clone(), Checks.notNull(SUBJECT, "predictor",
        predictor), DEFAULTS);
  }

  private AccuracyEvaluator with(String key, Object value) {
    return new AccuracyEvaluator(labels, predictor, config.with(key, value));
  }

  /** The log key of the accuracy. Default {@code val_eval_accuracy}. */
  public AccuracyEvaluator name(String key) {
    return with("name", Checks.name(SUBJECT, key));
  }

  /**
   * The relative improvement a new best needs: 0.01 means 1% better than the best so far.
   * Default 1e-4 (PyTorch's {@code ReduceLROnPlateau} threshold in "rel" mode); 0 takes
   * any gain.
   */
  public AccuracyEvaluator threshold(double relative) {
    return with("threshold", Checks.nonNegative(SUBJECT, "threshold", relative));
  }

  /** Saves the model to {@code dir} (replacing it atomically) at each new best. */
  public AccuracyEvaluator saveBestTo(Path dir) {
    return with("save_best_to", Checks.notNull(SUBJECT, "save directory", dir).toString());
  }

  /** Puts the best epoch's weights back when training ends. Default false. */
  public AccuracyEvaluator restoreBestWeights(boolean restore) {
    return with("restore_best_weights", restore);
  }

  /**
   * Prints one line per epoch (accuracy, and whether it is a new best) to the fit's output
   * stream. Default false.
   */
  public AccuracyEvaluator verbose(boolean verbose) {
    return with("verbose", verbose ? 1 : 0);
  }

  /**
   * The settings: name, threshold, save_best_to, restore_best_weights, verbose (not the
   * labels and predictor, so it cannot be rebuilt from its config alone).
   */
  @Override
  public Config config() {
    return config;
  }

  private String name() {
    return config.getString("name");
  }

  private double threshold() {
    return config.getDouble("threshold", 0);
  }

  private boolean verbose() {
    return config.getInt("verbose") != 0;
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
    return !Double.isNaN(accuracy) && (bestEpoch < 0 || accuracy > best * (1 + threshold()));
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
  public void setParams(TrainParams params) {
    out = params.out();
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
    logs.put(name(), accuracy);
    boolean better = improves(accuracy);
    if (verbose()) {
      out.printf(Locale.ROOT, "Epoch %d: %s %.4f, %s%n", epoch + 1, name(), accuracy,
          bestEpoch < 0 ? "the first best"
              : better ? String.format(Locale.ROOT, "a new best (was %.4f)", best)
              : String.format(Locale.ROOT, "not %s%% above the best %.4f of epoch %d",
                  percent(threshold()), best, bestEpoch + 1));
    }
    if (!better) {
      return;
    }
    best = accuracy;
    bestEpoch = epoch;
    if (config.getBoolean("restore_best_weights", false)) {
      bestWeights = model.getWeights();
    }
    if (config.has("save_best_to")) {
      model.save(Path.of(config.getString("save_best_to")));
    }
  }

  @Override
  public void onTrainEnd(Model model) {
    if (bestWeights != null && bestEpoch != lastEpoch) {
      model.setWeights(bestWeights);
      if (verbose()) {
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
    return "AccuracyEvaluator(" + name() + ", samples=" + labels.length + ", threshold="
        + threshold() + (bestEpoch < 0 ? "" : String.format(Locale.ROOT,
            ", best=%.4f at epoch %d", best, bestEpoch + 1)) + ")";
  }
}
