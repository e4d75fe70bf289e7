package io.kava.callbacks;

import io.kava.Model;
import io.kava.internal.AtomicFiles;
import io.kava.internal.Checks;
import io.kava.saving.Config;
import java.nio.file.Path;
import java.util.Map;

/**
 * Backs the training state up after every epoch and, when a fit starts and finds a backup,
 * resumes from it, as Keras's {@code BackupAndRestore}: a job that was killed and started
 * again (same program, same data, same {@code FitOptions}) continues after the last completed
 * epoch with the weights, optimizer state and step counter it had, so it trains exactly as the
 * uninterrupted job would have. The backup is a {@link Model#save} directory, written
 * atomically; in a distributed fit only the chief writes it and every worker reads it (the
 * directory must be on storage they share). Default: the backup is deleted when the fit ends
 * normally ({@code deleteCheckpoint(true)}, Keras's {@code delete_checkpoint}).
 *
 * <pre>{@code
 * jshell> model.fit(x, y, FitOptions.defaults().epochs(10).callbacks(
 *    ...>     new BackupAndRestore(Path.of("/shared/backup"))))
 * }</pre>
 */
public final class BackupAndRestore implements Callback {
  private static final String TYPE = "BackupAndRestore";
  private final Config config;
  private boolean chief = true;

  /** Backs up to (and resumes from) {@code backupDir}. */
  public BackupAndRestore(Path backupDir) {
    this(Config.builder().put("backup_dir", Checks.notNull(TYPE, "backup directory",
        backupDir).toString()).put("delete_checkpoint", true).build());
  }

  private BackupAndRestore(Config config) {
    this.config = config;
  }

  /** Rebuilds a BackupAndRestore from {@link #config()}; missing keys take the defaults. */
  public static BackupAndRestore fromConfig(Config given) {
    return new BackupAndRestore(Path.of(given.getString("backup_dir")))
        .deleteCheckpoint(given.getBoolean("delete_checkpoint", true));
  }

  /** Whether the backup is deleted when the fit ends normally. Default true. */
  public BackupAndRestore deleteCheckpoint(boolean delete) {
    return new BackupAndRestore(config.with("delete_checkpoint", delete));
  }

  /** The directory the backup is written to and resumed from. */
  public Path backupDir() {
    return Path.of(config.getString("backup_dir"));
  }

  /** Keras's {@code get_config} keys: backup_dir, delete_checkpoint. */
  @Override
  public Config config() {
    return config;
  }

  @Override
  public void setParams(TrainParams params) {
    chief = params.chief();
  }

  @Override
  public void onEpochEnd(Model model, int epoch, Map<String, Double> logs) {
    if (chief) {
      model.save(backupDir());
    }
  }

  @Override
  public void onTrainEnd(Model model) {
    // Not reached when the fit fails: the backup stays for the restarted job.
    if (chief && config.getBoolean("delete_checkpoint", true)) {
      AtomicFiles.deleteTree(backupDir());
    }
  }

  @Override
  public String toString() {
    return "BackupAndRestore(backup_dir=" + backupDir()
        + (config.getBoolean("delete_checkpoint", true) ? "" : ", delete_checkpoint=false")
        + ")";
  }
}
