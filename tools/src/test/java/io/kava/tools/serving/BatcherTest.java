package io.kava.tools.serving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.kava.saving.SavedModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.LongNdArray;
import org.tensorflow.ndarray.NdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.StdArrays;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * Batching merges concurrent requests into fewer model runs and gives each exactly what it
 * would get alone. Batches are formed deterministically: with a batch timeout of an hour a
 * batch runs only when full or closed, and a model that blocks holds the only batch thread
 * while later requests queue up.
 */
class BatcherTest {
  private static final long HOUR_MICROS = 3_600_000_000L;
  private final ExecutorService clients = Executors.newCachedThreadPool();
  /** The merged inputs of every model run, in order. */
  private final List<Map<String, NdArray<?>>> runs = Collections.synchronizedList(
      new ArrayList<>());
  private BatchScheduler scheduler;

  @AfterEach
  void stop() {
    if (scheduler != null) {
      scheduler.close();
    }
    clients.shutdownNow();
  }

  private Batcher batcher(BatchingOptions options,
      Function<Map<String, NdArray<?>>, Map<String, NdArray<?>>> model) {
    scheduler = BatchScheduler.start(options.numBatchThreads(1));
    return scheduler.batcher("test", in -> {
      runs.add(in);
      return model.apply(in);
    });
  }

  /** y = 0.5 x + 2, the half_plus_two model, on any shape. */
  private static Map<String, NdArray<?>> halfPlusTwo(Map<String, NdArray<?>> in) {
    FloatNdArray x = (FloatNdArray) in.get("x");
    FloatNdArray y = NdArrays.ofFloats(x.shape());
    x.scalars().forEachIndexed((i, s) -> y.setFloat(0.5f * s.getFloat() + 2, i));
    return Map.of("y", y);
  }

  private static Map<String, NdArray<?>> x(float... rows) {
    return Map.of("x", NdArrays.ofFloats(Shape.of(rows.length, 1))
        .copyFrom(DataBuffers.of(rows)));
  }

  private static float[] y(Map<String, NdArray<?>> out) {
    FloatNdArray y = (FloatNdArray) out.get("y");
    float[] v = new float[(int) y.size()];
    y.copyTo(DataBuffers.of(v, false, false));
    return v;
  }

  private Future<Map<String, NdArray<?>>> submit(Batcher b, Map<String, NdArray<?>> in) {
    return clients.submit(() -> b.run(in));
  }

  private static <T> T get(Future<T> f) throws Exception {
    return f.get(60, TimeUnit.SECONDS);
  }

  private static Throwable failure(Future<?> f) {
    return assertThrows(ExecutionException.class, () -> f.get(60, TimeUnit.SECONDS)).getCause();
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    for (int i = 0; i < 60_000 && !condition.getAsBoolean(); i++) {
      Thread.sleep(1);
    }
    assertTrue(condition.getAsBoolean(), "condition not reached in 60 s");
  }

