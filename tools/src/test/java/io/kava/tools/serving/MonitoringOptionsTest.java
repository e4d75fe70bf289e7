package io.kava.tools.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A TF Serving --monitoring_config_file reads unchanged. */
class MonitoringOptionsTest {
  @TempDir
  Path tmp;

  private MonitoringOptions read(String text) throws IOException {
    return MonitoringOptions.fromFile(Files.writeString(tmp.resolve("monitoring.txt"), text));
  }

  @Test
  void readsTfServingsFormatWithItsDefaultPath() throws IOException {
    assertEquals(new MonitoringOptions(true, "/monitoring/prometheus/metrics"),
        read("prometheus_config { enable: true }"));
    assertEquals(new MonitoringOptions(true, "/metrics"),
        read("prometheus_config {\n  enable: true,\n  path: \"/metrics\"\n}\n"));
    assertEquals(MonitoringOptions.disabled(), read(""));
  }

  @Test
  void badFilesNameTheFileAndTheField() throws IOException {
    Path f = tmp.resolve("monitoring.txt");
    String e = assertThrows(IllegalArgumentException.class,
        () -> read("prometheus_config { enable: true path: \"metrics\" }")).getMessage();
    assertEquals("Monitoring config file " + f + ": prometheus_config.path must start with '/';"
        + " got 'metrics'.", e);
    e = assertThrows(IllegalArgumentException.class, () -> read("prometheus { enable: true }"))
        .getMessage();
    assertTrue(e.startsWith("Monitoring config file " + f + ": must be a text-format"
        + " MonitoringConfig (for example 'prometheus_config { enable: true }'); 1:"), e);
    assertEquals("MonitoringOptions: path must start with '/'; got null.", assertThrows(
        IllegalArgumentException.class, () -> new MonitoringOptions(true, null)).getMessage());
  }
}
