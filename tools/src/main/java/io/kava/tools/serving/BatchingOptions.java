package io.kava.tools.serving;

import com.google.protobuf.TextFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import tensorflow.serving.SessionBundleConfig.BatchingParameters;

/**
 * How {@link BatchScheduler} merges requests: TF Serving's {@code BatchingParameters}, with its
 * defaults for every value not given.
 *
 * <ul>
 *   <li>{@code maxBatchSize} (default 1000): the most rows in one batch, and in one request.
 *   <li>{@code batchTimeoutMicros} (default 0): how long a batch that is not full waits for more
 *       requests before it runs; 0 runs it as soon as a batch thread is free.
 *   <li>{@code maxEnqueuedBatches} (default 10): batches that may wait for a thread, per
 *       signature and input shape; a request that needs one more is refused (UNAVAILABLE).
 *   <li>{@code numBatchThreads} (default: the number of processors, TF Serving's
 *       {@code MaxParallelism()}): threads that run batches, shared by every model.
 *   <li>{@code threadPoolName} (default {@code batch_threads}): the threads' name.
 *   <li>{@code allowedBatchSizes} (default none): sizes a batch is padded up to, with copies of
 *       its last request's first row; increasing, the last equal to {@code maxBatchSize}.
 *   <li>{@code padVariableLengthInputs} (default false): inputs of the same rank whose other
 *       dimensions differ share a batch, each padded with its own first value up to the
 *       largest; false: such requests go to separate batches.
 * </ul>
 *
 * <pre>{@code
 * jshell> var options = BatchingOptions.fromFile(Path.of("batching.txt"))
 * options ==> BatchingOptions(max_batch_size=32, batch_timeout_micros=2000)
 * jshell> BatchingOptions.defaults().maxBatchSize(8).allowedBatchSizes(List.of(2L, 4L, 8L))
 * }</pre>
 */
public final class BatchingOptions {
  private static final String DEFAULT_POOL = "batch_threads";

  private final long maxBatchSize;
  private final long batchTimeoutMicros;
  private final long maxEnqueuedBatches;
  private final int numBatchThreads;
  private final String threadPoolName;
  private final List<Long> allowedBatchSizes;
  private final boolean padVariableLengthInputs;

  private BatchingOptions(long maxBatchSize, long batchTimeoutMicros, long maxEnqueuedBatches,
      long numBatchThreads, String threadPoolName, List<Long> allowedBatchSizes,
      boolean padVariableLengthInputs, String where) {
    positive(where, "max_batch_size", maxBatchSize, Integer.MAX_VALUE);
    if (batchTimeoutMicros < 0) {
      throw new IllegalArgumentException(where + ": batch_timeout_micros must be >= 0; got "
          + batchTimeoutMicros + ".");
    }
    positive(where, "max_enqueued_batches", maxEnqueuedBatches, Integer.MAX_VALUE);
    positive(where, "num_batch_threads", numBatchThreads, 4096);
    if (threadPoolName == null || threadPoolName.isEmpty()) {
      throw new IllegalArgumentException(where + ": thread_pool_name must be non-empty; got "
          + (threadPoolName == null ? "null" : "''") + ".");
    }
    List<Long> allowed = List.copyOf(allowedBatchSizes);
    for (int i = 0; i < allowed.size(); i++) {
      long size = allowed.get(i);
      if (size <= 0 || i > 0 && size <= allowed.get(i - 1)) {
        throw new IllegalArgumentException(where + ": allowed_batch_sizes must be positive and"
            + " increasing; got " + allowed + ".");
      }
    }
    if (!allowed.isEmpty() && allowed.get(allowed.size() - 1) != maxBatchSize) {
      throw new IllegalArgumentException(where + ": the last entry of allowed_batch_sizes must"
          + " equal max_batch_size " + maxBatchSize + "; got " + allowed + ".");
    }
    this.maxBatchSize = maxBatchSize;
    this.batchTimeoutMicros = batchTimeoutMicros;
    this.maxEnqueuedBatches = maxEnqueuedBatches;
    this.numBatchThreads = (int) numBatchThreads;
    this.threadPoolName = threadPoolName;
    this.allowedBatchSizes = allowed;
    this.padVariableLengthInputs = padVariableLengthInputs;
  }

  private static void positive(String where, String field, long value, long max) {
    if (value <= 0 || value > max) {
      throw new IllegalArgumentException(where + ": " + field + " must be in [1, " + max
          + "]; got " + value + ".");
    }
  }

  /** TF Serving's defaults (see the class comment). */
  public static BatchingOptions defaults() {
    return new BatchingOptions(1000, 0, 10, Runtime.getRuntime().availableProcessors(),
        DEFAULT_POOL, List.of(), false, "BatchingOptions");
  }

