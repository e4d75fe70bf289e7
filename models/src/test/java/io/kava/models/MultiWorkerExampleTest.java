package io.kava.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15's example runs as written across two local worker processes: the CIFAR-10 CNN on
 * CIFAR-10 JPEGs from {@code flowFromDirectory} (each worker reading its share of every
 * batch), and both workers end with the same History.
 */
class MultiWorkerExampleTest {
  private static final Path CIFAR = Path.of("../../shared/data/cifar10-jpg/train");

  @TempDir
  Path dir;

  @Test
  void theIssuesExampleTrainsOnTwoWorkerProcesses() throws Exception {
    Path images = Files.createDirectories(dir.resolve("images"));
    try (Stream<Path> classes = Files.list(CIFAR)) {
      for (Path c : classes.filter(Files::isDirectory).sorted().toList()) {
        Path to = Files.createDirectories(images.resolve(c.getFileName().toString()));
        try (Stream<Path> files = Files.list(c)) {
          for (Path f : files.sorted().limit(8).toList()) {
            Files.copy(f, to.resolve(f.getFileName().toString()));
          }
        }
      }
    }
    List<String> addresses = List.of("127.0.0.1:" + MultiWorkerTrainingTest.freePort(),
        "127.0.0.1:" + MultiWorkerTrainingTest.freePort());
    String cluster = "{\"worker\": [\"" + String.join("\", \"", addresses) + "\"]}";
    List<Process> ps = new ArrayList<>();
    try {
      for (int i = 0; i < 2; i++) {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin",
            "java").toString(), "-cp", System.getProperty("java.class.path"),
            MultiWorkerExampleMain.class.getName(), images.toString(),
            dir.resolve("w" + i + ".txt").toString()).redirectErrorStream(true)
            .redirectOutput(dir.resolve("w" + i + ".log").toFile());
        pb.environment().put("TF_CONFIG", "{\"cluster\": " + cluster
            + ", \"task\": {\"type\": \"worker\", \"index\": " + i + "}}");
        pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
        ps.add(pb.start());
      }
      for (int i = 0; i < 2; i++) {
        assertTrue(ps.get(i).waitFor(240, TimeUnit.SECONDS), "worker " + i + " still runs");
        assertEquals(0, ps.get(i).exitValue(), "worker " + i + ": "
            + Files.readString(dir.resolve("w" + i + ".log")));
      }
    } finally {
      ps.forEach(Process::destroyForcibly);
    }
    List<String> chief = Files.readAllLines(dir.resolve("w0.txt"));
    assertEquals(2, chief.size(), "one line per epoch: " + chief);
    assertEquals(chief, Files.readAllLines(dir.resolve("w1.txt")),
        "both workers report the same History");
    for (String line : chief) {
      double loss = Double.parseDouble(line.split(" ")[3]);
      assertTrue(loss > 0 && loss < 10, line);
    }
  }
}
