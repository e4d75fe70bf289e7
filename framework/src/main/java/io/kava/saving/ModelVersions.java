package io.kava.saving;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The numbered version folders of a TensorFlow Serving base path, found by TF Serving's
 * rules: a version folder is a directory whose name is all ASCII decimal digits (leading
 * zeros allowed: {@code 00000123} is version 123) and fits a {@code long}. Other names, names
 * that overflow a {@code long}, and files are not versions and are skipped, not errors. Where
 * two names give one number ({@code 7} and {@code 007}) the name that sorts last wins, as in
 * TF Serving. The one scan that {@link SavedModel#load}, {@code kava serve} and
 * {@code kava train} share.
 *
 * <pre>{@code
 * jshell> ModelVersions.list(Path.of("half_plus_two"))
 * $1 ==> {123=half_plus_two/00000123}
 * jshell> ModelVersions.parse("00000123")
 * $2 ==> OptionalLong[123]
 * }</pre>
 */
public final class ModelVersions {
  private ModelVersions() {}

  /**
   * The version a folder name stands for: empty unless {@code name} is one or more ASCII
   * digits whose value fits a {@code long}.
   */
  public static OptionalLong parse(String name) {
    if (name == null || name.isEmpty()) {
      return OptionalLong.empty();
    }
    long value = 0;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < '0' || c > '9') {
        return OptionalLong.empty();
      }
      int digit = c - '0';
      if (value > (Long.MAX_VALUE - digit) / 10) {
        return OptionalLong.empty();
      }
      value = value * 10 + digit;
    }
    return OptionalLong.of(value);
  }

  /**
   * Every version folder of {@code base}, by version number (oldest first); empty if it has
   * none.
   *
   * @throws IllegalArgumentException if {@code base} is null or not a directory
   * @throws UncheckedIOException if {@code base} cannot be listed
   */
  public static NavigableMap<Long, Path> list(Path base) {
    if (base == null) {
      throw new IllegalArgumentException("ModelVersions: base path must be non-null; got"
          + " null.");
    }
    if (!Files.isDirectory(base)) {
      throw new IllegalArgumentException("ModelVersions: base path must be a directory; got "
          + base + ", which " + (Files.exists(base) ? "is a file." : "does not exist."));
    }
    TreeMap<Long, Path> versions = new TreeMap<>();
    try (Stream<Path> children = Files.list(base)) {
      children.sorted().forEach(p -> parse(p.getFileName().toString()).ifPresent(v -> {
        if (Files.isDirectory(p)) {
          versions.put(v, p);
        }
      }));
    } catch (IOException e) {
      throw new UncheckedIOException("ModelVersions: cannot list base path " + base + ": "
          + e.getMessage(), e);
    }
    return Collections.unmodifiableNavigableMap(versions);
  }

  /**
   * The version folder of {@code base} with the highest number; empty if it has none.
   *
   * @throws IllegalArgumentException if {@code base} is null or not a directory
   * @throws UncheckedIOException if {@code base} cannot be listed
   */
  public static Optional<Path> newest(Path base) {
    NavigableMap<Long, Path> versions = list(base);
    return versions.isEmpty() ? Optional.empty() : Optional.of(versions.lastEntry().getValue());
  }
}
