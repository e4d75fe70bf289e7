package io.kava.tools.serving;

import com.google.protobuf.TextFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import tensorflow.serving.MonitoringConfigOuterClass.MonitoringConfig;
import tensorflow.serving.MonitoringConfigOuterClass.PrometheusConfig;

/**
 * Whether and where the REST server exposes {@link ServingMetrics}: TF Serving's
 * {@code --monitoring_config_file}, a text-format {@code MonitoringConfig}.
 *
 * <p>{@code enabled} (default false): whether the Prometheus endpoint exists. {@code path}
 * (default {@value #DEFAULT_PATH}, TF Serving's): its HTTP path.
 *
 * <pre>{@code
 * jshell> MonitoringOptions.fromFile(Path.of("monitoring.txt"))  // enable: true
 * $1 ==> MonitoringOptions(enabled=true, path=/monitoring/prometheus/metrics)
 * }</pre>
 *
 * @param enabled whether to serve the metrics
 * @param path the HTTP path, starting with '/'
 */
public record MonitoringOptions(boolean enabled, String path) {
  /** TF Serving's PrometheusExporter::kPrometheusPath. */
  public static final String DEFAULT_PATH = "/monitoring/prometheus/metrics";

  /**
   * Checks the path.
   *
   * @throws IllegalArgumentException if {@code path} does not start with '/'
   */
  public MonitoringOptions {
    check("MonitoringOptions", "path", path);
  }

  private static void check(String where, String field, String path) {
    if (path == null || !path.startsWith("/")) {
      throw new IllegalArgumentException(where + ": " + field + " must start with '/'; got "
          + (path == null ? "null" : "'" + path + "'") + ".");
    }
  }

  /** No Prometheus endpoint, as without {@code --monitoring_config_file}. */
  public static MonitoringOptions disabled() {
    return new MonitoringOptions(false, DEFAULT_PATH);
  }

  /**
   * Reads a {@code --monitoring_config_file} as {@code tensorflow_model_server} does; an empty
   * {@code path} means {@value #DEFAULT_PATH}.
   *
   * @throws IllegalArgumentException naming the file if it cannot be read, is not a
   *     text-format {@code MonitoringConfig}, or its path does not start with '/'
   */
  public static MonitoringOptions fromFile(Path file) {
    String where = "Monitoring config file " + file;
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(where + ": cannot be read: " + e.getMessage(), e);
    }
    MonitoringConfig.Builder config = MonitoringConfig.newBuilder();
    try {
      TextFormat.merge(text, config);
    } catch (TextFormat.ParseException e) {
      throw new IllegalArgumentException(where + ": must be a text-format MonitoringConfig"
          + " (for example 'prometheus_config { enable: true }'); " + e.getMessage(), e);
    }
    PrometheusConfig p = config.getPrometheusConfig();
    String path = p.getPath().isEmpty() ? DEFAULT_PATH : p.getPath();
    check(where, "prometheus_config.path", path);
    return new MonitoringOptions(p.getEnable(), path);
  }
}
