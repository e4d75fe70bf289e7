package io.kava.tools.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A TF Serving --batching_parameters_file reads unchanged; bad values name file and field. */
class BatchingOptionsTest {
  @TempDir
  Path tmp;

  private Path file(String text) throws IOException {
    return Files.writeString(tmp.resolve("batching.txt"), text);
  }

  private String error(String text) throws IOException {
    Path f = file(text);
    return assertThrows(IllegalArgumentException.class, () -> BatchingOptions.fromFile(f))
        .getMessage();
  }

  @Test
  void unsetValuesTakeTfServingDefaults() throws IOException {
    BatchingOptions o = BatchingOptions.fromFile(file(""));
    assertEquals(1000, o.maxBatchSize());
    assertEquals(0, o.batchTimeoutMicros());
    assertEquals(10, o.maxEnqueuedBatches());
    assertEquals(Runtime.getRuntime().availableProcessors(), o.numBatchThreads());
    assertEquals("batch_threads", o.threadPoolName());
    assertEquals(List.of(), o.allowedBatchSizes());
    assertEquals(false, o.padVariableLengthInputs());
    assertEquals(BatchingOptions.defaults(), o);
    assertEquals("BatchingOptions()", o.toString());
  }

  @Test
  void readsEveryFieldOfTfServingsFormat() throws IOException {
    BatchingOptions o = BatchingOptions.fromFile(file(
        """
        max_batch_size { value: 32 }
        batch_timeout_micros { value: 5000 }
        max_enqueued_batches { value: 100 }
        num_batch_threads { value: 3 }
        thread_pool_name { value: "mnist_batch" }
        allowed_batch_sizes: 8
        allowed_batch_sizes: 16
        allowed_batch_sizes: 32
        pad_variable_length_inputs: true
        """));
    assertEquals(BatchingOptions.defaults().maxBatchSize(32).batchTimeoutMicros(5000)
        .maxEnqueuedBatches(100).numBatchThreads(3).threadPoolName("mnist_batch")
        .allowedBatchSizes(List.of(8L, 16L, 32L)).padVariableLengthInputs(true), o);
    assertEquals("BatchingOptions(max_batch_size=32, batch_timeout_micros=5000,"
        + " max_enqueued_batches=100, num_batch_threads=3, thread_pool_name=mnist_batch,"
        + " allowed_batch_sizes=[8, 16, 32], pad_variable_length_inputs=true)", o.toString());
    assertEquals(16, o.paddedSize(9));
    assertEquals(8, o.paddedSize(1));
    assertEquals(7, BatchingOptions.defaults().paddedSize(7));
  }

  @Test
  void badValuesNameTheFileAndTheField() throws IOException {
    String where = "Batching parameters file " + tmp.resolve("batching.txt") + ": ";
    assertEquals(where + "max_batch_size must be in [1, 2147483647]; got 0.",
        error("max_batch_size { value: 0 }"));
    assertEquals(where + "batch_timeout_micros must be >= 0; got -1.",
        error("batch_timeout_micros { value: -1 }"));
    assertEquals(where + "max_enqueued_batches must be in [1, 2147483647]; got 0.",
        error("max_enqueued_batches { value: 0 }"));
    assertEquals(where + "num_batch_threads must be in [1, 4096]; got 0.",
        error("num_batch_threads { value: 0 }"));
    assertEquals(where + "allowed_batch_sizes must be positive and increasing; got [4, 2, 8].",
        error("max_batch_size { value: 8 } allowed_batch_sizes: [4, 2, 8]"));
    assertEquals(where + "the last entry of allowed_batch_sizes must equal max_batch_size 8;"
        + " got [2, 4].", error("max_batch_size { value: 8 } allowed_batch_sizes: [2, 4]"));
    assertEquals(where + "thread_pool_name must be non-empty; got ''.",
        error("thread_pool_name { value: '' }"));
  }

  @Test
  void aFileThatIsNotBatchingParametersSaysWhereItFailed() throws IOException {
    String m = error("max_batch_size: 32");
    assertTrue(m.startsWith("Batching parameters file " + tmp.resolve("batching.txt")
        + ": must be a text-format BatchingParameters (for example 'max_batch_size { value: 32"
        + " }'); 1:"), m);
    assertTrue(error("max_batch_sise { value: 3 }").contains("max_batch_sise"));
    Path missing = tmp.resolve("missing.txt");
    String e = assertThrows(IllegalArgumentException.class,
        () -> BatchingOptions.fromFile(missing)).getMessage();
    assertTrue(e.startsWith("Batching parameters file " + missing + ": cannot be read: "), e);
  }

  @Test
  void optionsGivenInCodeAreCheckedWhereGiven() {
    assertEquals("BatchingOptions: max_batch_size must be in [1, 2147483647]; got -3.",
        assertThrows(IllegalArgumentException.class,
            () -> BatchingOptions.defaults().maxBatchSize(-3)).getMessage());
    assertEquals("BatchingOptions: the last entry of allowed_batch_sizes must equal"
        + " max_batch_size 1000; got [1, 2].", assertThrows(IllegalArgumentException.class,
            () -> BatchingOptions.defaults().allowedBatchSizes(List.of(1L, 2L))).getMessage());
  }
}
