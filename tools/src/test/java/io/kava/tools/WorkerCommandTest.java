package io.kava.tools;

import static io.kava.tools.KavaCommandsTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WorkerCommandTest {

  @Test
  void servesTheTaskUntilKilled() throws Exception {
    int port = freePort();
    String address = "127.0.0.1:" + port;
    Process p = new ProcessBuilder(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), Kava.class.getName(), "worker", "--cluster",
        address + ",127.0.0.1:" + freePort(), "--task", "0"))
        .redirectErrorStream(true).start();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
        StandardCharsets.UTF_8))) {
      String line = out.readLine();
      while (line != null && !line.startsWith("kava worker:")) {
        line = out.readLine();
      }
      assertEquals("kava worker: serving task 0 of 2 (MultiWorkerStrategy(workers=2, task=0,"
          + " address=" + address + ")) until killed", line);
      // The gRPC server accepts connections at the task's address and keeps serving.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      boolean connected = false;
      while (!connected && System.nanoTime() < deadline) {
        try (Socket s = new Socket()) {
          s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
          connected = true;
        } catch (IOException e) {
          Thread.sleep(200);
        }
      }
      assertTrue(connected, "nothing listens at " + address);
      assertTrue(p.isAlive());
    } finally {
      p.destroyForcibly().waitFor();
    }
  }

  @Test
  void badClustersAreNamed() {
    assertEquals("kava worker: MultiWorkerStrategy: TF_CONFIG task.index must be in [0, 1) for"
        + " the 1 workers of cluster.worker; got 3.\n",
        run(2, "worker", "--cluster", "127.0.0.1:2222", "--task", "3")[1]);
    assertEquals("kava worker: MultiWorkerStrategy: TF_CONFIG cluster.worker addresses must be"
        + " distinct (one task per host:port); got \"a:1\" twice, again at index 1.\n",
        run(2, "worker", "--cluster", "a:1,a:1", "--task", "0")[1]);
    assertEquals("kava worker: --cluster and --task go together; got only --cluster.\n",
        run(2, "worker", "--cluster", "a:1")[1]);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
