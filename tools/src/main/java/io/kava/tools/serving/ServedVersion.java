package io.kava.tools.serving;

import io.kava.saving.SavedModel;
import java.nio.file.Path;
import java.util.concurrent.locks.ReentrantReadWriteLock;

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
  // Requests hold the read lock; unloading takes the write lock, so it waits for them.
  private final ReentrantReadWriteLock inFlight = new ReentrantReadWriteLock();
  private volatile State state = State.START;
  private volatile String error = "";
  private volatile SavedModel savedModel;
  private int failedLoads;

  ServedVersion(String model, long version, Path dir) {
    this.model = model;
    this.version = version;
    this.dir = dir;
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

  /** Loads the SavedModel; on failure records why (and returns false), never throws. */
  boolean load() {
    state = State.LOADING;
    try {
      savedModel = SavedModel.load(dir);
      error = "";
      state = State.AVAILABLE;
      return true;
    } catch (RuntimeException e) {
      failedLoads++;
      error = "Loading servable: {name: " + model + " version: " + version + "} failed: "
          + e.getMessage();
      state = State.END;
      return false;
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
    return new Lease(model, version, m, inFlight.readLock()::unlock);
  }

  /** Stops new leases, waits for the requests that hold one, then closes the model. */
  void unload() {
    if (state != State.AVAILABLE) {
      return;
    }
    state = State.UNLOADING;
    inFlight.writeLock().lock();
    try {
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
