package io.kava.tools.serving;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import org.tensorflow.ndarray.NdArray;

/**
 * Server-side batching for one model version and signature: concurrent {@link #run} calls are
 * merged along dimension 0 into one run of the model, padded to an allowed batch size, and each
 * caller gets its own rows of every output back. Made by {@link BatchScheduler#batcher}.
 *
 * <p>As TF Serving's BatchingSession: all inputs of a request must have at least one dimension
 * and the same size in it (its rows); a request of more than {@code maxBatchSize} rows is
 * refused (INVALID_ARGUMENT); every output of a batch must have as many rows as the batch
 * (else FAILED_PRECONDITION). Unlike it, one request never fails another: requests whose other
 * dimensions or element types differ go to separate batches (with
 * {@code padVariableLengthInputs}, those of the same ranks share one, padded), and when a
 * merged run fails, each of its requests is run alone so that only the faulty ones fail.
 *
 * <pre>{@code
 * jshell> var batcher = scheduler.batcher("half_plus_two", in -> model.run("serving_default", in))
 * jshell> batcher.run(Map.of("x", NdArrays.vectorOf(1f, 2f)))
 * $3 ==> {y=[2.5, 3.0]}
 * }</pre>
 */
public final class Batcher implements AutoCloseable {
  private final BatchScheduler scheduler;
  private final String name;
  private final Function<Map<String, NdArray<?>>, Map<String, NdArray<?>>> model;
  private final BatchingOptions options;
  /** Guarded by the scheduler's lock, as are the next two. */
  final Map<String, Queue> queues = new HashMap<>();
  int running;
  boolean closed;

  Batcher(BatchScheduler scheduler, String name,
      Function<Map<String, NdArray<?>>, Map<String, NdArray<?>>> model) {
    this.scheduler = scheduler;
    this.name = name;
    this.model = model;
    this.options = scheduler.options();
  }

