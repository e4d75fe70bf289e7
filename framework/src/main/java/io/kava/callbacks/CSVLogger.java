package io.kava.callbacks;

import io.kava.Model;
import io.kava.internal.Checks;
import io.kava.saving.Config;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Streams epoch results to a CSV file, as Keras's {@code CSVLogger}: a header
 * {@code epoch,<keys sorted>} and one row per epoch, flushed as it is written. Defaults:
 * separator {@code ,}, append false (the file is replaced when training begins).
 * In a distributed fit only the chief (worker 0) writes.
 *
 * <pre>{@code
 * jshell> var log = new CSVLogger(Path.of("training.csv"))
 * }</pre>
 */
public final class CSVLogger implements Callback {
  private static final String TYPE = "CSVLogger";

  private final Config config;
  private final Path file;

  // Per-fit state.
  private BufferedWriter writer;
  /** False on a distributed fit's other replicas, which write nothing. */
  private boolean chief = true;
  private List<String> keys;

  /** Logs to {@code file}, replacing it when training begins. */
  public CSVLogger(Path file) {
    this(Config.builder().put("filename", Checks.notNull(TYPE, "file", file).toString())
        .put("separator", ",").put("append", false).build());
  }

  private CSVLogger(Config config) {
    this.config = config;
    this.file = Path.of(config.getString("filename"));
  }

  /** Rebuilds a CSVLogger from {@link #config()}; missing keys take the defaults. */
  public static CSVLogger fromConfig(Config given) {
    CSVLogger d = new CSVLogger(Path.of(given.getString("filename")));
    Config c = Callbacks.over(d.config, given);
    return d.separator(c.getString("separator")).append(c.getBoolean("append", false));
  }

  /** The string between values. Default {@code ,}. */
  public CSVLogger separator(String separator) {
    if (separator == null || separator.isEmpty()) {
      throw Checks.invalid(TYPE, "separator", "a non-empty string", separator, null);
    }
    return new CSVLogger(config.with("separator", separator));
  }

  /** Append to an existing file (resumed training) instead of replacing it. */
  public CSVLogger append(boolean append) {
    return new CSVLogger(config.with("append", append));
  }

  /** Keras's {@code get_config} keys: filename, separator, append. */
  @Override
  public Config config() {
    return config;
  }

  @Override
  public void setParams(TrainParams params) {
    chief = params.chief();
  }

  @Override
  public void onTrainBegin(Model model) {
    if (!chief) {
      return;
    }
    try {
      boolean append = config.getBoolean("append", false);
      boolean existed = Files.exists(file) && Files.size(file) > 0;
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING,
          StandardOpenOption.WRITE);
      keys = append && existed ? readHeader() : null;
    } catch (IOException e) {
      throw new UncheckedIOException("CSVLogger: cannot open " + file + ": " + e.getMessage(), e);
    }
  }

  private List<String> readHeader() throws IOException {
    try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
      String header = lines.findFirst().orElse("");
      List<String> k = new ArrayList<>(List.of(header.split(java.util.regex.Pattern.quote(
          separator()))));
      k.remove("epoch");
      return k;
    }
  }

  private String separator() {
    return config.getString("separator");
  }

  @Override
  public void onEpochEnd(Model model, int epoch, Map<String, Double> logs) {
    if (writer == null) {
      return; // not the chief
    }
    try {
      if (keys == null) {
        keys = new ArrayList<>(new TreeSet<>(logs.keySet()));
        writer.write("epoch" + separator() + String.join(separator(), keys));
        writer.newLine();
      }
      StringBuilder row = new StringBuilder(Integer.toString(epoch));
      for (String k : keys) {
        Double v = logs.get(k);
        row.append(separator()).append(v == null ? "NA" : Double.toString(v));
      }
      writer.write(row.toString());
      writer.newLine();
      writer.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("CSVLogger: cannot write " + file + ": " + e.getMessage(),
          e);
    }
  }

  @Override
  public void onTrainEnd(Model model) {
    try {
      if (writer != null) {
        writer.close();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("CSVLogger: cannot close " + file, e);
    } finally {
      writer = null;
    }
  }

  @Override
  public String toString() {
    return "CSVLogger(" + file + (config.getBoolean("append", false) ? ", append=true" : "")
        + ")";
  }
}
