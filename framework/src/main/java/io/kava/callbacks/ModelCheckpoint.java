package io.kava.callbacks;

import io.kava.Model;
import io.kava.internal.Checks;
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
 *
 * <pre>{@code
 * jshell> var best = new ModelCheckpoint(Path.of("ckpt/best")).saveBestOnly(true)
 * jshell> var every = new ModelCheckpoint(Path.of("ckpt/epoch-{epoch:02d}-{val_loss:.3f}"))
 * }</pre>
 */
public final class ModelCheckpoint implements Callback {
  private java.io.PrintStream out = System.out;
  private static final Pattern FIELD = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)(:[^}]*)?}");

  private final String path;
  private String monitorKey = "val_loss";
  private Mode mode = Mode.AUTO;
  private boolean saveBestOnly;
  private boolean verbose;
  private Monitor monitor;
  private double best;
  private Path lastSaved;

  public ModelCheckpoint(Path path) {
    this.path = Checks.notNull("ModelCheckpoint", "path", path).toString();
  }

  public ModelCheckpoint monitor(String key) {
    this.monitorKey = key;
    return this;
  }

  public ModelCheckpoint mode(Mode mode) {
    this.mode = Checks.notNull("ModelCheckpoint", "mode", mode);
    return this;
  }

  /** Save only when the monitored quantity improves on the best so far. */
  public ModelCheckpoint saveBestOnly(boolean bestOnly) {
    this.saveBestOnly = bestOnly;
    return this;
  }

  public ModelCheckpoint verbose(boolean verbose) {
    this.verbose = verbose;
    return this;
  }

  /** The directory written last, or null. */
  public Path lastSaved() {
    return lastSaved;
  }

  @Override
  public void setParams(TrainParams params) {
    out = params.out();
  }

  @Override
  public void onTrainBegin(Model model) {
    monitor = new Monitor("ModelCheckpoint", monitorKey, mode, 0);
    best = monitor.worst();
  }

  @Override
  public void onEpochEnd(Model model, int epoch, Map<String, Double> logs) {
    Path target = Path.of(format(path, epoch, logs));
    if (saveBestOnly) {
      Double current = monitor.read(logs, out);
      if (current == null) {
        return;
      }
      if (!monitor.improves(current, best)) {
        if (verbose) {
          out.printf("%nEpoch %d: %s did not improve from %.5f%n", epoch + 1,
              monitorKey, best);
        }
        return;
      }
      if (verbose) {
        out.printf("%nEpoch %d: %s improved from %.5f to %.5f, saving model to %s%n",
            epoch + 1, monitorKey, best, current, target);
      }
      best = current;
    } else if (verbose) {
      out.printf("%nEpoch %d: saving model to %s%n", epoch + 1, target);
    }
    model.save(target);
    lastSaved = target;
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
    return "ModelCheckpoint(" + path + (saveBestOnly ? ", monitor=" + monitorKey
        + ", save_best_only=true" : "") + ")";
  }
}
