package io.kava.internal;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Writes files and directories atomically: into a hidden temporary sibling, renamed over the
 * target only once complete, so a crash never leaves a half-written file or model. The one
 * atomic writer of the project. Not public API.
 *
 * <pre>{@code
 * jshell> AtomicFiles.write(Path.of("out.bin"), out -> out.write(bytes))
 * }</pre>
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** Produces a file's bytes. */
  @FunctionalInterface
  public interface Writer {
    void write(OutputStream out) throws IOException;
  }

  public static void write(Path file, Writer writer) {
    Path abs = file.toAbsolutePath();
    try {
      Files.createDirectories(abs.getParent());
      Path tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName(), ".tmp");
      try {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp))) {
          writer.write(out);
        }
        Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Writes a directory atomically: everything goes into a hidden temporary sibling, renamed
   * into place only when complete. An existing target is first renamed aside and deleted
   * after the swap, so a crash at any point leaves either the old or the new directory
   * complete (between the two renames, the old one under {@code .<name>.old-*}, which
   * {@link #readableDir} finds).
   */
  public static void writeDir(Path target, Consumer<Path> writer) {
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
        deleteTree(old);
      } else {
        Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE);
      }
      tmp = null;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + abs + ": " + e.getMessage(), e);
    } finally {
      if (tmp != null) {
        deleteTree(tmp);
      }
    }
  }

  /**
   * The directory to read for {@code target}: itself, or, if a crash interrupted a
   * replacement between its two renames, the previous version left beside it.
   */
  public static Path readableDir(Path target) {
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

  /** Deletes a directory and everything in it, best effort. */
  public static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // Best effort: a leftover hidden temporary directory is harmless.
    }
  }
}