  /** A model that blocks its first run until released, so that later requests queue. */
  private static final class Gate {
    final CountDownLatch started = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    Map<String, NdArray<?>> hold(Map<String, NdArray<?>> in) {
      if (started.getCount() > 0) {
        started.countDown();
        try {
          release.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return halfPlusTwo(in);
    }
  }

  @Test
  void concurrentRequestsShareOneRunAndGetTheirOwnRows() throws Exception {
    Gate gate = new Gate();
    Batcher b = batcher(BatchingOptions.defaults().maxBatchSize(8), gate::hold);
    Future<Map<String, NdArray<?>>> first = submit(b, x(0));
    assertTrue(gate.started.await(60, TimeUnit.SECONDS));
    Future<Map<String, NdArray<?>>> one = submit(b, x(1));
    Future<Map<String, NdArray<?>>> two = submit(b, x(2, 3));
    Future<Map<String, NdArray<?>>> three = submit(b, x(4, 5, 6));
    await(() -> b.pending() == 3);
    gate.release.countDown();
    assertArrayEquals(new float[] {2}, y(get(first)));
    assertArrayEquals(new float[] {2.5f}, y(get(one)));
    assertArrayEquals(new float[] {3, 3.5f}, y(get(two)));
    assertArrayEquals(new float[] {4, 4.5f, 5}, y(get(three)));
    assertEquals(2, runs.size(), "4 requests, 2 runs");
    assertEquals(Shape.of(6, 1), runs.get(1).get("x").shape());
  }

  @Test
  void aFullBatchRunsWithoutWaitingForTheTimeout() throws Exception {
    Batcher b = batcher(BatchingOptions.defaults().maxBatchSize(4)
        .batchTimeoutMicros(HOUR_MICROS), BatcherTest::halfPlusTwo);
    List<Future<Map<String, NdArray<?>>>> results = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      results.add(submit(b, x(i)));
    }
    for (int i = 0; i < 4; i++) {
      assertArrayEquals(new float[] {0.5f * i + 2}, y(get(results.get(i))));
    }
    assertEquals(1, runs.size());
  }

  @Test
  void aBatchThatIsNotFullRunsAfterTheTimeout() throws Exception {
    Batcher b = batcher(BatchingOptions.defaults().maxBatchSize(4).batchTimeoutMicros(20_000),
        BatcherTest::halfPlusTwo);
    assertArrayEquals(new float[] {7}, y(get(submit(b, x(10)))));
  }

  @Test
  void batchesArePaddedToAnAllowedSizeWithTheFirstRowOfTheLastRequest() throws Exception {
    Batcher b = batcher(BatchingOptions.defaults().maxBatchSize(8)
        .allowedBatchSizes(List.of(2L, 4L, 8L)), BatcherTest::halfPlusTwo);
    assertArrayEquals(new float[] {2.5f, 3, 3.5f}, y(b.run(x(1, 2, 3))));
    FloatNdArray fed = (FloatNdArray) runs.get(0).get("x");
    assertEquals(Shape.of(4, 1), fed.shape());
    assertArrayEquals(new float[][] {{1}, {2}, {3}, {1}}, StdArrays.array2dCopyOf(fed));
    assertArrayEquals(new float[] {2.5f, 3, 3.5f, 4}, y(b.run(x(1, 2, 3, 4))));
    assertEquals(Shape.of(4, 1), runs.get(1).get("x").shape());
  }

  @Test
  void int64AndStringInputsAreMergedAndSplitRowByRow() throws Exception {
    Batcher b = batcher(BatchingOptions.defaults().maxBatchSize(3)
        .batchTimeoutMicros(HOUR_MICROS), in -> {
          // An echo model: outputs are copies of the inputs.
          return Map.of("ids", BatchArrays.rows(in.get("ids"), 0, in.get("ids").shape().get(0)),
              "names", BatchArrays.rows(in.get("names"), 0, in.get("names").shape().get(0)));
        });
    Future<Map<String, NdArray<?>>> a = submit(b, Map.of(
        "ids", StdArrays.ndCopyOf(new long[][] {{1, 2}}),
        "names", NdArrays.vectorOfObjects("a".getBytes())));
    Future<Map<String, NdArray<?>>> c = submit(b, Map.of(
        "ids", StdArrays.ndCopyOf(new long[][] {{3, 4}, {5, 6}}),
        "names", NdArrays.vectorOfObjects("b".getBytes(), "c".getBytes())));
    Map<String, NdArray<?>> ra = get(a);
    Map<String, NdArray<?>> rc = get(c);
    assertEquals(1, runs.size());
    assertArrayEquals(new long[][] {{1, 2}}, StdArrays.array2dCopyOf((LongNdArray) ra.get("ids")));
    assertArrayEquals(new long[][] {{3, 4}, {5, 6}},
        StdArrays.array2dCopyOf((LongNdArray) rc.get("ids")));
    assertEquals("a", new String((byte[]) ra.get("names").getObject(0)));
    assertEquals("b", new String((byte[]) rc.get("names").getObject(0)));
    assertEquals("c", new String((byte[]) rc.get("names").getObject(1)));
    assertEquals(Shape.of(1), ra.get("names").shape());
  }

