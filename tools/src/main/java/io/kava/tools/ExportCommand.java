package io.kava.tools;

import io.kava.Sequential;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kava export}: a model saved with {@code model.save} as a TF Serving SavedModel. */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = "Exports a model saved by Kava (model.save / ModelCheckpoint) as an"
        + " inference-only SavedModel in TF Serving's layout <output>/<version>.")
final class ExportCommand implements Runnable {
  @Option(names = "--model", required = true, description = "Directory written by model.save.")
  Path model;

  @Option(names = "--output", required = true, description = "TF Serving base path.")
  Path output;

  @Option(names = "--version", defaultValue = "1", description = "Version number (default:"
      + " ${DEFAULT-VALUE}).")
  long version;

  @Override
  public void run() {
    try (Sequential m = Sequential.load(model)) {
      m.export(output, version);
      System.out.println("Exported " + m.name() + " to "
          + output.resolve(Long.toString(version)).toAbsolutePath());
    }
  }
}
