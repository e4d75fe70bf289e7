package io.kava.tools.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a fresh JVM like this one: the same {@code java}, class path and
 * {@code -D} system properties (tools/kava's among them), with its own JVM options, running a
 * main class. Benches start such JVMs to measure cold starts, native memory or separate
 * worker processes.
 *
 * <pre>{@code
 * jshell> new ProcessBuilder(ChildJvm.command(List.of("-Xmx512m"), Worker.class, "--quick"))
 * }</pre>
 */
final class ChildJvm {
  private ChildJvm() {}

  /** {@code java [this JVM's -D options] options -cp <this class path> main args}. */
  static List<String> command(List<String> options, Class<?> main, String... args) {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("-D")).forEach(command::add);
    command.addAll(options);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
    command.addAll(List.of(args));
    return command;
  }
}
