package io.kava;

import io.kava.internal.AtomicFiles;
import io.kava.internal.Checks;
import io.kava.saving.Registry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A model's files: the inference SavedModel {@code export} writes, and the SavedModel plus
 * {@code kava.json} and training checkpoint that {@code save} writes and {@code load} reads.
 * Every write is atomic (a temporary sibling renamed into place).
 */
final class ModelFiles {
  private static final Path CHECKPOINT = Path.of("assets.extra", "training", "checkpoint");

  private ModelFiles() {}

  /** {@code <base>/<version>}, TF Serving's layout, checked. */
  static Path versionDir(String subject, Path base, long version) {
    if (version <= 0) {
      throw Checks.invalid(subject, "export version", "> 0 (TF Serving's numbered"
          + " versions)", version, null);
    }
    return Checks.notNull(subject, "export base directory", base)
        .resolve(Long.toString(version));
  }

  static void export(ModelGraph graph, Topology topology, Path dir) {
    List<float[]> values = graph.weights().get();
    AtomicFiles.writeDir(dir, tmp -> writeSavedModel(topology, values, tmp));
  }

  private static void writeSavedModel(Topology topology, List<float[]> values, Path dir) {
    try (ModelGraph inference = new ModelGraph(topology, null)) {
      inference.weights().set(values);
      inference.exportSavedModel(dir);
    }
  }

  static void save(ModelJson.Saved saved, ModelGraph graph, Path dir) {
    String json = ModelJson.write(saved);
    List<float[]> values = graph.weights().get();
    AtomicFiles.writeDir(dir, tmp -> {
      writeSavedModel(saved.topology(), values, tmp);
      try {
        Files.writeString(tmp.resolve(ModelJson.FILE), json);
        Path checkpoint = tmp.resolve(CHECKPOINT);
        Files.createDirectories(checkpoint.getParent());
        graph.saveCheckpoint(checkpoint);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /**
   * Restores into {@code model}, in place, the weights, optimizer state and counters of a
   * directory {@link #save} wrote for a model of the same layers; returns its epochs
   * completed. {@code caller} names the entry point in messages.
   */
  static int restoreState(Model model, Path dir, String caller) {
    Path d = AtomicFiles.readableDir(dir);
    Path json = d.resolve(ModelJson.FILE);
    Path checkpoint = d.resolve(CHECKPOINT);
    if (!Files.isRegularFile(checkpoint.resolveSibling("checkpoint.index"))) {
      throw new IllegalArgumentException(caller + ": " + dir + " must contain the training"
          + " checkpoint assets.extra/training/checkpoint.index; it does not.");
    }
    int epochs;
    try {
      epochs = ModelJson.epochsCompleted(Files.readString(json), json.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(caller + ": cannot read " + json, e);
    }
    try {
      model.built(caller).restoreCheckpoint(checkpoint);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(caller + ": the backup in " + dir + " must hold the"
          + " state of a model with the same layers and optimizer; restoring it failed: "
          + e.getMessage().lines().findFirst().orElse(""), e);
    }
    model.epochsCompleted(epochs);
    return epochs;
  }

  /** Reads a saved model; {@code caller} names the entry point in messages. */
  static Model load(Path dir, Registry registry, String caller) {
    if (dir == null || registry == null) {
      throw new IllegalArgumentException(caller + ": directory and registry must be non-null;"
          + " got " + dir + " and " + registry + ".");
    }
    Path d = AtomicFiles.readableDir(dir);
    Path json = d.resolve(ModelJson.FILE);
    if (!Files.isRegularFile(json)) {
      throw new IllegalArgumentException(caller + ": " + dir + " must contain "
          + ModelJson.FILE + " (written by model.save); " + (Files.isDirectory(d)
          ? "it does not. For other SavedModels use io.kava.saving.SavedModel.load."
          : "the directory does not exist."));
    }
    ModelJson.Loaded loaded;
    try {
      loaded = ModelJson.read(Files.readString(json), json.toString(), registry);
    } catch (IOException e) {
      throw new UncheckedIOException(caller + ": cannot read " + json, e);
    }
    Model m = loaded.model();
    Path checkpoint = loaded.saved().compile() != null ? d.resolve(CHECKPOINT)
        : d.resolve("variables").resolve("variables");
    if (loaded.saved().compile() != null
        && !Files.isRegularFile(checkpoint.resolveSibling("checkpoint.index"))) {
      throw new IllegalArgumentException(caller + ": " + dir + " must contain the training"
          + " checkpoint assets.extra/training/checkpoint.index; it does not.");
    }
    m.restore(loaded.saved(), checkpoint);
    return m;
  }
}
