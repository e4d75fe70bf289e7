package io.kava.tools.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kava serve against TF Serving's REST API, with Python's half_plus_two, on loopback. */
class RestServerTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir
  Path base;
  ServingCore model;
  RestServer server;
  final HttpClient http = HttpClient.newHttpClient();

  static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    }
  }

  @BeforeEach
  void start() throws IOException {
    // TF Serving's own folder name, leading zeros and all.
    copy(Path.of("../../shared/fixtures/half_plus_two/00000123"), base.resolve("00000123"));
    model = ServingCore.serve("half_plus_two", base, 0.1);
    server = RestServer.start(model, "127.0.0.1", 0, 64 * 1024, 10_000);
  }

  @AfterEach
  void stop() {
    server.close();
    model.close();
  }

  HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
        + path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String path, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
        + path)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A POST whose body is sent chunked, without a Content-Length. */
  HttpResponse<String> postChunked(String path, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
        + path)).POST(HttpRequest.BodyPublishers.ofInputStream(() ->
            new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8))))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void readsChunkedBodiesUpToTheSizeLimit() throws Exception {
    var r = postChunked("/v1/models/half_plus_two:predict", "{\"instances\": [1.0, 2.0, 5.0]}");
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("[2.5,3.0,4.5]", JSON.readTree(r.body()).get("predictions").toString());
    assertError(postChunked("/v1/models/half_plus_two:predict", "{\"instances\": ["
        + "1.0, ".repeat(20_000) + "1.0]}"), 413, "limit of 65536 bytes");
  }

  @Test
  void predictsInRowAndColumnarFormats() throws Exception {
    var r = post("/v1/models/half_plus_two:predict", "{\"instances\": [1.0, 2.0, 5.0]}");
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(JSON.readTree("{\"predictions\": [2.5, 3.0, 4.5]}"), JSON.readTree(r.body()));
    r = post("/v1/models/half_plus_two/versions/123:predict",
        "{\"signature_name\": \"serving_default\", \"inputs\": {\"x\": [[1.0], [2.0]]}}");
    assertEquals(JSON.readTree("{\"outputs\": [[2.5], [3.0]]}"), JSON.readTree(r.body()));
  }

  @Test
  void statusAndMetadataHaveTfServingsShape() throws Exception {
    JsonNode status = JSON.readTree(get("/v1/models/half_plus_two").body());
    assertEquals(JSON.readTree("{\"model_version_status\": [{\"version\": \"123\", \"state\":"
        + " \"AVAILABLE\", \"status\": {\"error_code\": \"OK\", \"error_message\": \"\"}}]}"),
        status);
    JsonNode meta = JSON.readTree(get("/v1/models/half_plus_two/versions/123/metadata").body());
    assertEquals("123", meta.at("/model_spec/version").asText());
    JsonNode x = meta.at("/metadata/signature_def/signature_def/serving_default/inputs/x");
    assertEquals("DT_FLOAT", x.get("dtype").asText());
    assertEquals("-1", x.at("/tensor_shape/dim/0/size").asText());
    assertEquals("tensorflow/serving/predict", meta.at(
        "/metadata/signature_def/signature_def/serving_default/method_name").asText());
  }

  @Test
  void errorsAreJsonWithTfServingsCodes() throws Exception {
    assertError(post("/v1/models/nope:predict", "{\"instances\": [1.0]}"), 404, "nope");
    assertError(post("/v1/models/half_plus_two/versions/7:predict", "{\"instances\": [1]}"),
        404, "7");
    assertError(post("/v1/models/half_plus_two:predict", "{\"instances\": [1.0"), 400, "JSON");
    assertError(post("/v1/models/half_plus_two:predict", "{\"instances\": [1.0], \"inputs\":"
        + " [1.0]}"), 400, "only one");
    assertError(post("/v1/models/half_plus_two:predict", "{}"), 400, "instances");
    assertError(post("/v1/models/half_plus_two:predict", "{\"signature_name\": \"zz\","
        + " \"instances\": [1.0]}"), 400, "zz");
    assertError(post("/v1/models/half_plus_two:predict", "{\"instances\": [\"a\"]}"), 400,
        "numbers");
    assertError(post("/v1/models/half_plus_two:predict", "{\"instances\": [[1.0], [2.0, 3.0]]}"),
        400, "rectangular");
    assertError(post("/v1/models/half_plus_two:predict", "{\"instances\": ["
        + "1.0, ".repeat(20_000) + "1.0]}"), 413, "");
    assertError(get("/v1/models/half_plus_two/versions/x/metadata"), 404, "");
    // TF Serving's answer for all digits that overflow a long; leading zeros are fine.
    assertError(get("/v1/models/half_plus_two/versions/123456789012345678901234567890"), 400,
        "Failed to convert version: 123456789012345678901234567890 to numeric.");
    assertEquals(200, get("/v1/models/half_plus_two/versions/00000123/metadata").statusCode());
  }

  void assertError(HttpResponse<String> r, int status, String mentions) throws Exception {
    assertEquals(status, r.statusCode(), r.body());
    JsonNode body = JSON.readTree(r.body());
    assertTrue(body.has("error"), r.body());
    assertTrue(body.get("error").asText().contains(mentions), r.body());
  }

  @Test
  void closeStopsServingAndFreesThePort() throws Exception {
    InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
    int port = server.port();
    // No request before close: a closed connection would leave the port in TIME_WAIT, which
    // a bind without SO_REUSEADDR (below) rightly refuses.
    server.close();
    assertThrows(ConnectException.class, () -> new Socket(loopback, port).close(),
        "nothing listens on the old port");
    try (ServerSocket socket = new ServerSocket()) {
      // Without SO_REUSEADDR, bind throws BindException while anything still holds the port.
      socket.setReuseAddress(false);
      socket.bind(new InetSocketAddress(loopback, port));
      assertEquals(port, socket.getLocalPort());
    }
    server = RestServer.start(model, "127.0.0.1", 0, 64 * 1024, 10_000);
    assertEquals(200, get("/v1/models/half_plus_two").statusCode());
  }

  @Test
  void aNewVersionDroppedInIsServed() throws Exception {
    copy(base.resolve("00000123"), base.resolve("200"));
    long deadline = System.currentTimeMillis() + 10_000;
    String available = "{\"version\":\"200\",\"state\":\"AVAILABLE\"";
    while (System.currentTimeMillis() < deadline
        && !get("/v1/models/half_plus_two").body().contains(available)) {
      Thread.sleep(50);
    }
    assertTrue(get("/v1/models/half_plus_two").body().contains(available));
    var r = post("/v1/models/half_plus_two/versions/200:predict", "{\"instances\": [4.0]}");
    assertEquals(JSON.readTree("{\"predictions\": [4.0]}"), JSON.readTree(r.body()));
  }

  @Test
  void servesAKavaExport(@TempDir Path kavaBase) throws Exception {
    try (var m = new io.kava.Sequential(io.kava.layers.Input.of(4),
        io.kava.layers.Dense.of(3).activation(io.kava.layers.Activation.SOFTMAX)).seed(1)) {
      m.export(kavaBase, 1);
    }
    try (ServingCore kava = ServingCore.serve("tiny", kavaBase, 0);
        RestServer s = RestServer.start(kava, "127.0.0.1", 0, 1 << 20, 10_000)) {
      var r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port()
          + "/v1/models/tiny:predict")).POST(HttpRequest.BodyPublishers.ofString(
          "{\"instances\": [[1, 2, 3, 4], [0, 0, 0, 0]]}")).build(),
          HttpResponse.BodyHandlers.ofString());
      JsonNode p = JSON.readTree(r.body()).get("predictions");
      assertEquals(2, p.size(), r.body());
      double sum = 0;
      for (JsonNode v : p.get(0)) {
        sum += v.asDouble();
      }
      assertEquals(1.0, sum, 1e-5, "softmax rows sum to one: " + r.body());
      assertEquals(1.0 / 3, p.get(1).get(0).asDouble(), 1e-5, "zero input, zero bias");
    }
  }

  @Test
  void manyConcurrentClientsGetNoErrors() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(16);
    List<Future<Integer>> results = new ArrayList<>();
    for (int c = 0; c < 16; c++) {
      int client = c;
      results.add(pool.submit(() -> {
        int ok = 0;
        for (int i = 0; i < 25; i++) {
          var r = post("/v1/models/half_plus_two:predict", "{\"instances\": [" + client + ".0, "
              + i + ".0]}");
          JsonNode p = JSON.readTree(r.body()).get("predictions");
          ok += r.statusCode() == 200 && p.get(0).asDouble() == 0.5 * client + 2
              && p.get(1).asDouble() == 0.5 * i + 2 ? 1 : 0;
        }
        return ok;
      }));
    }
    int total = 0;
    for (Future<Integer> f : results) {
      total += f.get();
    }
    pool.shutdown();
    assertEquals(16 * 25, total);
  }
}
