package io.kava.tools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jdk.jshell.tool.JavaShellToolBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code kava shell [SCRIPT.jsh]}: JShell with Kava on the class path and its packages
 * imported; with a script, runs it and exits.
 */
@Command(name = "shell", mixinStandardHelpOptions = true,
    description = "Opens JShell with Kava on the class path and its packages imported; with a"
        + " .jsh script, runs it (end it with /exit).")
final class ShellCommand implements Runnable {

  /** What every Kava JShell session imports, as the README's examples assume. */
  static final List<String> IMPORTS = List.of("io.kava.*", "io.kava.layers.*",
      "io.kava.optimizers.*", "io.kava.losses.*", "io.kava.metrics.*", "io.kava.callbacks.*",
      "io.kava.saving.*", "io.kava.models.*", "io.kava.data.image.*",
      "io.kava.data.datasets.*", "io.kava.tools.Plots", "org.tensorflow.ndarray.NdArrays",
      "org.tensorflow.ndarray.FloatNdArray", "java.nio.file.Path");

  @Parameters(arity = "0..1", description = "A .jsh script to run.")
  Path script;

  @Override
  public void run() {
    if (script != null && !Files.isRegularFile(script)) {
      throw new IllegalArgumentException("shell: script " + script + " must exist; it does"
          + " not.");
    }
    try {
      int code = JavaShellToolBuilder.builder().out(System.out).err(System.err)
          .start(arguments(script).toArray(String[]::new));
      if (code != 0) {
        throw new IllegalStateException("shell: JShell exited with status " + code + ".");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      if (e instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException("shell: JShell failed: " + e.getMessage(), e);
    }
  }

  /** JShell's arguments: Kava's class path, the default startup plus Kava's imports. */
  static List<String> arguments(Path script) throws IOException {
    Path startup = Files.createTempFile("kava-imports", ".jsh");
    startup.toFile().deleteOnExit();
    StringBuilder b = new StringBuilder();
    IMPORTS.forEach(i -> b.append("import ").append(i).append(";\n"));
    Files.writeString(startup, b);
    List<String> args = new ArrayList<>(List.of("--class-path",
        System.getProperty("java.class.path"), "--startup", "DEFAULT", "--startup",
        startup.toString(), "-R-Xmx4g"));
    if (script != null) {
      args.add(script.toString());
    }
    return args;
  }
}
