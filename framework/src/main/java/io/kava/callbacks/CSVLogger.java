package io.kava.callbacks;

import io.kava.Model;
import io.kava.internal.Checks;
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
 *
 * <pre>{@code
 * jshell> var log = new CSVLogger(Path.of("training.csv"))
 * }</pre>
 */
public final class CSVLogger implements Callback {
  private final Path file;
  private String separator = ",";
  private boolean append;
  private BufferedWriter writer;
  private List<String> keys;

  public CSVLogger(Path file) {
    this.file = Checks.notNull("CSVLogger", "file", file);
  }

  public CSVLogger separator(String separator) {
    if (separator == null || separator.isEmpty()) {
      throw Checks.invalid("CSVLogger", "separator", "a non-empty string", separator, null);
    }
    this.separator = separator;
    return this;
  }

  /** Append to an existing file (resumed training) instead of replacing it. */
  public CSVLogger append(boolean append) {
    this.append = append;
    return this;
  }

  @Override
  public void onTrainBegin(Model model) {
    try {
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
          separator))));
      k.remove("epoch");
      return k;
    }
  }

  @Override
  public void onEpochEnd(Model model, int epoch, Map<String, Double> logs) {
    try {
      if (keys == null) {
        keys = new ArrayList<>(new TreeSet<>(logs.keySet()));
        writer.write("epoch" + separator + String.join(separator, keys));
        writer.newLine();
      }
      StringBuilder row = new StringBuilder(Integer.toString(epoch));
      for (String k : keys) {
        Double v = logs.get(k);
        row.append(separator).append(v == null ? "NA" : Double.toString(v));
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
    return "CSVLogger(" + file + (append ? ", append=true" : "") + ")";
  }
}
