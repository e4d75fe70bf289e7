package io.kava.distribute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterConfigTest {
  private static String config(String workers, String task) {
    return "{\"cluster\": {\"worker\": [" + workers + "]}, \"task\": " + task + "}";
  }

  private static String error(String json) {
    return assertThrows(IllegalArgumentException.class, () -> ClusterConfig.parse(json))
        .getMessage();
  }

  @Test
  void parsesKerasJson() {
    ClusterConfig c = ClusterConfig.parse(config("\"10.0.0.1:2222\", \"host-b:2223\"",
        "{\"type\": \"worker\", \"index\": 1}"));
    assertEquals(List.of("10.0.0.1:2222", "host-b:2223"), c.workers());
    assertEquals(1, c.index());
    assertEquals(2, c.replicas());
    assertEquals("host-b:2223", c.address());
  }

  @Test
  void acceptsBracketedIpv6() {
    assertEquals("[::1]:2222", ClusterConfig.parse(config("\"[::1]:2222\"",
        "{\"type\": \"worker\", \"index\": 0}")).address());
  }

  @Test
  void localIsOneReplica() {
    assertEquals(1, ClusterConfig.local().replicas());
  }

  @Test
  void malformedJson() {
    String m = error("{\"cluster\": {\"worker\": [\"a:1\"]");
    assertEquals(true, m.startsWith("MultiWorkerStrategy: TF_CONFIG must be valid JSON; got a"
        + " parse error at line 1, column "), m);
  }

  @Test
  void emptyOrNotAnObject() {
    assertEquals("MultiWorkerStrategy: TF_CONFIG must be Keras's JSON {\"cluster\": {\"worker\":"
        + " [\"host:port\", ...]}, \"task\": {\"type\": \"worker\", \"index\": 0}}; got an"
        + " empty string.", error(" "));
    assertEquals("MultiWorkerStrategy: TF_CONFIG must be a JSON object; got [1].",
        error("[1]"));
  }

  @Test
  void missingCluster() {
    assertEquals("MultiWorkerStrategy: TF_CONFIG must have an object \"cluster\" with a list"
        + " \"worker\" of host:port addresses; got no \"cluster\".",
        error("{\"task\": {\"type\": \"worker\", \"index\": 0}}"));
  }

  @Test
  void missingOrEmptyWorkerList() {
    assertEquals("MultiWorkerStrategy: TF_CONFIG cluster.worker must be a non-empty list of"
        + " \"host:port\" strings; got [].", error(config("", "{\"type\": \"worker\","
        + " \"index\": 0}")));
  }

  @Test
  void otherJobs() {
    assertEquals("MultiWorkerStrategy: TF_CONFIG cluster must list only \"worker\" tasks"
        + " (MultiWorkerStrategy runs no chief, ps or evaluator tasks; task 0 is the chief);"
        + " got job \"ps\".", error("{\"cluster\": {\"worker\": [\"a:1\"], \"ps\": [\"b:2\"]},"
        + " \"task\": {\"type\": \"worker\", \"index\": 0}}"));
  }

  @Test
  void missingTask() {
    assertEquals("MultiWorkerStrategy: TF_CONFIG must have an object \"task\": {\"type\":"
        + " \"worker\", \"index\": i}; got no \"task\".",
        error("{\"cluster\": {\"worker\": [\"a:1\"]}}"));
  }

  @Test
  void unknownTaskType() {
    assertEquals("MultiWorkerStrategy: TF_CONFIG task.type must be \"worker\"; got \"ps\".",
        error(config("\"a:1\"", "{\"type\": \"ps\", \"index\": 0}")));
  }

  @Test
  void taskIndexOutOfRange() {
    assertEquals("MultiWorkerStrategy: TF_CONFIG task.index must be in [0, 2) for the 2"
        + " workers of cluster.worker; got 2.",
        error(config("\"a:1\", \"b:1\"", "{\"type\": \"worker\", \"index\": 2}")));
    assertEquals("MultiWorkerStrategy: TF_CONFIG task.index must be in [0, 2) for the 2"
        + " workers of cluster.worker; got -1.",
        error(config("\"a:1\", \"b:1\"", "{\"type\": \"worker\", \"index\": -1}")));
    assertEquals("MultiWorkerStrategy: TF_CONFIG task.index must be an integer; got \"1\".",
        error(config("\"a:1\", \"b:1\"", "{\"type\": \"worker\", \"index\": \"1\"}")));
  }

  @Test
  void duplicateAddresses() {
    assertEquals("MultiWorkerStrategy: TF_CONFIG cluster.worker addresses must be distinct (one"
        + " task per host:port); got \"a:1\" twice, again at index 2.",
        error(config("\"a:1\", \"b:1\", \"a:1\"", "{\"type\": \"worker\", \"index\": 0}")));
  }

  @Test
  void badHostPort() {
    for (String bad : List.of("a", "a:", ":80", "a:0", "a:65536", "a:x1", "::1:80", "a b:1")) {
      assertEquals("MultiWorkerStrategy: TF_CONFIG cluster.worker[0] must be \"host:port\" with"
          + " a port in [1, 65535] (IPv6 hosts in brackets: \"[::1]:2222\"); got \"" + bad
          + "\".", error(config("\"" + bad + "\"", "{\"type\": \"worker\", \"index\": 0}")));
    }
    assertEquals("MultiWorkerStrategy: TF_CONFIG cluster.worker[1] must be a \"host:port\""
        + " string; got 2222.", error(config("\"a:1\", 2222",
        "{\"type\": \"worker\", \"index\": 0}")));
  }
}
