package io.kava.tools.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.error.Code;
import tensorflow.serving.FileSystemStoragePathSource.FileSystemStoragePathSourceConfig;
import tensorflow.serving.ModelServerConfigOuterClass.ModelConfig;

/** A model's versions follow its version policy, as TF Serving's file-system source. */
class ServedModelTest {
  static final Path HALF_PLUS_TWO = Path.of("../../shared/fixtures/half_plus_two/00000123");

  @TempDir
  Path base;
  final List<String> log = new ArrayList<>();

  static void version(Path base, long v) throws IOException {
    RestServerTest.copy(HALF_PLUS_TWO, base.resolve(Long.toString(v)));
  }

  ServedModel model(FileSystemStoragePathSourceConfig.ServableVersionPolicy policy,
      int retries) {
    ModelConfig.Builder c = ModelConfig.newBuilder().setName("m").setBasePath(base.toString());
    if (policy != null) {
      c.setModelVersionPolicy(policy);
    }
    return new ServedModel(c.build(), ServingCore.Options.defaults().maxLoadRetries(retries)
        .log(log::add));
  }

  static FileSystemStoragePathSourceConfig.ServableVersionPolicy latest(int n) {
    return FileSystemStoragePathSourceConfig.ServableVersionPolicy.newBuilder().setLatest(
        FileSystemStoragePathSourceConfig.ServableVersionPolicy.Latest.newBuilder()
            .setNumVersions(n)).build();
  }

  @Test
  void policiesChooseVersionsAmongThoseOnDisk() {
    var disk = new TreeSet<>(List.of(1L, 2L, 5L, 9L));
    assertEquals(List.of(9L), List.copyOf(ServedModel.aspired(
        FileSystemStoragePathSourceConfig.ServableVersionPolicy.getDefaultInstance(), disk)));
    assertEquals(List.of(5L, 9L), List.copyOf(ServedModel.aspired(latest(2), disk)));
    assertEquals(List.of(1L, 2L, 5L, 9L), List.copyOf(ServedModel.aspired(
        FileSystemStoragePathSourceConfig.ServableVersionPolicy.newBuilder().setAll(
            FileSystemStoragePathSourceConfig.ServableVersionPolicy.All.getDefaultInstance())
            .build(), disk)));
    assertEquals(List.of(2L), List.copyOf(ServedModel.aspired(
        FileSystemStoragePathSourceConfig.ServableVersionPolicy.newBuilder().setSpecific(
            FileSystemStoragePathSourceConfig.ServableVersionPolicy.Specific.newBuilder()
                .addVersions(2).addVersions(3)).build(), disk)));
  }

  @Test
  void aNewVersionIsServedAndTheOldOneUnloadedOnlyAfterItsRequestsFinish() throws Exception {
    version(base, 1);
    try (ServedModel m = model(null, 0)) {
      m.poll();
      assertEquals(List.of(1L), List.copyOf(m.available()));
      Lease held = m.lease(null, null);
      assertEquals(1, held.version());
      version(base, 2);
      CountDownLatch polled = new CountDownLatch(1);
      Thread poller = new Thread(() -> {
        m.poll();
        polled.countDown();
      });
      poller.start();
      // Version 2 loads and serves, while version 1 waits for the held request.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!"UNLOADING".equals(m.states().get(1L).getKey()) && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertEquals("UNLOADING", m.states().get(1L).getKey());
      try (Lease newest = m.lease(null, null)) {
        assertEquals(2, newest.version());
      }
      float y = held.model().predict(Map.of("x", NdArrays.ofFloats(Shape.of(1, 1))
          .setFloat(4f, 0, 0))).get("y").getFloat(0, 0);
      assertEquals(4f, y, 1e-6, "the held version still answers while it is being unloaded");
      assertEquals(1, polled.getCount());
      held.close();
      assertTrue(polled.await(30, TimeUnit.SECONDS));
      assertEquals("END", m.states().get(1L).getKey());
      assertEquals(List.of(2L), List.copyOf(m.available()));
      ServingException gone = assertThrows(ServingException.class, () -> m.lease(1L, null));
      assertEquals(Code.FAILED_PRECONDITION, gone.code());
      assertEquals("Servable version 1 of model 'm' is not loaded: its folder exists, but the"
          + " version policy does not select it.", gone.getMessage());
      assertEquals(Code.NOT_FOUND, assertThrows(ServingException.class,
          () -> m.lease(5L, null)).code());
    }
  }

  @Test
  void aVersionThatFailsToLoadIsRetriedReportedAndTheOldOneKeepsServing() throws Exception {
    version(base, 1);
    try (ServedModel m = model(null, 1)) {
      m.poll();
      Path broken = Files.createDirectories(base.resolve("2"));
      Files.writeString(broken.resolve("saved_model.pb"), "half copied");
      m.poll();
      assertEquals(List.of(1L), List.copyOf(m.available()), "1 keeps serving");
      assertTrue(m.states().get(2L).getValue().startsWith("Loading servable: {name: m version:"
          + " 2} failed: SavedModel "), m.states().toString());
      ServingException e = assertThrows(ServingException.class, () -> m.lease(2L, null));
      assertEquals(Code.FAILED_PRECONDITION, e.code());
      assertTrue(log.stream().anyMatch(l -> l.endsWith("(retrying on the next poll)")), log
          .toString());
      m.poll();
      assertTrue(log.stream().anyMatch(l -> l.endsWith("(giving up after 2 attempts)")), log
          .toString());
      // The copy completes: a new folder is loaded on the next look.
      Files.delete(broken.resolve("saved_model.pb"));
      Files.delete(broken);
      m.poll();
      assertFalse(m.states().containsKey(2L));
      version(base, 2);
      m.poll();
      assertEquals(List.of(2L), List.copyOf(m.available()));
    }
  }

  @Test
  void latestTwoServesTwoVersionsAndLabelsOrNumbersPickOne() throws Exception {
    version(base, 1);
    version(base, 2);
    version(base, 3);
    try (ServedModel m = model(latest(2), 0)) {
      m.poll();
      assertEquals(List.of(2L, 3L), List.copyOf(m.available()));
      m.update(m.config().toBuilder().putVersionLabels("stable", 2).build());
      try (Lease stable = m.lease(null, "stable"); Lease three = m.lease(3L, null)) {
        assertEquals(2, stable.version());
        assertEquals(3, three.version());
      }
      ServingException e = assertThrows(ServingException.class, () -> m.lease(null, "beta"));
      assertEquals(Code.INVALID_ARGUMENT, e.code());
      assertEquals("Unrecognized servable version label: beta", e.getMessage());
      assertEquals(Code.FAILED_PRECONDITION, assertThrows(ServingException.class,
          () -> m.lease(1L, null)).code());
    }
  }

  @Test
  void aNameThatCannotBeInAUrlIsRefused() {
    ModelConfig bad = ModelConfig.newBuilder().setName("a/b").setBasePath("x").build();
    assertEquals("ServedModel: name must be letters, digits, '_', '.' or '-' (it is part of the"
        + " URLs); got 'a/b'.", assertThrows(IllegalArgumentException.class,
            () -> new ServedModel(bad, ServingCore.Options.defaults())).getMessage());
    assertTrue(ServedModel.isValidName("half_plus_two-1.0"));
    for (String name : new String[] {null, "", "a b", "a:b", "a/b", "ü"}) {
      assertFalse(ServedModel.isValidName(name), "'" + name + "'");
    }
  }
}