  @Test
  void requestsOfDifferentShapesRunInSeparateBatchesAndBothSucceed() throws Exception {
    Gate gate = new Gate();
    Batcher b = batcher(BatchingOptions.defaults().maxBatchSize(8), gate::hold);
    Future<Map<String, NdArray<?>>> first = submit(b, x(0));
    assertTrue(gate.started.await(60, TimeUnit.SECONDS));
    Future<Map<String, NdArray<?>>> wide = submit(b, Map.of("x",
        StdArrays.ndCopyOf(new float[][] {{2, 4}})));
    Future<Map<String, NdArray<?>>> narrow = submit(b, x(6));
    await(() -> b.pending() == 2);
    gate.release.countDown();
    get(first);
    assertArrayEquals(new float[] {3, 4}, y(get(wide)));
    assertArrayEquals(new float[] {5}, y(get(narrow)));
    assertEquals(3, runs.size());
  }

  @Test
  void withPaddingVariableLengthInputsShareABatchPaddedWithTheirFirstValue() throws Exception {
    Batcher b = batcher(BatchingOptions.defaults().maxBatchSize(2)
        .batchTimeoutMicros(HOUR_MICROS).padVariableLengthInputs(true), BatcherTest::halfPlusTwo);
    Future<Map<String, NdArray<?>>> shortOne = submit(b, Map.of("x",
        StdArrays.ndCopyOf(new float[][] {{2, 4}})));
    Future<Map<String, NdArray<?>>> longOne = submit(b, Map.of("x",
        StdArrays.ndCopyOf(new float[][] {{6, 8, 10}})));
    assertArrayEquals(new float[] {3, 4, 3}, y(get(shortOne)));
    assertArrayEquals(new float[] {5, 6, 7}, y(get(longOne)));
    assertEquals(1, runs.size());
  }

  @Test
  void aRequestThatFailsTheModelFailsAloneWithTheModelsError() throws Exception {
    IllegalArgumentException nan = new IllegalArgumentException("x must not be NaN");
    Batcher b = batcher(BatchingOptions.defaults().maxBatchSize(2)
        .batchTimeoutMicros(HOUR_MICROS), in -> {
          in.get("x").scalars().forEach(s -> {
            if (Float.isNaN((Float) s.getObject())) {
              throw nan;
            }
          });
          return halfPlusTwo(in);
        });
    Future<Map<String, NdArray<?>>> bad = submit(b, x(Float.NaN));
    Future<Map<String, NdArray<?>>> good = submit(b, x(4));
    assertSame(nan, failure(bad));
    assertArrayEquals(new float[] {4}, y(get(good)));
    assertEquals(3, runs.size(), "the merged run, then each request alone");
  }

  @Test
  void inputsThatCannotBeBatchedAreRefusedWithTfServingsMessages() {
    Batcher b = batcher(BatchingOptions.defaults().maxBatchSize(4), BatcherTest::halfPlusTwo);
    assertStatus(Status.Code.INVALID_ARGUMENT, "Task size 5 is larger than maximum batch size 4",
        () -> b.run(x(1, 2, 3, 4, 5)));
    assertStatus(Status.Code.INVALID_ARGUMENT,
        "Batching Run() input tensors must have equal 0th-dimension size",
        () -> b.run(Map.of("x", NdArrays.vectorOf(1f, 2f), "z", NdArrays.vectorOf(1f))));
    assertStatus(Status.Code.INVALID_ARGUMENT,
        "Batching Run() input tensors must have at least one dimension",
        () -> b.run(Map.of("x", NdArrays.scalarOf(1f))));
    assertStatus(Status.Code.INVALID_ARGUMENT,
        "Batching Run() must have at least one input tensor", () -> b.run(Map.of()));
    assertEquals(0, runs.size());
  }