  /**
   * Runs {@code inputs} in a batch with other callers' and returns this request's rows of each
   * output. Blocks until its batch has run.
   *
   * @throws StatusRuntimeException INVALID_ARGUMENT for inputs that cannot be batched,
   *     UNAVAILABLE when the queue is full or the batcher is closed, FAILED_PRECONDITION for an
   *     output without a row per batch row, CANCELLED if the thread is interrupted
   * @throws RuntimeException what the model threw for this request
   */
  public Map<String, NdArray<?>> run(Map<String, ? extends NdArray<?>> inputs) {
    Map<String, NdArray<?>> in = new TreeMap<>();
    if (inputs != null) {
      in.putAll(inputs);
    }
    long rows = rows(in);
    if (rows == 0) {
      return model.apply(in);
    }
    if (rows > options.maxBatchSize()) {
      throw invalid("Task size " + rows + " is larger than maximum batch size "
          + options.maxBatchSize());
    }
    Task task = new Task(in, rows);
    scheduler.enqueue(this, key(in), task);
    try {
      return task.result.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Status.CANCELLED.withDescription(this + ": interrupted while waiting for the batch")
          .asRuntimeException();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  /** TF Serving's ComputeTensorBatchSize: the common size of dimension 0. */
  private static long rows(Map<String, NdArray<?>> in) {
    if (in.isEmpty()) {
      throw invalid("Batching Run() must have at least one input tensor");
    }
    long rows = -1;
    for (Map.Entry<String, NdArray<?>> e : in.entrySet()) {
      if (e.getValue() == null) {
        throw invalid("Batching Run() input '" + e.getKey() + "' must be non-null");
      }
      if (e.getValue().rank() == 0) {
        throw invalid("Batching Run() input tensors must have at least one dimension");
      }
      long n = e.getValue().shape().get(0);
      if (rows >= 0 && n != rows) {
        throw invalid("Batching Run() input tensors must have equal 0th-dimension size");
      }
      rows = n;
    }
    return rows;
  }

  /** Requests of the same key can share a batch. */
  private String key(Map<String, NdArray<?>> in) {
    StringBuilder k = new StringBuilder();
    in.forEach((input, a) -> {
      k.append(input).append(':').append(BatchArrays.kind(a));
      long[] dims = a.shape().asArray();
      if (options.padVariableLengthInputs()) {
        k.append("/rank").append(dims.length);
      } else {
        for (int i = 1; i < dims.length; i++) {
          k.append(',').append(dims[i]);
        }
      }
      k.append(';');
    });
    return k.toString();
  }

  private static StatusRuntimeException invalid(String message) {
    return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
  }

  /** Runs one batch on a batch thread and completes each of its tasks. */
  void process(List<Task> tasks) {
    try {
      long rows = 0;
      for (Task t : tasks) {
        rows += t.rows;
      }
      long padded = options.paddedSize(rows);
      Map<String, NdArray<?>> outputs;
      try {
        outputs = model.apply(merge(tasks, padded));
        if (outputs == null) {
          throw new IllegalStateException(this + ": the model returned null");
        }
      } catch (RuntimeException e) {
        if (tasks.size() == 1) {
          tasks.get(0).result.completeExceptionally(e);
        } else {
          // One request's values may have failed the merged run: run each alone.
          for (Task t : tasks) {
            process(List.of(t));
          }
        }
        return;
      }
      split(outputs, tasks, padded);
    } catch (RuntimeException | Error e) {
      tasks.forEach(t -> t.result.completeExceptionally(e));
    }
  }

  private Map<String, NdArray<?>> merge(List<Task> tasks, long padded) {
    Map<String, NdArray<?>> first = tasks.get(0).inputs;
    if (tasks.size() == 1 && padded == tasks.get(0).rows) {
      return first;
    }
    Map<String, NdArray<?>> merged = new LinkedHashMap<>();
    for (String input : first.keySet()) {
      List<NdArray<?>> parts = new ArrayList<>();
      tasks.forEach(t -> parts.add(t.inputs.get(input)));
      if (options.padVariableLengthInputs()) {
        long[] dims = parts.get(0).shape().asArray();
        for (NdArray<?> p : parts) {
          for (int i = 1; i < dims.length; i++) {
            dims[i] = Math.max(dims[i], p.shape().get(i));
          }
        }
        parts.replaceAll(p -> BatchArrays.pad(p, dims));
      }
      merged.put(input, BatchArrays.concat(parts, padded));
    }
    return merged;
  }

  private void split(Map<String, NdArray<?>> outputs, List<Task> tasks, long padded) {
    for (Map.Entry<String, NdArray<?>> e : outputs.entrySet()) {
      NdArray<?> out = e.getValue();
      if (out.rank() == 0) {
        throw failed("Batched output tensor has 0 dimensions (output '" + e.getKey() + "')");
      }
      if (out.shape().get(0) != padded) {
        throw failed("Batched output tensor's 0th dimension does not equal the sum of the 0th"
            + " dimension sizes of the input tensors (output '" + e.getKey() + "' has shape "
            + out.shape() + "; the batch has " + padded + " rows)");
      }
    }
    if (tasks.size() == 1 && padded == tasks.get(0).rows) {
      tasks.get(0).result.complete(outputs);
      return;
    }
    long at = 0;
    for (Task t : tasks) {
      Map<String, NdArray<?>> mine = new LinkedHashMap<>();
      for (Map.Entry<String, NdArray<?>> e : outputs.entrySet()) {
        mine.put(e.getKey(), BatchArrays.rows(e.getValue(), at, at + t.rows));
      }
      at += t.rows;
      t.result.complete(mine);
    }
  }

  private static StatusRuntimeException failed(String message) {
    return Status.FAILED_PRECONDITION.withDescription(message).asRuntimeException();
  }

  /** Requests waiting for a batch thread. */
  int pending() {
    return scheduler.pending(this);
  }

  /**
   * Runs the requests already queued (without waiting for the timeout) and waits for them;
   * later requests are refused with UNAVAILABLE. Call it before closing the model.
   */
  @Override
  public void close() {
    scheduler.drain(this);
  }

  @Override
  public String toString() {
    return "Batcher '" + name + "'";
  }

  /** One request. */
  static final class Task {
    final Map<String, NdArray<?>> inputs;
    final long rows;
    final CompletableFuture<Map<String, NdArray<?>>> result = new CompletableFuture<>();

    Task(Map<String, NdArray<?>> inputs, long rows) {
      this.inputs = inputs;
      this.rows = rows;
    }
  }

  /** Requests that run together. */
  static final class Batch {
    final List<Task> tasks = new ArrayList<>();
    final long openedNanos;
    long rows;

    Batch(long openedNanos) {
      this.openedNanos = openedNanos;
    }
  }

  /** The batches of one input shape, oldest first. */
  static final class Queue {
    final Batcher owner;
    final String key;
    final Deque<Batch> batches = new ArrayDeque<>();

    Queue(Batcher owner, String key) {
      this.owner = owner;
      this.key = key;
    }
  }
}
