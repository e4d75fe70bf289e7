package io.kava.tools.serving;

import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.tensorflow.ndarray.NdArray;

/**
 * The batch threads of a server with {@code --enable_batching}: {@code numBatchThreads} threads
 * shared by every model, as TF Serving's SharedBatchScheduler is, running the batches that each
 * {@link Batcher} (one per model version and signature) forms.
 *
 * <p>Each batcher keeps one queue of batches per input shape. A request joins the newest batch
 * of its queue if it fits in {@code maxBatchSize} rows, else starts a new batch; a queue with
 * {@code maxEnqueuedBatches} batches refuses it (UNAVAILABLE, TF Serving's message). A batch is
 * run when a thread is free and it is full, a newer batch follows it, or its first request has
 * waited {@code batchTimeoutMicros}.
 *
 * <pre>{@code
 * jshell> var scheduler = BatchScheduler.start(BatchingOptions.fromFile(Path.of("batching.txt")))
 * jshell> var batcher = scheduler.batcher("half_plus_two/123/serving_default",
 *    ...>     in -> model.run("serving_default", in))
 * jshell> batcher.run(Map.of("x", NdArrays.vectorOf(1f, 2f)))   // from many threads at once
 * jshell> scheduler.close()
 * }</pre>
 */
public final class BatchScheduler implements AutoCloseable {
  private final BatchingOptions options;
  private final ReentrantLock lock = new ReentrantLock();
  /** Signalled on every new request, finished batch and close. */
  private final Condition changed = lock.newCondition();
  private final List<Batcher.Queue> queues = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private int next;
  private boolean closed;

  private BatchScheduler(BatchingOptions options) {
    this.options = options;
  }

  /** Starts {@code options.numBatchThreads()} daemon threads named after its thread pool. */
  public static BatchScheduler start(BatchingOptions options) {
    if (options == null) {
      throw new IllegalArgumentException("BatchScheduler: options must be non-null; got null.");
    }
    BatchScheduler s = new BatchScheduler(options);
    for (int i = 0; i < options.numBatchThreads(); i++) {
      Thread t = new Thread(s::work, options.threadPoolName() + "-" + i);
      t.setDaemon(true);
      s.threads.add(t);
      t.start();
    }
    return s;
  }

  /**
   * A batcher whose batches run {@code run} (for a served model:
   * {@code in -> savedModel.run(signature, in)}); {@code name} appears in its errors.
   */
  public Batcher batcher(String name,
      Function<Map<String, NdArray<?>>, Map<String, NdArray<?>>> run) {
    if (name == null || run == null) {
      throw new IllegalArgumentException("BatchScheduler: batcher name and function must be"
          + " non-null; got name=" + name + ", function=" + run + ".");
    }
    return new Batcher(this, name, run);
  }

  public BatchingOptions options() {
    return options;
  }

  /** Adds {@code task} to the queue of {@code key} of {@code batcher}, as TF Serving would. */
  void enqueue(Batcher batcher, String key, Batcher.Task task) {
    lock.lock();
    try {
      if (closed || batcher.closed) {
        throw Status.UNAVAILABLE.withDescription((closed ? "The batch scheduler" : batcher)
            + " is closed; the request was not run.").asRuntimeException();
      }
      Batcher.Queue q = batcher.queues.get(key);
      if (q == null) {
        q = new Batcher.Queue(batcher, key);
        batcher.queues.put(key, q);
        queues.add(q);
      }
      Batcher.Batch tail = q.batches.peekLast();
      if (tail == null || tail.rows + task.rows > options.maxBatchSize()) {
        if (q.batches.size() >= options.maxEnqueuedBatches()) {
          throw Status.UNAVAILABLE.withDescription("The batch scheduling queue to which this"
              + " task was submitted is full").asRuntimeException();
        }
        tail = new Batcher.Batch(System.nanoTime());
        q.batches.add(tail);
      }
      tail.tasks.add(task);
      tail.rows += task.rows;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Waits until {@code batcher} has no queued or running batch. */
  void drain(Batcher batcher) {
    lock.lock();
    try {
      batcher.closed = true;
      changed.signalAll();
      boolean interrupted = false;
      while (!batcher.queues.isEmpty() || batcher.running > 0) {
        try {
          changed.await();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Requests waiting in {@code batcher}'s queues (for tests). */
  int pending(Batcher batcher) {
    lock.lock();
    try {
      int n = 0;
      for (Batcher.Queue q : batcher.queues.values()) {
        for (Batcher.Batch b : q.batches) {
          n += b.tasks.size();
        }
      }
      return n;
    } finally {
      lock.unlock();
    }
  }

  private void work() {
    lock.lock();
    try {
      while (true) {
        long now = System.nanoTime();
        Batcher.Queue q = schedulable(now);
        if (q != null) {
          Batcher.Batch batch = q.batches.poll();
          if (q.batches.isEmpty()) {
            queues.remove(q);
            q.owner.queues.remove(q.key);
          }
          q.owner.running++;
          lock.unlock();
          try {
            q.owner.process(batch.tasks);
          } finally {
            lock.lock();
            q.owner.running--;
            changed.signalAll();
          }
          continue;
        }
        if (closed && queues.isEmpty()) {
          return;
        }
        long wait = nanosToDeadline(now);
        if (wait < 0) {
          changed.await();
        } else {
          changed.awaitNanos(wait);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      lock.unlock();
    }
  }

  /** The next queue, round robin, whose oldest batch may run now; null if none. */
  private Batcher.Queue schedulable(long now) {
    long timeout = TimeUnit.MICROSECONDS.toNanos(options.batchTimeoutMicros());
    for (int i = 0; i < queues.size(); i++) {
      int at = (next + i) % queues.size();
      Batcher.Queue q = queues.get(at);
      Batcher.Batch first = q.batches.peek();
      if (closed || q.owner.closed || q.batches.size() > 1
          || first.rows >= options.maxBatchSize() || now - first.openedNanos >= timeout) {
        next = at + 1;
        return q;
      }
    }
    return null;
  }

  /** Time until the first open batch times out; -1 if there is none. */
  private long nanosToDeadline(long now) {
    long timeout = TimeUnit.MICROSECONDS.toNanos(options.batchTimeoutMicros());
    long best = -1;
    for (Batcher.Queue q : queues) {
      long left = Math.max(1, q.batches.peek().openedNanos + timeout - now);
      best = best < 0 ? left : Math.min(best, left);
    }
    return best;
  }

  /**
   * Runs every queued batch (without waiting for timeouts), then stops the threads; requests
   * after this are refused with UNAVAILABLE.
   */
  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    boolean interrupted = false;
    for (Thread t : threads) {
      while (t.isAlive()) {
        try {
          t.join();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "BatchScheduler(" + options + ")";
  }
}
