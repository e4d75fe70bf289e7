package io.kava.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kava.distribute.MultiWorkerStrategy;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data-parallel training of the MNIST simple CNN by worker JVMs on loopback addresses, each
 * with its own {@code TF_CONFIG}: the replicas end with bit-identical weights and report the
 * losses of a single process training on the same global batches, and only the chief writes
 * checkpoints and logs; a killed worker makes the others fail with its address named, not
 * hang.
 */
class MultiWorkerTrainingTest {
  /** 250 digits in global batches of 48: five full batches and a last one of 10 per epoch. */
  private static final int SAMPLES = 250;
  private static final int BATCH = 48;
  private static final int EPOCHS = 2;

  @TempDir
  Path dir;

  @Test
  void twoWorkersTrainAsOneProcessOnTheWholeBatches() throws Exception {
    sameAsOneProcess(2, false);
  }

  @Test
  void threeWorkersTrainAsOneProcessOnTheWholeBatches() throws Exception {
    sameAsOneProcess(3, false);
  }

  /** Batches from an iterator (the data module's generators): each worker slices its rows. */
  @Test
  void twoWorkersTrainOnAnIteratorAsOneProcess() throws Exception {
    sameAsOneProcess(2, true);
  }

  private void sameAsOneProcess(int workers, boolean iterator) throws Exception {
    MultiWorkerMain.train(MultiWorkerStrategy.local(), SAMPLES, EPOCHS, BATCH,
        dir.resolve("single"), -1, null, iterator, null);
    List<String> single = Files.readAllLines(dir.resolve("single.txt"));
    this.iterator = iterator;
    finish(start(workers, "30", null, null));
    byte[] chief = Files.readAllBytes(dir.resolve("w0.weights"));
    for (int i = 0; i < workers; i++) {
      List<String> lines = Files.readAllLines(dir.resolve("w" + i + ".txt"));
      assertEquals(single.size(), lines.size());
      for (int l = 0; l < lines.size(); l++) {
        assertClose(single.get(l), lines.get(l), "worker " + i);
      }
      assertArrayEquals(chief, Files.readAllBytes(dir.resolve("w" + i + ".weights")),
          "worker " + i + "'s weights differ from the chief's");
      // Checkpoints and logs: the chief writes them, the others write nothing.
      for (String file : List.of("-checkpoint-1", "-checkpoint-2", ".csv", "-logs")) {
        assertEquals(i == 0, Files.exists(dir.resolve("w" + i + file)), "w" + i + file);
      }
    }
  }

  /**
   * A job restarted from the chief's checkpoint of epoch 1 (every worker loads it) trains
   * epoch 2 exactly as the uninterrupted job did.
   */
  @Test
  void aRestartedJobResumesFromTheChiefsCheckpointExactly() throws Exception {
    finish(start(2, "30", null, null));
    List<String> whole = Files.readAllLines(dir.resolve("w0.txt"));
    Path checkpoint = dir.resolve("w0-checkpoint-1");
    Path first = dir.resolve("first");
    Files.createDirectory(first);
    for (String f : List.of("w0.txt", "w1.txt", "w0-checkpoint-2")) {
      Files.move(dir.resolve(f), first.resolve(f));
    }
    addresses.clear();
    finish(start(2, "30", null, checkpoint));
    int steps = (SAMPLES + BATCH - 1) / BATCH;
    List<String> second = whole.subList(steps, 2 * steps);
    for (int i = 0; i < 2; i++) {
      List<String> resumed = Files.readAllLines(dir.resolve("w" + i + ".txt"));
      assertEquals(steps + 1, resumed.size(), "worker " + i + ": " + resumed);
      for (int s = 0; s < steps; s++) {
        // The recorder counts steps from 0 in each process.
        assertClose(second.get(s).replaceFirst("^step \\d+", "step " + s),
            resumed.get(s), "resumed worker " + i);
      }
      assertClose(whole.get(whole.size() - 1), resumed.get(steps), "resumed worker " + i);
    }
  }

