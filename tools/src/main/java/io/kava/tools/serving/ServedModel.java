package io.kava.tools.serving;

import io.kava.saving.SavedModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.stream.Stream;

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

  /** Loads the newest version of {@code base} and polls it every {@code pollSeconds}. */
  public ServedModel(String name, Path base, double pollSeconds) {
    if (name == null || !name.matches("[A-Za-z0-9_.\\-]+")) {
      throw new IllegalArgumentException("serve: --model_name must be letters, digits, '_',"
          + " '.' or '-'; got '" + name + "'.");
    }
    this.name = name;
    this.base = base;
    Path newest = newestVersion().orElseThrow(() -> new IllegalArgumentException("serve:"
        + " --model_base_path " + base + " must contain numbered version folders holding a"
        + " saved_model.pb; found none."));
    load(newest);
    if (pollSeconds > 0) {
      long ms = (long) (pollSeconds * 1000);
      poller.scheduleWithFixedDelay(this::poll, ms, ms, TimeUnit.MILLISECONDS);
    }
  }

  /** The newest version folder (TF Serving's names may have leading zeros: 00000123). */
  private Optional<Path> newestVersion() {
    if (!Files.isDirectory(base)) {
      throw new IllegalArgumentException("serve: --model_base_path " + base + " must be a"
          + " directory; it " + (Files.exists(base) ? "is a file." : "does not exist."));
    }
    try (Stream<Path> s = Files.list(base)) {
      return s.filter(p -> p.getFileName().toString().matches("\\d{1,18}"))
          .filter(p -> Files.isRegularFile(p.resolve("saved_model.pb")))
          .max(java.util.Comparator.comparingLong(ServedModel::number));
    } catch (IOException e) {
      throw new UncheckedIOException("serve: cannot list " + base, e);
    }
  }

  private static long number(Path versionDir) {
    return Long.parseLong(versionDir.getFileName().toString());
  }

  private void load(Path dir) {
    long v = number(dir);
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
    try {
      Optional<Path> newest = newestVersion();
      if (newest.isPresent() && number(newest.get()) > version()) {
        load(newest.get());
        System.out.println("Serving " + name + " version " + number(newest.get()));
      }
    } catch (RuntimeException e) {
      // A half-copied version folder fails to load; the next poll tries again.
      System.err.println("serve: not loading a new version yet: " + e.getMessage());
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

  /** The versions this server knows: the served one. */
  public java.util.Map<Long, String> states() {
    return Collections.unmodifiableMap(new TreeMap<>(java.util.Map.of(version(), "AVAILABLE")));
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
