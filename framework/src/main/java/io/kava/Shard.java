package io.kava;

import io.kava.internal.Replication;

/**
 * The rows of every global batch one replica trains on: replica {@code index} of
 * {@code count} takes rows {@code [floor(index * n / count), floor((index + 1) * n / count))}
 * of a batch of {@code n}, so equal shares of a global batch divisible by {@code count}.
 */
record Shard(int index, int count) {

  /** The shard of a model's replication; the whole batch for a model that trains alone. */
  static Shard of(Replication r) {
    return r == null ? new Shard(0, 1) : new Shard(r.replica(), r.replicas());
  }

  int from(int rows) {
    return (int) ((long) rows * index / count);
  }

  int to(int rows) {
    return (int) ((long) rows * (index + 1) / count);
  }

  /** Fails unless a global batch splits evenly; only the last batch may be smaller. */
  void check(int rows, int batch, boolean last, String subject) {
    if (!last && rows % count != 0) {
      throw notDivisible(subject, "batch " + batch + " of the training data has " + rows
          + " samples", count);
    }
  }

  static IllegalArgumentException notDivisible(String subject, String what, int replicas) {
    return new IllegalArgumentException(subject + ": the global batch size must be divisible"
        + " by the " + replicas + " replicas (each takes an equal share); " + what
        + ". Use a multiple of " + replicas + ".");
  }

  /**
   * A replica's share of one global batch, ready to feed.
   *
   * @param globalSize the samples of the whole global batch
   */
  record Part(Fed fed, int globalSize) implements AutoCloseable {
    /** This replica's fraction of the global batch. */
    float share() {
      return (float) fed.size() / globalSize;
    }

    @Override
    public void close() {
      fed.close();
    }
  }
}
