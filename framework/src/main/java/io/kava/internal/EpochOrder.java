package io.kava.internal;

import java.util.SplittableRandom;

/**
 * The sample order of one epoch, shared by every batch source: 0..n-1, or a Fisher-Yates
 * shuffle drawn from a fresh stream per (seed, epoch), so a resumed run (Keras's
 * {@code initial_epoch}) sees the same orders as an uninterrupted one. Not public API.
 *
 * <pre>{@code
 * jshell> EpochOrder.of(5, true, 42, 0)   // e.g. [3, 0, 4, 1, 2]
 * }</pre>
 */
public final class EpochOrder {
  private EpochOrder() {}

  public static int[] of(int n, boolean shuffle, long seed, int epoch) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    if (shuffle) {
      SplittableRandom r = new SplittableRandom(seed * 31 + epoch);
      for (int i = n - 1; i > 0; i--) {
        int j = r.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
    }
    return order;
  }
}
