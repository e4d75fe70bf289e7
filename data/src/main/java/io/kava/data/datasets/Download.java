package io.kava.data.datasets;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Keras's {@code get_file}: a file in the cache folder, downloaded once if missing, its
 * checksum verified before it is moved into place (a failed or corrupt download never leaves
 * a file behind).
 */
final class Download {
  private Download() {}

  /**
   * The cached file {@code cache/name}, downloading {@code url} first if it is missing.
   * {@code algorithm} is {@code SHA-256} or {@code MD5}; {@code hash} its hex digest.
   */
  static Path cached(Path cache, String name, String url, String algorithm, String hash) {
    Path target = cache.resolve(name);
    if (Files.isRegularFile(target)) {
      return target;
    }
    try {
      Files.createDirectories(target.getParent());
      Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".part");
      try {
        System.out.println("Downloading data from " + url);
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30))
            .followRedirects(HttpClient.Redirect.NORMAL).build();
        HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofMinutes(10)).build(), HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
          response.body().close();
          throw new UncheckedIOException(new IOException("Download of " + url + " failed: HTTP "
              + response.statusCode() + "."));
        }
        MessageDigest digest = MessageDigest.getInstance(algorithm);
        try (InputStream in = response.body(); OutputStream out = Files.newOutputStream(tmp)) {
          byte[] buf = new byte[1 << 16];
          for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
            digest.update(buf, 0, n);
            out.write(buf, 0, n);
          }
        }
        String got = HexFormat.of().formatHex(digest.digest());
        if (!got.equalsIgnoreCase(hash)) {
          throw new IllegalStateException("Download of " + url + ": " + algorithm + " must be "
              + hash + "; got " + got + ". The file was discarded; try again.");
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        return target;
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      // HttpClient's connection failures carry no message: name the exception instead.
      String why = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
      throw new UncheckedIOException("Cannot download " + url + " into " + cache + ": " + why
          + " (without network access, put the file there yourself).", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while downloading " + url, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** Keras's cache folder: {@code $KERAS_HOME/datasets} or {@code ~/.keras/datasets}. */
  static Path kerasCache() {
    String home = System.getenv("KERAS_HOME");
    return (home != null ? Path.of(home) : Path.of(System.getProperty("user.home"), ".keras"))
        .resolve("datasets");
  }
}
