package io.kava.tools.serving;

import io.kava.saving.ModelVersions;
import io.kava.saving.SavedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A model base path as TF Serving serves it: numbered version folders, the newest loaded and
 * served, the folder polled so a version dropped in while running is picked up (and the old
 * one unloaded once no request uses it).
 *
 * <pre>{@code
 * jshell> var served = new ServedModel("mnist", Path.of("kava-output/mnist_simple_cnn"), 1)
 * jshell> try (var server = RestServer.start(served, "127.0.0.1", 8501, 1 << 26, 30_000)) { ... }
 * }</pre>
 */
public final class ServedModel implements AutoCloseable {
  private static final Pattern VALID_NAME = Pattern.compile("[A-Za-z0-9_.\\-]+");

  private final String name;
  private final Path base;
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(
      r -> {
        Thread t = new Thread(r, "kava-serve-poll");
        t.setDaemon(true);
        return t;
      });
  private long version;
  private SavedModel model;

  /**
   * Loads the newest version of {@code base} and polls it every {@code pollSeconds} (0: never).
   * Version folders are those {@link ModelVersions} finds.
   *
   * @throws IllegalArgumentException if {@code name} is not {@link #isValidName valid},
   *     {@code base} is not a directory or has no version folders, or the newest version
   *     cannot be loaded
   */
  public ServedModel(String name, Path base, double pollSeconds) {
    if (!isValidName(name)) {
      throw new IllegalArgumentException("ServedModel: name must be letters, digits, '_', '.'"
          + " or '-' (it is part of the URLs); got " + (name == null ? "null" : "'" + name + "'")
          + ".");
    }
    if (base == null) {
      throw new IllegalArgumentException("ServedModel '" + name + "': base path must be"
          + " non-null; got null.");
    }
    if (!Files.isDirectory(base)) {
      throw new IllegalArgumentException("ServedModel '" + name + "': base path " + base
          + " must be a directory; it " + (Files.exists(base) ? "is a file." : "does not exist."));
    }
    this.name = name;
    this.base = base;
    Map.Entry<Long, Path> newest = ModelVersions.list(base).lastEntry();
    if (newest == null) {
      throw new IllegalArgumentException("ServedModel '" + name + "': base path " + base
          + " must contain numbered version folders holding a SavedModel; it has none.");
    }
    load(newest.getKey(), newest.getValue());
    if (pollSeconds > 0) {
      long ms = (long) (pollSeconds * 1000);
      poller.scheduleWithFixedDelay(this::poll, ms, ms, TimeUnit.MILLISECONDS);
    }
  }

  /** Whether {@code name} can be served: letters, digits, '_', '.' or '-' (URL-safe). */
  public static boolean isValidName(String name) {
    return name != null && VALID_NAME.matcher(name).matches();
  }

  private void load(long v, Path dir) {
    SavedModel loaded = SavedModel.load(dir);
    SavedModel old;
    lock.writeLock().lock();
    try {
      old = model;
      model = loaded;
      version = v;
    } finally {
      lock.writeLock().unlock();
    }
    if (old != null) {
      old.close();
    }
  }

  private void poll() {
    Map.Entry<Long, Path> newest = null;
    try {
      newest = ModelVersions.list(base).lastEntry();
      if (newest != null && newest.getKey() > version()) {
        load(newest.getKey(), newest.getValue());
        System.out.println("Serving " + name + " version " + newest.getKey());
      }
    } catch (RuntimeException e) {
      // A half-copied version folder fails to load; the next poll tries again.
      System.err.println("ServedModel '" + name + "': not loading "
          + (newest == null ? "a new version" : "version " + newest.getKey()) + " of " + base
          + " yet: " + e.getMessage());
    }
  }

  public String name() {
    return name;
  }

  /** The served version. */
  public long version() {
    lock.readLock().lock();
    try {
      return version;
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Runs {@code work} on the model of {@code wanted} (null: the newest); the model is not
   * unloaded while it runs. Empty if that version is not served.
   */
  public <T> Optional<T> with(Long wanted, Function<SavedModel, T> work) {
    lock.readLock().lock();
    try {
      if (wanted != null && wanted != version) {
        return Optional.empty();
      }
      return Optional.of(work.apply(model));
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Whether the base path has a folder for version {@code v} (served or not); false if it
   * cannot be listed.
   */
  public boolean hasVersionFolder(long v) {
    try {
      return ModelVersions.list(base).containsKey(v);
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** The versions this server knows: the served one. */
  public Map<Long, String> states() {
    return Collections.unmodifiableMap(new TreeMap<>(Map.of(version(), "AVAILABLE")));
  }

  @Override
  public void close() {
    poller.shutdownNow();
    lock.writeLock().lock();
    try {
      if (model != null) {
        model.close();
        model = null;
      }
    } finally {
      lock.writeLock().unlock();
    }
  }
}
