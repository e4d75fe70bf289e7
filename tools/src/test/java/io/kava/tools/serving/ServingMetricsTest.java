package io.kava.tools.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.kava.tools.serving.ServingMetrics.Entrypoint;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The scrape is what TF Serving's PrometheusExporter prints, line for line. */
class ServingMetricsTest {
  private static final Pattern LINE = Pattern.compile("# TYPE [a-zA-Z_:][a-zA-Z0-9_:]*"
      + " (counter|histogram)|[a-zA-Z_:][a-zA-Z0-9_:]*\\{([a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\]"
      + "|\\\\.)*\"(,[a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\]|\\\\.)*\")*)?\\} [0-9.e+\\-]+");
  private static final String[] LIMITS = {"10", "18", "32.4", "58.32", "104.976", "188.957",
      "340.122", "612.22", "1102", "1983.59", "3570.47", "6426.84", "11568.3", "20823",
      "37481.3", "67466.4", "121440", "218591", "393464", "708235", "1.27482e+06",
      "2.29468e+06", "4.13043e+06", "7.43477e+06", "1.33826e+07", "2.40887e+07", "4.33596e+07",
      "7.80473e+07", "1.40485e+08", "2.52873e+08", "4.55172e+08", "8.19309e+08", "1.47476e+09"};

  @Test
  void withNothingRecordedEachMetricHasItsTypeLine() {
    assertEquals(
        """
        # TYPE :tensorflow:cc:saved_model:load_attempt_count counter
        # TYPE :tensorflow:cc:saved_model:load_latency counter
        # TYPE :tensorflow:serving:request_count counter
        # TYPE :tensorflow:serving:request_latency histogram
        """, new ServingMetrics().scrape());
  }

  @Test
  void requestsAreCountedByModelAndStatusAndOnlySuccessesTimed() {
    ServingMetrics m = new ServingMetrics();
    m.recordRequest("mnist", "Predict", Entrypoint.REST, Status.Code.OK, 15_000);
    m.recordRequest("mnist", "Classify", Entrypoint.GRPC, Status.Code.OK, 100_900);
    m.recordRequest("mnist", "Predict", Entrypoint.GRPC, Status.Code.INVALID_ARGUMENT, 5_000);
    m.recordRequest("half_plus_two", "Predict", Entrypoint.GRPC, Status.Code.OK,
        2_000_000_000_000L);
    String page = m.scrape();
    assertTrue(page.contains(
        """
        # TYPE :tensorflow:serving:request_count counter
        :tensorflow:serving:request_count{model_name="half_plus_two",status="OK"} 1
        :tensorflow:serving:request_count{model_name="mnist",status="INVALID_ARGUMENT"} 1
        :tensorflow:serving:request_count{model_name="mnist",status="OK"} 2
        # TYPE :tensorflow:serving:request_latency histogram
        """), page);
    StringBuilder want = new StringBuilder();
    String labels = "model_name=\"mnist\",API=\"Predict\",entrypoint=\"REST\"";
    for (int i = 0; i < LIMITS.length; i++) {
      want.append(":tensorflow:serving:request_latency_bucket{").append(labels).append(",le=\"")
          .append(LIMITS[i]).append("\"} ").append(i == 0 ? 0 : 1).append('\n');
    }
    want.append(":tensorflow:serving:request_latency_bucket{").append(labels)
        .append(",le=\"+Inf\"} 1\n");
    want.append(":tensorflow:serving:request_latency_sum{").append(labels).append("} 15\n");
    want.append(":tensorflow:serving:request_latency_count{").append(labels).append("} 1\n");
    assertTrue(page.contains(want), page);
    // 100 us falls in the bucket of limit 104.976; 2e9 us is above the last limit.
    assertTrue(page.contains("API=\"Classify\",entrypoint=\"GRPC\",le=\"58.32\"} 0\n"), page);
    assertTrue(page.contains("API=\"Classify\",entrypoint=\"GRPC\",le=\"104.976\"} 1\n"), page);
    assertTrue(page.contains("entrypoint=\"GRPC\",le=\"1.47476e+09\"} 0\n"
        + ":tensorflow:serving:request_latency_bucket{model_name=\"half_plus_two\",API=\"Predict\","
        + "entrypoint=\"GRPC\",le=\"+Inf\"} 1\n"), page);
    assertTrue(page.contains(":tensorflow:serving:request_latency_sum{model_name=\"half_plus_two"
        + "\",API=\"Predict\",entrypoint=\"GRPC\"} 2e+09\n"), page);
    assertEquals(-1, page.indexOf("status=\"INVALID_ARGUMENT\"", page.indexOf("histogram")));
  }