  /**
   * Reads a {@code --batching_parameters_file}: a text-format {@code BatchingParameters}, as
   * {@code tensorflow_model_server} reads it.
   *
   * @throws IllegalArgumentException naming the file if it cannot be read, is not a
   *     text-format {@code BatchingParameters}, or holds a value out of range (naming the field)
   */
  public static BatchingOptions fromFile(Path file) {
    String where = "Batching parameters file " + file;
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(where + ": cannot be read: " + e.getMessage(), e);
    }
    BatchingParameters.Builder proto = BatchingParameters.newBuilder();
    try {
      TextFormat.merge(text, proto);
    } catch (TextFormat.ParseException e) {
      throw new IllegalArgumentException(where + ": must be a text-format BatchingParameters"
          + " (for example 'max_batch_size { value: 32 }'); " + e.getMessage(), e);
    }
    return fromProto(proto.build(), where);
  }

  /** The options {@code p} sets, TF Serving's defaults for the rest; errors start with where. */
  static BatchingOptions fromProto(BatchingParameters p, String where) {
    BatchingOptions d = defaults();
    return new BatchingOptions(
        p.hasMaxBatchSize() ? p.getMaxBatchSize().getValue() : d.maxBatchSize,
        p.hasBatchTimeoutMicros() ? p.getBatchTimeoutMicros().getValue() : d.batchTimeoutMicros,
        p.hasMaxEnqueuedBatches() ? p.getMaxEnqueuedBatches().getValue() : d.maxEnqueuedBatches,
        p.hasNumBatchThreads() ? p.getNumBatchThreads().getValue() : d.numBatchThreads,
        p.hasThreadPoolName() ? p.getThreadPoolName().getValue() : d.threadPoolName,
        p.getAllowedBatchSizesList(), p.getPadVariableLengthInputs(), where);
  }

  private BatchingOptions with(long max, long timeout, long enqueued, long threads, String pool,
      List<Long> allowed, boolean pad) {
    return new BatchingOptions(max, timeout, enqueued, threads, pool, allowed, pad,
        "BatchingOptions");
  }

  /** A copy with this maximum (set it before {@link #allowedBatchSizes}). */
  public BatchingOptions maxBatchSize(long rows) {
    return with(rows, batchTimeoutMicros, maxEnqueuedBatches, numBatchThreads, threadPoolName,
        allowedBatchSizes, padVariableLengthInputs);
  }

  public BatchingOptions batchTimeoutMicros(long micros) {
    return with(maxBatchSize, micros, maxEnqueuedBatches, numBatchThreads, threadPoolName,
        allowedBatchSizes, padVariableLengthInputs);
  }

  public BatchingOptions maxEnqueuedBatches(long batches) {
    return with(maxBatchSize, batchTimeoutMicros, batches, numBatchThreads, threadPoolName,
        allowedBatchSizes, padVariableLengthInputs);
  }

  public BatchingOptions numBatchThreads(int threads) {
    return with(maxBatchSize, batchTimeoutMicros, maxEnqueuedBatches, threads, threadPoolName,
        allowedBatchSizes, padVariableLengthInputs);
  }

  public BatchingOptions threadPoolName(String name) {
    return with(maxBatchSize, batchTimeoutMicros, maxEnqueuedBatches, numBatchThreads, name,
        allowedBatchSizes, padVariableLengthInputs);
  }

  public BatchingOptions allowedBatchSizes(List<Long> sizes) {
    return with(maxBatchSize, batchTimeoutMicros, maxEnqueuedBatches, numBatchThreads,
        threadPoolName, sizes, padVariableLengthInputs);
  }

  public BatchingOptions padVariableLengthInputs(boolean pad) {
    return with(maxBatchSize, batchTimeoutMicros, maxEnqueuedBatches, numBatchThreads,
        threadPoolName, allowedBatchSizes, pad);
  }

  public long maxBatchSize() {
    return maxBatchSize;
  }

  public long batchTimeoutMicros() {
    return batchTimeoutMicros;
  }

  public long maxEnqueuedBatches() {
    return maxEnqueuedBatches;
  }

  public int numBatchThreads() {
    return numBatchThreads;
  }

  public String threadPoolName() {
    return threadPoolName;
  }

  public List<Long> allowedBatchSizes() {
    return allowedBatchSizes;
  }

  public boolean padVariableLengthInputs() {
    return padVariableLengthInputs;
  }

  /** The smallest allowed size holding {@code rows} (rows itself when none are given). */
  long paddedSize(long rows) {
    for (long size : allowedBatchSizes) {
      if (size >= rows) {
        return size;
      }
    }
    return rows;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BatchingOptions b && b.maxBatchSize == maxBatchSize
        && b.batchTimeoutMicros == batchTimeoutMicros
        && b.maxEnqueuedBatches == maxEnqueuedBatches && b.numBatchThreads == numBatchThreads
        && b.threadPoolName.equals(threadPoolName) && b.allowedBatchSizes.equals(allowedBatchSizes)
        && b.padVariableLengthInputs == padVariableLengthInputs;
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(maxBatchSize, batchTimeoutMicros, maxEnqueuedBatches,
        numBatchThreads, threadPoolName, allowedBatchSizes, padVariableLengthInputs);
  }

  /** One line with the settings that differ from TF Serving's defaults. */
  @Override
  public String toString() {
    BatchingOptions d = defaults();
    StringBuilder s = new StringBuilder("BatchingOptions(");
    String sep = "";
    if (maxBatchSize != d.maxBatchSize) {
      s.append("max_batch_size=").append(maxBatchSize);
      sep = ", ";
    }
    if (batchTimeoutMicros != d.batchTimeoutMicros) {
      s.append(sep).append("batch_timeout_micros=").append(batchTimeoutMicros);
      sep = ", ";
    }
    if (maxEnqueuedBatches != d.maxEnqueuedBatches) {
      s.append(sep).append("max_enqueued_batches=").append(maxEnqueuedBatches);
      sep = ", ";
    }
    if (numBatchThreads != d.numBatchThreads) {
      s.append(sep).append("num_batch_threads=").append(numBatchThreads);
      sep = ", ";
    }
    if (!threadPoolName.equals(d.threadPoolName)) {
      s.append(sep).append("thread_pool_name=").append(threadPoolName);
      sep = ", ";
    }
    if (!allowedBatchSizes.isEmpty()) {
      s.append(sep).append("allowed_batch_sizes=").append(allowedBatchSizes);
      sep = ", ";
    }
    if (padVariableLengthInputs) {
      s.append(sep).append("pad_variable_length_inputs=true");
    }
    return s.append(')').toString();
  }
}
