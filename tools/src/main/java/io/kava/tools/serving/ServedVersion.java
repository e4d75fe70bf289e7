package io.kava.tools.serving;

import io.kava.saving.SavedModel;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.tensorflow.ndarray.NdArray;

/**
 * One version of a served model and its life cycle, as TF Serving reports it (START, LOADING,
 * AVAILABLE, UNLOADING, END): loaded once, leased to requests, and unloaded only after the
 * requests that hold it finish.
 */
final class ServedVersion {
  /** TF Serving's ModelVersionStatus states. */
  enum State { START, LOADING, AVAILABLE, UNLOADING, END }

  private final String model;
  private final long version;
  private final Path dir;
  private final ServingCore.Options options;
  private final Map<String, Batcher> batchers = new ConcurrentHashMap<>();
  // Requests hold the read lock; unloading takes the write lock, so it waits for them.
  private final ReentrantReadWriteLock inFlight = new ReentrantReadWriteLock();
  private volatile State state = State.START;
  private volatile String error = "";
  private volatile SavedModel savedModel;
  private int failedLoads;

  ServedVersion(String model, long version, Path dir, ServingCore.Options options) {
    this.model = model;
    this.version = version;
    this.dir = dir;
    this.options = options;
  }

  long version() {
    return version;
  }

  Path dir() {
    return dir;
  }

  State state() {
    return state;
  }

  /** Why the last load failed; empty if it did not. */
  String error() {
    return error;
  }

  int failedLoads() {
    return failedLoads;
  }

  /**
   * Loads the SavedModel and warms it up (see {@link Warmup}); it is AVAILABLE only after
   * that. On failure records why (and returns false), never throws.
   */
  boolean load() {
    state = State.LOADING;
    long start = System.nanoTime();
    SavedModel m = null;
    try {
      m = SavedModel.load(dir);
      warmUp(m);
      savedModel = m;
      options.metrics().recordLoad(dir.toString(), true, System.nanoTime() - start);
      error = "";
      state = State.AVAILABLE;
      return true;
    } catch (RuntimeException e) {
      if (m != null) {
        batchers.values().forEach(Batcher::close);
        batchers.clear();
        m.close();
      }
      options.metrics().recordLoad(dir.toString(), false, System.nanoTime() - start);
      failedLoads++;
      error = "Loading servable: {name: " + model + " version: " + version + "} failed: "
          + e.getMessage();
      state = State.END;
      return false;
    }
  }

  /**
   * Replays the version's warmup file, or (without one) runs its Predict signatures on zeros,
   * through the same path as requests (the batcher, when batching is on).
   */
  private void warmUp(SavedModel m) {
    int iterations = options.warmupIterations();
    if (iterations == 0) {
      return;
    }
    Lease lease = new Lease(model, version, m, (signature, inputs) -> run(m, signature, inputs),
        () -> {});
    long start = System.nanoTime();
    int records = Warmup.replay(dir, lease, iterations, Long.MAX_VALUE);
    if (records > 0) {
      options.log().accept("Warmed up servable version {name: " + model + " version: " + version
          + "} with " + records + " record(s) x " + iterations + " from " + Warmup.file(dir)
          + " in " + (System.nanoTime() - start) / 1_000_000 + " ms");
    } else {
      Warmup.zeros(lease);
    }
  }

  /**
   * A lease on the loaded model, or null if it is not AVAILABLE; the caller must close it on
   * the same thread.
   */
  Lease lease() {
    if (!inFlight.readLock().tryLock()) {
      return null;
    }
    SavedModel m = savedModel;
    if (state != State.AVAILABLE || m == null) {
      inFlight.readLock().unlock();
      return null;
    }
    return new Lease(model, version, m, (signature, inputs) -> run(m, signature, inputs),
        inFlight.readLock()::unlock);
  }

  /** Runs a signature, through its batcher when batching is on. */
  private Map<String, NdArray<?>> run(SavedModel m, String signature,
      Map<String, ? extends NdArray<?>> inputs) {
    BatchScheduler batching = options.batching();
    if (batching == null) {
      return m.run(signature, inputs);
    }
    return batchers.computeIfAbsent(signature, s -> batching.batcher(model + "/" + version
        + "/" + s, in -> m.run(s, in))).run(inputs);
  }

  /** Stops new leases, waits for the requests that hold one, then closes the model. */
  void unload() {
    if (state != State.AVAILABLE) {
      return;
    }
    state = State.UNLOADING;
    inFlight.writeLock().lock();
    try {
      batchers.values().forEach(Batcher::close);
      batchers.clear();
      if (savedModel != null) {
        savedModel.close();
        savedModel = null;
      }
      state = State.END;
    } finally {
      inFlight.writeLock().unlock();
    }
  }

  @Override
  public String toString() {
    return "ServedVersion " + model + " " + version + " " + state
        + (error.isEmpty() ? "" : " (" + error + ")");
  }
}