  @Test
  void aValueOnABucketLimitCountsInTheNextBucketAsInTensorFlow() {
    ServingMetrics m = new ServingMetrics();
    m.recordRequest("m", "Predict", Entrypoint.GRPC, Status.Code.OK, 18_000);
    String page = m.scrape();
    assertTrue(page.contains("le=\"18\"} 0\n"), page);
    assertTrue(page.contains("le=\"32.4\"} 1\n"), page);
  }

  @Test
  void loadsAreCountedByPathAndStatusAndSuccessfulOnesTimed() {
    ServingMetrics m = new ServingMetrics();
    m.recordLoad("/models/mnist/1", true, 250_000_000);
    m.recordLoad("/models/mnist/2", false, 1_000);
    m.recordLoad("/models/mnist/2", true, 1_500_000);
    assertEquals(
        """
        # TYPE :tensorflow:cc:saved_model:load_attempt_count counter
        :tensorflow:cc:saved_model:load_attempt_count{model_path="/models/mnist/1",status="success"} 1
        :tensorflow:cc:saved_model:load_attempt_count{model_path="/models/mnist/2",status="fail"} 1
        :tensorflow:cc:saved_model:load_attempt_count{model_path="/models/mnist/2",status="success"} 1
        # TYPE :tensorflow:cc:saved_model:load_latency counter
        :tensorflow:cc:saved_model:load_latency{model_path="/models/mnist/1"} 250000
        :tensorflow:cc:saved_model:load_latency{model_path="/models/mnist/2"} 1500
        # TYPE :tensorflow:serving:request_count counter
        # TYPE :tensorflow:serving:request_latency histogram
        """, m.scrape());
  }

  @Test
  void everyLineIsPrometheusTextFormatEvenWithQuotesInALabel() {
    ServingMetrics m = new ServingMetrics();
    m.recordLoad("C:\\models\\\"odd\"\nname", false, 0);
    m.recordRequest("m", "Regress", Entrypoint.REST, Status.Code.OK, 7_000);
    String page = m.scrape();
    assertTrue(page.contains("{model_path=\"C:\\\\models\\\\\\\"odd\\\"\\nname\",status=\"fail\"}"),
        page);
    for (String line : page.split("\n")) {
      assertTrue(LINE.matcher(line).matches(), line);
    }
  }

  @Test
  void numbersArePrintedAsAbslPrintsDoubles() {
    assertEquals("0", ServingMetrics.number(0));
    assertEquals("222", ServingMetrics.number(222));
    assertEquals("123457", ServingMetrics.number(123456.7));
    assertEquals("1e+06", ServingMetrics.number(1e6));
    assertEquals("0.0001", ServingMetrics.number(1e-4));
    assertEquals("1.5e-05", ServingMetrics.number(1.5e-5));
  }

  @Test
  void concurrentRecordsAreAllCounted() throws Exception {
    ServingMetrics m = new ServingMetrics();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      done.add(pool.submit(() -> {
        for (int i = 0; i < 1000; i++) {
          m.recordRequest("m", "Predict", Entrypoint.GRPC, Status.Code.OK, 1_000);
        }
      }));
    }
    for (Future<?> f : done) {
      f.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();
    String page = m.scrape();
    assertTrue(page.contains(":tensorflow:serving:request_count{model_name=\"m\",status=\"OK\"}"
        + " 8000\n"), page);
    assertTrue(page.contains("_count{model_name=\"m\",API=\"Predict\",entrypoint=\"GRPC\"}"
        + " 8000\n"), page);
    assertEquals("ServingMetrics(8000 requests, 0 loads)", m.toString());
  }

  @Test
  void missingLabelsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new ServingMetrics()
        .recordRequest("m", null, Entrypoint.GRPC, Status.Code.OK, 0));
  }
}
