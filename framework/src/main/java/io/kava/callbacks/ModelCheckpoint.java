package io.kava.callbacks;

import io.kava.Model;
import io.kava.internal.Checks;
import io.kava.saving.Config;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Saves the model (with {@link Model#save}, so it can be served and resumed) at the end
 * of epochs, as Keras's {@code ModelCheckpoint}. The path may hold Keras's placeholders:
 * {@code {epoch}}, {@code {epoch:02d}} (1-based) and any log key, e.g.
 * {@code {val_loss:.2f}}. Defaults: monitor {@code val_loss}, save best only false (every
 * epoch), mode AUTO. Saves are atomic: a crash never leaves a half-written checkpoint.
 * In a distributed fit only the chief (worker 0) saves.
 *
 * <pre>{@code
 * jshell> var best = new ModelCheckpoint(Path.of("ckpt/best")).saveBestOnly(true)
 * jshell> var every = new ModelCheckpoint(Path.of("ckpt/epoch-{epoch:02d}-{val_loss:.3f}"))
 * }</pre>
 */
public final class ModelCheckpoint implements Callback {
  private static final String TYPE = "ModelCheckpoint";
  private static final Pattern FIELD = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)(:[^}]*)?}");

  private final Config config;

  // Per-fit state, reset by onTrainBegin.
  private PrintStream out = System.out;
  /** False on a distributed fit's other replicas, which write nothing. */
  private boolean chief = true;
  private Monitor monitor;
  private double best;
  private Path lastSaved;

  /** Saves to {@code path} (which may hold placeholders) after every epoch. */
  public ModelCheckpoint(Path path) {
    this(Config.builder().put("filepath", Checks.notNull(TYPE, "path", path).toString())
        .put("monitor", "val_loss").put("verbose", 0).put("save_best_only", false)
        .put("mode", "auto").build());
  }

  private ModelCheckpoint(Config config) {
    this.config = config;
  }

  /** Rebuilds a ModelCheckpoint from {@link #config()}; missing keys take the defaults. */
  public static ModelCheckpoint fromConfig(Config given) {
    ModelCheckpoint d = new ModelCheckpoint(Path.of(given.getString("filepath")));
    Config c = Callbacks.over(d.config, given);
    return d.monitor(c.getString("monitor")).verbose(c.getInt("verbose") != 0)
        .saveBestOnly(c.getBoolean("save_best_only", false))
        .mode(Mode.fromConfigName(TYPE, c.getString("mode")));
  }

  /** The log key that decides which epoch is best (with {@link #saveBestOnly}). */
  public ModelCheckpoint monitor(String key) {
    return new ModelCheckpoint(config.with("monitor", Monitor.key(TYPE, key)));
  }

  public ModelCheckpoint mode(Mode mode) {
    return new ModelCheckpoint(config.with("mode", Checks.notNull(TYPE, "mode", mode)
        .configName()));
  }

  /** Save only when the monitored quantity improves on the best so far. */
  public ModelCheckpoint saveBestOnly(boolean bestOnly) {
    return new ModelCheckpoint(config.with("save_best_only", bestOnly));
  }

  /** Whether to print a line for each save (or skipped save). Default false. */
  public ModelCheckpoint verbose(boolean verbose) {
    return new ModelCheckpoint(config.with("verbose", verbose ? 1 : 0));
  }

  /** The directory the last fit wrote last, or null. */
  public Path lastSaved() {
    return lastSaved;
  }

  /** Keras's {@code get_config} keys: filepath, monitor, verbose, save_best_only, mode. */
  @Override
  public Config config() {
    return config;
  }

  @Override
  public void setParams(TrainParams params) {
    out = params.out();
    chief = params.chief();
  }

  @Override
  public void onTrainBegin(Model model) {
    monitor = new Monitor(TYPE, config.getString("monitor"), Mode.fromConfigName(TYPE,
        config.getString("mode")), 0);
    best = monitor.worst();
    lastSaved = null;
  }

  @Override
  public void onEpochEnd(Model model, int epoch, Map<String, Double> logs) {
    Path target = Path.of(format(config.getString("filepath"), epoch, logs));
    boolean verbose = config.getInt("verbose") != 0;
    if (config.getBoolean("save_best_only", false)) {
      Double current = monitor.read(logs, out);
      if (current == null) {
        return;
      }
      if (!monitor.improves(current, best)) {
        if (verbose) {
          out.printf("%nEpoch %d: %s did not improve from %.5f%n", epoch + 1,
              monitor.key(), best);
        }
        return;
      }
      if (verbose) {
        out.printf("%nEpoch %d: %s improved from %.5f to %.5f, saving model to %s%n",
            epoch + 1, monitor.key(), best, current, target);
      }
      best = current;
    } else if (verbose) {
      out.printf("%nEpoch %d: saving model to %s%n", epoch + 1, target);
    }
    if (chief) {
      model.save(target);
      lastSaved = target;
    }
  }

  /** Fills {@code {epoch}}, {@code {epoch:02d}}, {@code {key:.2f}} from the epoch's logs. */
  static String format(String template, int epoch, Map<String, Double> logs) {
    Matcher m = FIELD.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String key = m.group(1);
      String spec = m.group(2) == null ? "" : m.group(2).substring(1);
      Object value;
      if (key.equals("epoch")) {
        value = epoch + 1;
      } else if (logs.containsKey(key)) {
        value = logs.get(key);
      } else {
        throw new IllegalArgumentException("ModelCheckpoint: path placeholder {" + key
            + "} must be 'epoch' or a log key " + logs.keySet() + "; got '" + key + "'.");
      }
      String text;
      try {
        text = spec.isEmpty() ? String.valueOf(value)
            : String.format(java.util.Locale.ROOT, "%" + spec, value);
      } catch (java.util.IllegalFormatException e) {
        throw new IllegalArgumentException("ModelCheckpoint: format '" + spec + "' of {" + key
            + "} must suit a " + (value instanceof Integer ? "whole number (e.g. 02d)"
            : "decimal number (e.g. .2f)") + "; got '" + spec + "'.");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(text));
    }
    m.appendTail(out);
    return out.toString();
  }

  @Override
  public String toString() {
    boolean bestOnly = config.getBoolean("save_best_only", false);
    return "ModelCheckpoint(" + config.getString("filepath") + (bestOnly ? ", monitor="
        + config.getString("monitor") + ", save_best_only=true" : "") + ")";
  }
}
