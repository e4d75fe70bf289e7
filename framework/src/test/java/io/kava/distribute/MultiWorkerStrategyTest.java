package io.kava.distribute;

import static io.kava.TestArrays.flat;
import static io.kava.TestArrays.oneHot;
import static io.kava.TestArrays.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kava.FitOptions;
import io.kava.Sequential;
import io.kava.layers.Activation;
import io.kava.layers.Dense;
import io.kava.layers.Input;
import io.kava.losses.CategoricalCrossentropy;
import io.kava.optimizers.SGD;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class MultiWorkerStrategyTest {

  private static Sequential small() {
    return new Sequential(Input.of(3), Dense.of(2).activation(Activation.SOFTMAX));
  }

  @Test
  void localStrategyReturnsTheModelAsMade() {
    MultiWorkerStrategy s = MultiWorkerStrategy.local();
    Sequential made = small();
    assertSame(made, s.build(() -> made));
    assertEquals(1, s.replicas());
    assertEquals(0, s.taskIndex());
    assertEquals(true, s.isChief());
    assertEquals("MultiWorkerStrategy(local)", s.toString());
  }

  @Test
  void oneWorkerClusterIsLocal() {
    MultiWorkerStrategy s = MultiWorkerStrategy.fromConfig("{\"cluster\": {\"worker\":"
        + " [\"127.0.0.1:1\"]}, \"task\": {\"type\": \"worker\", \"index\": 0}}");
    Sequential made = small();
    assertSame(made, s.build(() -> made));
    assertEquals("MultiWorkerStrategy(workers=1, task=0, address=127.0.0.1:1)", s.toString());
  }

  @Test
  void describesItsTask() {
    MultiWorkerStrategy s = MultiWorkerStrategy.fromConfig("{\"cluster\": {\"worker\":"
        + " [\"127.0.0.1:1\", \"127.0.0.1:2\"]}, \"task\": {\"type\": \"worker\", \"index\": 1}}");
    assertEquals(2, s.replicas());
    assertEquals(1, s.taskIndex());
    assertEquals(false, s.isChief());
    assertEquals("MultiWorkerStrategy(workers=2, task=1, address=127.0.0.1:2)", s.toString());
  }

  @Test
  void rejectsBadTimeoutsAndFactories() {
    MultiWorkerStrategy s = MultiWorkerStrategy.local();
    assertEquals("MultiWorkerStrategy: timeout must be > 0; got PT0S.",
        assertThrows(IllegalArgumentException.class, () -> s.timeout(Duration.ZERO))
            .getMessage());
    assertEquals("MultiWorkerStrategy: start timeout must be > 0; got PT-1S.",
        assertThrows(IllegalArgumentException.class,
            () -> s.startTimeout(Duration.ofSeconds(-1))).getMessage());
    assertThrows(IllegalArgumentException.class, () -> s.build(() -> null));
  }

  /** A loaded or trained model joins with everything it holds, so a job can resume. */
  @Test
  void aBuiltModelJoinsWithItsWeightsAndOptimizerState() throws IOException {
    try (Sequential built = small()) {
      built.compile(new SGD(0.1).momentum(0.9), new CategoricalCrossentropy());
      built.fit(uniform(1, -1, 1, 8, 3), oneHot(2, 0, 1, 0, 1, 0, 1, 0, 1),
          FitOptions.defaults().batchSize(4).epochs(2).verbose(0).seed(1));
      List<float[]> weights = flat(built.getWeights());
      MultiWorkerStrategy.fromConfig("{\"cluster\": {\"worker\": [\"127.0.0.1:" + freePort()
          + "\", \"127.0.0.1:" + freePort() + "\"]}, \"task\": {\"type\": \"worker\","
          + " \"index\": 0}}").build(() -> built);
      assertEquals(4, built.iterations());
      for (int i = 0; i < weights.size(); i++) {
        assertArrayEquals(weights.get(i), flat(built.getWeights()).get(i));
      }
    }
  }

  /**
   * Starts this test JVM's worker server on a free loopback port (it lives as long as the
   * JVM); the check comes before any exchange, so the absent second worker is never needed.
   */
  @Test
  void refusesAGlobalBatchNotDivisibleByTheWorkers() throws IOException {
    String json = "{\"cluster\": {\"worker\": [\"127.0.0.1:" + freePort() + "\", \"127.0.0.1:"
        + freePort() + "\"]}, \"task\": {\"type\": \"worker\", \"index\": 0}}";
    try (Sequential model = MultiWorkerStrategy.fromConfig(json).build(
        MultiWorkerStrategyTest::small)) {
      model.compile(new SGD(0.1), new CategoricalCrossentropy());
      String m = assertThrows(IllegalArgumentException.class, () -> model.fit(
          uniform(1, -1, 1, 8, 3), oneHot(2, 0, 1, 0, 1, 0, 1, 0, 1),
          FitOptions.defaults().batchSize(5).verbose(0))).getMessage();
      assertEquals("Sequential 'sequential': the global batch size must be divisible by the 2"
          + " replicas (each takes an equal share); got batch size 5. Use a multiple of 2.", m);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
