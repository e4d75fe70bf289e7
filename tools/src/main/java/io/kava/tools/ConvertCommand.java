package io.kava.tools;

import io.kava.Model;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kava convert}: a Keras model file as a TF Serving SavedModel version, or a model
 * saved by Kava as a Keras 3 {@code .keras} file.
 *
 * <pre>{@code
 * $ tools/kava convert model.h5 serving/mnist             # -> serving/mnist/<next version>
 * $ tools/kava convert kava-output/run model.keras --to keras
 * }</pre>
 */
@Command(name = "convert", mixinStandardHelpOptions = true,
    description = "Converts a Keras model file (legacy .h5 or Keras 3 .keras) to a TF Serving"
        + " SavedModel in <OUT>/<next version> (the default), or, with --to keras, a model"
        + " directory written by Kava's model.save to a Keras 3 .keras file OUT.")
final class ConvertCommand implements Runnable {
  @Parameters(index = "0", paramLabel = "IN", description = "A Keras file (.h5 or .keras), or"
      + " with --to keras a directory written by model.save.")
  Path in;

  @Parameters(index = "1", paramLabel = "OUT", description = "The TF Serving base path (a"
      + " new version folder is written under it), or with --to keras the .keras file.")
  Path out;

  @Option(names = "--to", defaultValue = "savedmodel", paramLabel = "FORMAT",
      description = "savedmodel (default) or keras.")
  String to;

  @Override
  public void run() {
    switch (to.toLowerCase(Locale.ROOT)) {
      case "savedmodel" -> toSavedModel();
      case "keras" -> toKeras();
      default -> throw new IllegalArgumentException("--to must be savedmodel or keras; got '"
          + to + "'.");
    }
  }

  private void toSavedModel() {
    if (!Files.isRegularFile(in)) {
      throw new IllegalArgumentException("IN must be a Keras model file (.h5 or .keras); "
          + in + (Files.isDirectory(in) ? " is a directory (for a Kava model directory use"
          + " --to keras, or kava export)." : " does not exist."));
    }
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw new IllegalArgumentException("OUT must be a TF Serving base directory; " + out
          + " is a file.");
    }
    try (Model m = Model.loadKeras(in)) {
      long version = TrainCommand.nextVersion(out);
      m.export(out, version);
      System.out.println("Converted " + in + " (" + m.name() + ", inputs " + m.inputNames()
          + ", outputs " + m.outputNames() + ") to SavedModel "
          + out.resolve(Long.toString(version)).toAbsolutePath());
    }
  }

  private void toKeras() {
    if (!Files.isDirectory(in)) {
      throw new IllegalArgumentException("with --to keras, IN must be a model directory"
          + " written by Kava's model.save; " + in + (Files.exists(in) ? " is a file."
          : " does not exist."));
    }
    try (Model m = Model.load(in)) {
      m.saveKeras(out);
      System.out.println("Converted " + in + " (" + m.name() + ") to Keras file "
          + out.toAbsolutePath());
    }
  }
}
