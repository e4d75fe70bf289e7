package io.kava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Loading ahead on a background thread, and inline for a single item (one-image predict). */
class PrefetcherTest {
  /** An item that remembers the thread that loaded it and whether it was closed. */
  private static final class Item implements AutoCloseable {
    final int index;
    final Thread loadedBy = Thread.currentThread();
    boolean closed;

    Item(int index) {
      this.index = index;
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  @Test
  void oneItemIsLoadedOnTheCallersThreadWhenAskedFor() {
    List<Integer> loads = new ArrayList<>();
    try (Prefetcher<Item> p = new Prefetcher<>(1, i -> {
      loads.add(i);
      return new Item(i);
    })) {
      assertEquals(List.of(), loads, "nothing is loaded before next()");
      Item item = p.next();
      assertSame(Thread.currentThread(), item.loadedBy);
      assertEquals(0, item.index);
      assertEquals(List.of(0), loads);
      assertThrows(IllegalStateException.class, p::next);
    }
  }

  @Test
  void severalItemsAreLoadedInOrderOnABackgroundThread() {
    try (Prefetcher<Item> p = new Prefetcher<>(3, Item::new)) {
      for (int i = 0; i < 3; i++) {
        Item item = p.next();
        assertEquals(i, item.index);
        assertNotEquals(Thread.currentThread(), item.loadedBy);
        assertEquals("kava-prefetch", item.loadedBy.getName());
      }
    }
  }

  @Test
  void oneItemsLoaderExceptionIsRethrownUnchanged() {
    IllegalArgumentException failure = new IllegalArgumentException("bad batch");
    try (Prefetcher<Item> p = new Prefetcher<>(1, i -> {
      throw failure;
    })) {
      assertSame(failure, assertThrows(IllegalArgumentException.class, p::next));
    }
  }

  @Test
  void closeFreesAnItemLoadedAheadAndNeverLoadsAnUnaskedSingleItem() {
    List<Item> made = new ArrayList<>();
    Prefetcher<Item> ahead = new Prefetcher<>(2, i -> {
      Item item = new Item(i);
      synchronized (made) {
        made.add(item);
      }
      return item;
    });
    ahead.next();
    ahead.close();
    synchronized (made) {
      assertEquals(2, made.size());
      assertTrue(made.get(1).closed, "the batch loaded ahead is closed");
    }
    List<Integer> loads = new ArrayList<>();
    new Prefetcher<>(1, i -> {
      loads.add(i);
      return new Item(i);
    }).close();
    assertEquals(List.of(), loads);
  }
}
