package io.kava.tools;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code kava} command: {@code tools/kava <subcommand> --help} describes each.
 *
 * <pre>{@code
 * $ tools/kava train --epochs 1
 * $ tools/kava inspect --dir kava-output/mnist_simple_cnn/1 --all
 * $ tools/kava bench
 * $ tools/kava convert model.h5 serving/model
 * }</pre>
 */
@Command(name = "kava", mixinStandardHelpOptions = true, version = "kava 0.1.0",
    description = "Keras-style deep learning for Java on TensorFlow.",
    subcommands = {TrainCommand.class, EvaluateCommand.class, ExportCommand.class,
        PredictCommand.class,
        InspectCommand.class, ServeCommand.class, TutorialCommand.class, ShellCommand.class,
        BenchCommand.class, ConvertCommand.class, WorkerCommand.class})
public final class Kava implements Runnable {

  @Override
  public void run() {
    CommandLine.usage(this, System.out);
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line and returns its exit code (for tests). */
  public static int execute(String... args) {
    CommandLine cli = new CommandLine(new Kava());
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      if (e instanceof IllegalArgumentException || e instanceof IllegalStateException
          || e instanceof java.io.UncheckedIOException) {
        cmd.getErr().println("kava " + cmd.getCommandName() + ": " + e.getMessage());
        return 2;
      }
      throw e;
    });
    return cli.execute(args);
  }
}
