package io.kava.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kava serve names the flag to fix when its flags are wrong (and serves nothing). */
class ServeCommandTest {
  @TempDir
  Path tmp;

  static String serve(String name, Path base) {
    return KavaCommandsTest.run(2, "serve", "--model_name", name, "--model_base_path",
        base.toString(), "--rest_api_host", "127.0.0.1", "--rest_api_port", "0")[1];
  }

  @Test
  void aBadModelNameNamesTheFlag() {
    assertEquals("kava serve: --model_name must be letters, digits, '_', '.' or '-'; got"
        + " 'a/b'.", serve("a/b", tmp).strip());
  }

  @Test
  void aBadGrpcPortNamesTheFlag() {
    for (String port : new String[] {"-1", "65536", "8501"}) {
      String err = KavaCommandsTest.run(2, "serve", "--model_name", "m", "--model_base_path",
          tmp.toString(), "--rest_api_port", "8501", "--port", port)[1];
      assertEquals("kava serve: --port must be a free TCP port (0 to 65535) other than"
          + " --rest_api_port; got " + port + ".", err.strip());
    }
  }

  @Test
  void aBusyGrpcPortIsReported() throws IOException {
    Path base = Path.of("../../shared/fixtures/half_plus_two");
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String err = KavaCommandsTest.run(2, "serve", "--model_name", "m", "--model_base_path",
          base.toString(), "--rest_api_host", "127.0.0.1", "--rest_api_port", "0", "--port",
          Integer.toString(busy.getLocalPort()))[1];
      assertTrue(err.startsWith("kava serve: GrpcServer: cannot serve gRPC on 127.0.0.1:"
          + busy.getLocalPort() + ": "), err);
    }
  }

  @Test
  void aBadBasePathNamesTheFlag() throws IOException {
    Path missing = tmp.resolve("missing");
    assertEquals("kava serve: --model_base_path " + missing + " must be a directory; it does"
        + " not exist.", serve("m", missing).strip());
    Files.createDirectories(tmp.resolve("latest"));
    assertEquals("kava serve: --model_base_path " + tmp + " must contain numbered version"
        + " folders (1/, 2/, ...) holding a saved_model.pb; it has none. kava train and kava"
        + " export write them.", serve("m", tmp).strip());
  }
}