  @Test
  void anOutputWithoutARowPerBatchRowFailsTheBatch() {
    Batcher b = batcher(BatchingOptions.defaults().maxBatchSize(4),
        in -> Map.of("total", NdArrays.vectorOf(1f)));
    assertStatus(Status.Code.FAILED_PRECONDITION, "Batched output tensor's 0th dimension does"
        + " not equal the sum of the 0th dimension sizes of the input tensors (output 'total'"
        + " has shape [1]; the batch has 2 rows)", () -> b.run(x(1, 2)));
  }

  @Test
  void aFullQueueRefusesTheRequestAndServesTheOthers() throws Exception {
    Gate gate = new Gate();
    Batcher b = batcher(BatchingOptions.defaults().maxBatchSize(1).maxEnqueuedBatches(2),
        gate::hold);
    Future<Map<String, NdArray<?>>> first = submit(b, x(0));
    assertTrue(gate.started.await(60, TimeUnit.SECONDS));
    Future<Map<String, NdArray<?>>> second = submit(b, x(2));
    Future<Map<String, NdArray<?>>> third = submit(b, x(4));
    await(() -> b.pending() == 2);
    assertStatus(Status.Code.UNAVAILABLE,
        "The batch scheduling queue to which this task was submitted is full",
        () -> b.run(x(6)));
    gate.release.countDown();
    assertArrayEquals(new float[] {2}, y(get(first)));
    assertArrayEquals(new float[] {3}, y(get(second)));
    assertArrayEquals(new float[] {4}, y(get(third)));
  }

  @Test
  void closeRunsWhatIsQueuedThenRefusesNewRequests() throws Exception {
    Batcher b = batcher(BatchingOptions.defaults().maxBatchSize(8)
        .batchTimeoutMicros(HOUR_MICROS), BatcherTest::halfPlusTwo);
    Future<Map<String, NdArray<?>>> one = submit(b, x(2));
    Future<Map<String, NdArray<?>>> two = submit(b, x(4));
    await(() -> b.pending() == 2);
    b.close();
    assertArrayEquals(new float[] {3}, y(get(one)));
    assertArrayEquals(new float[] {4}, y(get(two)));
    assertEquals(1, runs.size());
    assertStatus(Status.Code.UNAVAILABLE, "Batcher 'test' is closed; the request was not run.",
        () -> b.run(x(1)));
    Batcher other = scheduler.batcher("other", BatcherTest::halfPlusTwo);
    scheduler.close();
    assertStatus(Status.Code.UNAVAILABLE,
        "The batch scheduler is closed; the request was not run.", () -> other.run(x(1)));
  }

  @Test
  void halfPlusTwoSavedModelRunsOnceForFourConcurrentRequests() throws Exception {
    try (SavedModel model = SavedModel.load(
        Path.of("../../shared/fixtures/half_plus_two/00000123"))) {
      Batcher b = batcher(BatchingOptions.defaults().maxBatchSize(4)
          .batchTimeoutMicros(HOUR_MICROS), in -> model.run("serving_default", in));
      List<Future<Map<String, NdArray<?>>>> results = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        results.add(submit(b, Map.of("x", NdArrays.vectorOf((float) i))));
      }
      for (int i = 0; i < 4; i++) {
        Map<String, NdArray<?>> alone = model.run("serving_default",
            Map.of("x", NdArrays.vectorOf((float) i)));
        assertEquals(alone, get(results.get(i)));
        assertEquals(0.5f * i + 2, ((FloatNdArray) alone.get("y")).getFloat(0));
      }
      assertEquals(1, runs.size());
      b.close();
    }
  }

  private static void assertStatus(Status.Code code, String message, Runnable call) {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call::run);
    assertEquals(code, e.getStatus().getCode());
    assertEquals(message, e.getStatus().getDescription());
  }
}
