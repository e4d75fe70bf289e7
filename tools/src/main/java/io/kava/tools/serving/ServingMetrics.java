package io.kava.tools.serving;

import io.grpc.Status;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The metrics TF Serving exports to Prometheus, under its names and labels, printed as its
 * PrometheusExporter prints them (text format 0.0.4: a {@code # TYPE} line per metric, names
 * with TensorFlow's '/' turned to ':', histogram buckets of TensorFlow's samplers):
 *
 * <ul>
 *   <li>{@code :tensorflow:serving:request_count} counter {model_name, status}: every
 *       Predict/Classify/Regress request, status the gRPC code name (OK, INVALID_ARGUMENT...).
 *   <li>{@code :tensorflow:serving:request_latency} histogram {model_name, API, entrypoint}:
 *       microseconds of successful requests, buckets 10 * 1.8^i (i &lt; 33).
 *   <li>{@code :tensorflow:cc:saved_model:load_attempt_count} counter {model_path, status}:
 *       SavedModel loads, status {@code success} or {@code fail}.
 *   <li>{@code :tensorflow:cc:saved_model:load_latency} counter {model_path}: total
 *       microseconds of successful loads.
 * </ul>
 *
 * <p>Thread-safe; one per server, passed to whatever records into it.
 *
 * <pre>{@code
 * jshell> var metrics = new ServingMetrics()
 * jshell> metrics.recordRequest("mnist", "Predict", ServingMetrics.Entrypoint.REST,
 *    ...>     Status.Code.OK, 1_200_000)
 * jshell> metrics.scrape()
 * $3 ==> "# TYPE :tensorflow:cc:saved_model:load_attempt_count counter\n..."
 * }</pre>
 */
public final class ServingMetrics {
  /** What Prometheus receives: TF Serving's text format, version 0.0.4. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  /** Where a request came in, TF Serving's {@code entrypoint} label. */
  public enum Entrypoint { GRPC, REST }

  private static final String LOAD_COUNT = ":tensorflow:cc:saved_model:load_attempt_count";
  private static final String LOAD_LATENCY = ":tensorflow:cc:saved_model:load_latency";
  private static final String REQUEST_COUNT = ":tensorflow:serving:request_count";
  private static final String REQUEST_LATENCY = ":tensorflow:serving:request_latency";
  /** TensorFlow's Buckets::Exponential(10, 1.8, 33), then DBL_MAX (+Inf). */
  private static final double[] LATENCY_LIMITS = exponential(10, 1.8, 33);

  /** Cells by label values, in TensorFlow's order (sorted), as its registry keeps them. */
  private final Map<List<String>, LongAdder> loadCount = cells();
  private final Map<List<String>, LongAdder> loadLatency = cells();
  private final Map<List<String>, LongAdder> requestCount = cells();
  private final Map<List<String>, Histogram> requestLatency = cells();

  private static <T> Map<List<String>, T> cells() {
    Comparator<List<String>> byLabels = (a, b) -> {
      for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
        int c = a.get(i).compareTo(b.get(i));
        if (c != 0) {
          return c;
        }
      }
      return Integer.compare(a.size(), b.size());
    };
    return new ConcurrentSkipListMap<>(byLabels);
  }

  private static double[] exponential(double scale, double growth, int count) {
    double[] limits = new double[count];
    double bound = scale;
    for (int i = 0; i < count; i++) {
      limits[i] = bound;
      bound *= growth;
    }
    return limits;
  }

  /**
   * Records one Predict, Classify or Regress request as TF Serving does: always counted, its
   * latency only when {@code status} is OK.
   *
   * @param api TF Serving's {@code API} label: "Predict", "Classify" or "Regress"
   * @param nanos how long the request took
   */
  public void recordRequest(String model, String api, Entrypoint entrypoint, Status.Code status,
      long nanos) {
    if (model == null || api == null || entrypoint == null || status == null) {
      throw new IllegalArgumentException("ServingMetrics: model, api, entrypoint and status must"
          + " be non-null; got " + model + ", " + api + ", " + entrypoint + ", " + status + ".");
    }
    requestCount.computeIfAbsent(List.of(model, status.name()), k -> new LongAdder())
        .increment();
    if (status == Status.Code.OK) {
      requestLatency.computeIfAbsent(List.of(model, api, entrypoint.name()),
          k -> new Histogram(LATENCY_LIMITS)).add(TimeUnit.NANOSECONDS.toMicros(nanos));
    }
  }

  /** Records one SavedModel load of {@code modelPath} (the version folder), as TensorFlow does. */
  public void recordLoad(String modelPath, boolean ok, long nanos) {
    if (modelPath == null) {
      throw new IllegalArgumentException("ServingMetrics: modelPath must be non-null.");
    }
    loadCount.computeIfAbsent(List.of(modelPath, ok ? "success" : "fail"),
        k -> new LongAdder()).increment();
    if (ok) {
      loadLatency.computeIfAbsent(List.of(modelPath), k -> new LongAdder())
          .add(TimeUnit.NANOSECONDS.toMicros(nanos));
    }
  }

  /** Every metric in Prometheus text format, as TF Serving's metrics endpoint answers. */
  public String scrape() {
    StringBuilder out = new StringBuilder();
    counter(out, LOAD_COUNT, List.of("model_path", "status"), loadCount);
    counter(out, LOAD_LATENCY, List.of("model_path"), loadLatency);
    counter(out, REQUEST_COUNT, List.of("model_name", "status"), requestCount);
    out.append("# TYPE ").append(REQUEST_LATENCY).append(" histogram\n");
    List<String> names = List.of("model_name", "API", "entrypoint");
    requestLatency.forEach((values, h) -> h.print(out, REQUEST_LATENCY, labels(names, values)));
    return out.toString();
  }

  private static void counter(StringBuilder out, String name, List<String> labelNames,
      Map<List<String>, LongAdder> cells) {
    out.append("# TYPE ").append(name).append(" counter\n");
    cells.forEach((values, n) -> out.append(name).append('{')
        .append(labels(labelNames, values)).append("} ").append(n.sum()).append('\n'));
  }

  private static String labels(List<String> names, List<String> values) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < names.size(); i++) {
      s.append(i == 0 ? "" : ",").append(names.get(i)).append("=\"")
          .append(values.get(i).replace("\\", "\\\\").replace("\"", "\\\"")
              .replace("\n", "\\n"))
          .append('"');
    }
    return s.toString();
  }

  /**
   * {@code v} as absl::StrCat prints a double (C's %.6g): six significant digits, no trailing
   * zeros, an exponent below 1e-4 and from 1e6 on.
   */
  static String number(double v) {
    if (v == 0) {
      return "0";
    }
    BigDecimal d = new BigDecimal(v).round(new MathContext(6));
    int exp = d.precision() - d.scale() - 1;
    if (exp < -4 || exp >= 6) {
      String mantissa = d.movePointLeft(exp).stripTrailingZeros().toPlainString();
      int e = Math.abs(exp);
      return mantissa + "e" + (exp < 0 ? "-" : "+") + (e < 10 ? "0" : "") + e;
    }
    return d.stripTrailingZeros().toPlainString();
  }

  @Override
  public String toString() {
    return "ServingMetrics(" + requestCount.values().stream().mapToLong(LongAdder::sum).sum()
        + " requests, " + loadCount.values().stream().mapToLong(LongAdder::sum).sum()
        + " loads)";
  }

  /** TensorFlow's histogram: a value goes to the first bucket whose limit is above it. */
  private static final class Histogram {
    private final double[] limits;
    private final long[] counts;
    private double sum;

    Histogram(double[] limits) {
      this.limits = limits;
      this.counts = new long[limits.length + 1];
    }

    synchronized void add(double value) {
      int b = 0;
      while (b < limits.length && limits[b] <= value) {
        b++;
      }
      counts[b]++;
      sum += value;
    }

    synchronized void print(StringBuilder out, String name, String labels) {
      String prefix = name + "_bucket{" + labels + (labels.isEmpty() ? "" : ",");
      long cumulative = 0;
      for (int i = 0; i < counts.length; i++) {
        cumulative += counts[i];
        String le = i < limits.length ? number(limits[i]) : "+Inf";
        out.append(prefix).append("le=\"").append(le).append("\"} ").append(cumulative)
            .append('\n');
      }
      out.append(name).append("_sum{").append(labels).append("} ").append(number(sum))
          .append('\n');
      out.append(name).append("_count{").append(labels).append("} ").append(cumulative)
          .append('\n');
    }
  }
}
