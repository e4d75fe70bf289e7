package io.kava;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Writes a directory atomically: everything goes into a hidden temporary sibling, which is
 * renamed into place only when complete. An existing target is first renamed aside and
 * deleted after the swap, so a crash at any point leaves either the old or the new directory
 * complete (between the two renames, the old one under {@code .<name>.old-*}).
 */
final class AtomicDir {
  private AtomicDir() {}

  static void write(Path target, Consumer<Path> writer) {
    Path abs = target.toAbsolutePath().normalize();
    Path parent = abs.getParent();
    String name = abs.getFileName().toString();
    Path tmp = null;
    try {
      Files.createDirectories(parent);
      if (Files.exists(abs) && !Files.isDirectory(abs)) {
        throw new IllegalArgumentException("Cannot write directory " + abs + ": a file with"
            + " that name exists.");
      }
      tmp = Files.createTempDirectory(parent, "." + name + ".tmp-");
      writer.accept(tmp);
      if (Files.exists(abs)) {
        Path old = parent.resolve("." + name + ".old-" + System.nanoTime());
        Files.move(abs, old, StandardCopyOption.ATOMIC_MOVE);
        Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE);
        deleteRecursively(old);
      } else {
        Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE);
      }
      tmp = null;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + abs + ": " + e.getMessage(), e);
    } finally {
      if (tmp != null) {
        deleteRecursively(tmp);
      }
    }
  }

  /**
   * The directory to read for {@code target}: itself, or, if a crash interrupted a
   * replacement between its two renames, the previous version left beside it.
   */
  static Path readable(Path target) {
    Path abs = target.toAbsolutePath().normalize();
    if (Files.exists(abs) || abs.getParent() == null || !Files.isDirectory(abs.getParent())) {
      return abs;
    }
    String prefix = "." + abs.getFileName() + ".old-";
    try (Stream<Path> s = Files.list(abs.getParent())) {
      return s.filter(p -> p.getFileName().toString().startsWith(prefix))
          .max(Comparator.comparing(p -> p.getFileName().toString())).orElse(abs);
    } catch (IOException e) {
      return abs;
    }
  }

  static void deleteRecursively(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // Best effort: a leftover hidden temporary directory is harmless.
    }
  }
}
