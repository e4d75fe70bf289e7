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

  @Test
  void configFileFlagsAreCheckedAndNamed() throws IOException {
    Path none = tmp.resolve("none.config");
    assertEquals("kava serve: --model_config_file cannot be combined with --model_name /"
        + " --model_base_path; list the model in the file instead.", KavaCommandsTest.run(2,
            "serve", "--model_config_file", none.toString(), "--model_name", "m")[1].strip());
    assertEquals("kava serve: Model config file " + none + " must be a readable file; it does"
        + " not exist.", KavaCommandsTest.run(2, "serve", "--model_config_file",
            none.toString())[1].strip());
    assertEquals("kava serve: Give --model_name and --model_base_path, or --model_config_file;"
        + " got no --model_name.", KavaCommandsTest.run(2, "serve")[1].strip());
    Path models = Files.writeString(tmp.resolve("models.config"), "model_config_list { config"
        + " { name: 'hpt' base_path: '" + Path.of("../../shared/fixtures/half_plus_two")
            .toAbsolutePath() + "' } }");
    Path batching = Files.writeString(tmp.resolve("batching.config"),
        "max_batch_size { value: 0 }");
    String err = KavaCommandsTest.run(2, "serve", "--model_config_file", models.toString(),
        "--batching_parameters_file", batching.toString(), "--rest_api_host", "127.0.0.1",
        "--rest_api_port", "0", "--port", "0")[1].strip();
    assertTrue(err.startsWith("kava serve: Batching parameters file " + batching
        + ": max_batch_size must be in [1, "), err);
  }
}