  /**
   * A job whose worker is killed in epoch 2 and that is started again with the same
   * BackupAndRestore directory trains epoch 2 with the losses of an uninterrupted run.
   */
  @Test
  void aKilledJobRestartsFromItsBackupWithTheUninterruptedLosses() throws Exception {
    MultiWorkerMain.train(MultiWorkerStrategy.local(), SAMPLES, EPOCHS, BATCH,
        dir.resolve("single"), -1, null, false, null);
    List<String> single = Files.readAllLines(dir.resolve("single.txt"));
    backup = dir.resolve("backup");
    List<Process> ps = start(2, "30", "8", null);
    Path paused = dir.resolve("w1.paused");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (!Files.exists(paused) && ps.get(1).isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertTrue(Files.exists(paused), "worker 1 never reached step 8: " + log(1));
    ps.get(1).destroyForcibly().waitFor();
    assertTrue(ps.get(0).waitFor(90, TimeUnit.SECONDS), "worker 0 hangs after worker 1 died");
    assertEquals(3, ps.get(0).exitValue(), log(0));
    assertTrue(Files.isRegularFile(backup.resolve("kava.json")), "no backup of epoch 1");
    addresses.clear();
    finish(start(2, "30", null, null));
    int steps = (SAMPLES + BATCH - 1) / BATCH;
    for (int i = 0; i < 2; i++) {
      List<String> resumed = Files.readAllLines(dir.resolve("w" + i + ".txt"));
      assertEquals(steps + 1, resumed.size(), "worker " + i + ": " + resumed);
      for (int s = 0; s < steps; s++) {
        assertClose(single.get(steps + s).replaceFirst("^step \\d+", "step " + s),
            resumed.get(s), "restarted worker " + i);
      }
      assertClose(single.get(single.size() - 1), resumed.get(steps), "restarted worker " + i);
    }
    assertTrue(Files.notExists(backup), "the chief deletes the backup after the job ends");
  }

  @Test
  void aKilledWorkerMakesTheOthersFailNamingIt() throws Exception {
    List<Process> ps = start(2, "8", "2", null);
    Path paused = dir.resolve("w1.paused");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (!Files.exists(paused) && ps.get(1).isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertTrue(Files.exists(paused), "worker 1 never reached step 2: " + log(1));
    ps.get(1).destroyForcibly().waitFor();
    // The step timeout is 8 s; allow generously for a loaded machine.
    assertTrue(ps.get(0).waitFor(90, TimeUnit.SECONDS), "worker 0 hangs after worker 1 died");
    assertEquals(3, ps.get(0).exitValue(), log(0));
    String error = Files.readString(dir.resolve("w0.error"));
    assertTrue(error.contains("worker 1 at " + addresses.get(1) + " (Connection refused)")
        && error.contains("unreachable") && error.contains("Restart every worker"), error);
  }

  /** A worker that stops answering without dying fails the others after the step timeout. */
  @Test
  void aStuckWorkerMakesTheOthersFailAfterTheTimeout() throws Exception {
    List<Process> ps = start(2, "8", "2", null);
    try {
      Path paused = dir.resolve("w1.paused");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
      while (!Files.exists(paused) && ps.get(1).isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertTrue(Files.exists(paused), "worker 1 never reached step 2: " + log(1));
      assertTrue(ps.get(0).waitFor(90, TimeUnit.SECONDS), "worker 0 hangs on a stuck worker");
      assertEquals(3, ps.get(0).exitValue(), log(0));
      String error = Files.readString(dir.resolve("w0.error"));
      assertTrue(error.startsWith("MultiWorkerStrategy: worker 0 at " + addresses.get(0)
          + " could not exchange data with the other workers: every other worker still"
          + " accepts connections, so one is stuck or slower than the timeout (8.0 s per step,"
          + " MultiWorkerStrategy.timeout)."), error);
    } finally {
      ps.get(1).destroyForcibly().waitFor();
    }
  }

  private List<String> addresses = new ArrayList<>();
  private boolean iterator;
  private Path backup;

  private void finish(List<Process> ps) throws InterruptedException {
    for (int i = 0; i < ps.size(); i++) {
      assertTrue(ps.get(i).waitFor(240, TimeUnit.SECONDS), "worker " + i + " still runs");
      assertEquals(0, ps.get(i).exitValue(), "worker " + i + ": " + log(i));
    }
  }

  private List<Process> start(int workers, String timeoutSeconds, String pauseAt,
      Path resumeFrom) throws IOException {
    for (int i = 0; i < workers; i++) {
      addresses.add("127.0.0.1:" + freePort());
    }
    String cluster = "{\"worker\": [\"" + String.join("\", \"", addresses) + "\"]}";
    List<Process> ps = new ArrayList<>();
    for (int i = 0; i < workers; i++) {
      List<String> cmd = new ArrayList<>(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), MultiWorkerMain.class.getName(),
          dir.resolve("w" + i).toString(), String.valueOf(SAMPLES), String.valueOf(EPOCHS),
          String.valueOf(BATCH), timeoutSeconds));
      cmd.add(pauseAt != null && i == 1 ? pauseAt : "-1");
      cmd.add(resumeFrom != null ? resumeFrom.toString() : "-");
      cmd.add(iterator ? "iterator" : "arrays");
      cmd.add(backup != null ? backup.toString() : "-");
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectOutput(dir.resolve("w" + i + ".log").toFile());
      pb.environment().put("TF_CONFIG", "{\"cluster\": " + cluster
          + ", \"task\": {\"type\": \"worker\", \"index\": " + i + "}}");
      pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
      ps.add(pb.start());
    }
    return ps;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private String log(int worker) {
    try {
      String s = Files.readString(dir.resolve("w" + worker + ".log"));
      return s.substring(Math.max(0, s.length() - 3000));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** Lines such as {@code step 3 loss 2.1 accuracy 0.4}: same words, numbers within 1e-5. */
  private static void assertClose(String want, String got, String who) {
    String[] a = want.split(" ");
    String[] b = got.split(" ");
    assertEquals(a.length, b.length, who + ": " + got);
    for (int k = 0; k < a.length; k++) {
      if (k % 2 == 0 || k == 1) {
        assertEquals(a[k], b[k], who + ": " + got);
      } else {
        double x = Double.parseDouble(a[k]);
        double y = Double.parseDouble(b[k]);
        assertEquals(x, y, 1e-5 * Math.max(1e-3, Math.abs(x)),
            who + ": " + got + " vs one process: " + want);
      }
    }
  }
}
