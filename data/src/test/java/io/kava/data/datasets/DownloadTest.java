package io.kava.data.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;

/** Keras-style cached downloads, against a server on the loopback address. */
class DownloadTest {
  static final byte[] BODY = "the file's bytes".getBytes();
  HttpServer server;
  final AtomicInteger requests = new AtomicInteger();
  String base;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/data.bin", ex -> {
      requests.incrementAndGet();
      ex.sendResponseHeaders(200, BODY.length);
      ex.getResponseBody().write(BODY);
      ex.close();
    });
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  @Test
  void downloadsOnceVerifiesAndReusesTheCache(@TempDir Path cache) throws Exception {
    Path p = Download.cached(cache, "data.bin", base + "/data.bin", "SHA-256", sha256(BODY));
    assertArrayEquals(BODY, Files.readAllBytes(p));
    Download.cached(cache, "data.bin", base + "/data.bin", "SHA-256", sha256(BODY));
    assertEquals(1, requests.get(), "the second call reads the cache");
  }

  @Test
  void aWrongChecksumLeavesNothingBehind(@TempDir Path cache) {
    var e = assertThrows(IllegalStateException.class, () -> Download.cached(cache, "data.bin",
        base + "/data.bin", "SHA-256", "00".repeat(32)));
    assertTrue(e.getMessage().contains("SHA-256 must be 0000"), e.getMessage());
    try (Stream<Path> s = Files.list(cache)) {
      assertEquals(0, s.count(), "no partial or corrupt file is kept");
    } catch (IOException io) {
      throw new UncheckedIOException(io);
    }
  }

  @Test
  void httpErrorsAreClear(@TempDir Path cache) {
    var e = assertThrows(UncheckedIOException.class, () -> Download.cached(cache, "x.bin",
        base + "/missing", "MD5", "00"));
    assertTrue(e.getMessage().contains("HTTP 404"), e.getMessage());
    assertFalse(Files.exists(cache.resolve("x.bin")));
  }

  @Test
  void anUnreachableServerIsNamedNotNull(@TempDir Path cache) throws IOException {
    int closed;
    try (var probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closed = probe.getLocalPort();
    }
    var e = assertThrows(UncheckedIOException.class, () -> Download.cached(cache, "x.bin",
        "http://127.0.0.1:" + closed + "/x.bin", "SHA-256", "00"));
    assertTrue(e.getMessage().contains("(without network access"), e.getMessage());
    assertFalse(e.getMessage().contains(": null"), e.getMessage());
    assertFalse(Files.exists(cache.resolve("x.bin")));
  }

  @Test
  void mnistLoadsKerasCachedNpzWithoutNetwork(@TempDir Path cache) {
    var x = NdArrays.ofFloats(Shape.of(3, 28, 28));
    x.setFloat(255f, 2, 14, 14);
    var y = NdArrays.vectorOf(5f, 0f, 4f);
    Npy.writeNpz(cache.resolve("mnist.npz"), Map.of("x_train", x, "y_train", y,
        "x_test", x, "y_test", y));
    TrainTest t = Mnist.load(cache);
    assertEquals(Shape.of(3, 28, 28, 1), t.train().images().shape());
    assertEquals(255f, t.test().images().getFloat(2, 14, 14, 0));
    assertArrayEquals(new int[] {5, 0, 4}, t.train().labels());
  }
}
