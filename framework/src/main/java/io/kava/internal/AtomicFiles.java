package io.kava.internal;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a file atomically: into a hidden temporary sibling, renamed over the target only
 * once complete, so a crash never leaves a half-written file. Not public API.
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
}
