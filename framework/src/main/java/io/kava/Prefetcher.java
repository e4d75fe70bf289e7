package io.kava;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Prepares batch {@code i + 1} on a background thread while the caller works on batch
 * {@code i}, so a training step never waits on data loading or tensor conversion.
 */
final class Prefetcher<T extends AutoCloseable> implements AutoCloseable {
  private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "kava-prefetch");
    t.setDaemon(true);
    return t;
  });
  private final Function<Integer, T> load;
  private final int count;
  private int next;
  private Future<T> pending;

  Prefetcher(int count, Function<Integer, T> load) {
    this.count = count;
    this.load = load;
    schedule();
  }

  private void schedule() {
    if (next < count) {
      int i = next++;
      pending = executor.submit(() -> load.apply(i));
    } else {
      pending = null;
    }
  }

  /** The next item; rethrows the loader's exception unchanged. */
  T next() {
    if (pending == null) {
      throw new IllegalStateException("Prefetcher: no more batches");
    }
    try {
      T item = pending.get();
      schedule();
      return item;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a batch", e);
    } catch (ExecutionException e) {
      pending = null;
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  @Override
  public void close() {
    if (pending != null) {
      try {
        T item = pending.get();
        item.close();
      } catch (Exception ignored) {
        // The batch is dropped either way; its loader's failure no longer matters.
      }
    }
    executor.shutdownNow();
  }
}
