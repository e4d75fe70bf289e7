package io.kava.distribute;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * A cluster as Keras's {@code TF_CONFIG} describes it, checked: the workers' addresses in task
 * order and the index of this process's task among them.
 *
 * @param workers {@code host:port} of every worker, task 0 (the chief) first
 * @param index this process's task index
 */
record ClusterConfig(List<String> workers, int index) {
  static final String SUBJECT = "MultiWorkerStrategy";
  private static final ObjectMapper JSON = new ObjectMapper();

  ClusterConfig {
    workers = List.copyOf(workers);
  }

  /** A single local replica, what a process without {@code TF_CONFIG} trains as. */
  static ClusterConfig local() {
    return new ClusterConfig(List.of(), 0);
  }

  /** Parses and checks Keras's JSON; every error names what is wrong and where. */
  static ClusterConfig parse(String json) {
    if (json == null || json.isBlank()) {
      throw bad("must be Keras's JSON {\"cluster\": {\"worker\": [\"host:port\", ...]},"
          + " \"task\": {\"type\": \"worker\", \"index\": 0}}", "an empty string");
    }
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(SUBJECT + ": TF_CONFIG must be valid JSON; got a parse"
          + " error at line " + e.getLocation().getLineNr() + ", column "
          + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw bad("must be a JSON object", json);
    }
    JsonNode cluster = root.get("cluster");
    if (cluster == null || !cluster.isObject()) {
      throw bad("must have an object \"cluster\" with a list \"worker\" of host:port"
          + " addresses", cluster == null ? "no \"cluster\"" : cluster.toString());
    }
    for (Iterator<String> it = cluster.fieldNames(); it.hasNext();) {
      String job = it.next();
      if (!job.equals("worker")) {
        throw bad("cluster must list only \"worker\" tasks (MultiWorkerStrategy runs no"
            + " chief, ps or evaluator tasks; task 0 is the chief)", "job \"" + job + "\"");
      }
    }
    JsonNode list = cluster.get("worker");
    if (list == null || !list.isArray() || list.isEmpty()) {
      throw bad("cluster.worker must be a non-empty list of \"host:port\" strings",
          list == null ? "none" : list.toString());
    }
    List<String> workers = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      JsonNode a = list.get(i);
      if (!a.isTextual()) {
        throw bad("cluster.worker[" + i + "] must be a \"host:port\" string", a.toString());
      }
      String address = checkAddress("cluster.worker[" + i + "]", a.asText());
      if (!seen.add(address)) {
        throw bad("cluster.worker addresses must be distinct (one task per host:port)",
            "\"" + address + "\" twice, again at index " + i);
      }
      workers.add(address);
    }
    JsonNode task = root.get("task");
    if (task == null || !task.isObject()) {
      throw bad("must have an object \"task\": {\"type\": \"worker\", \"index\": i}",
          task == null ? "no \"task\"" : task.toString());
    }
    JsonNode type = task.get("type");
    if (type == null || !type.isTextual() || !type.asText().equals("worker")) {
      throw bad("task.type must be \"worker\"", type == null ? "none" : type.toString());
    }
    JsonNode index = task.get("index");
    if (index == null || !index.isIntegralNumber()) {
      throw bad("task.index must be an integer", index == null ? "none" : index.toString());
    }
    long i = index.asLong();
    if (i < 0 || i >= workers.size()) {
      throw bad("task.index must be in [0, " + workers.size() + ") for the "
          + workers.size() + " workers of cluster.worker", String.valueOf(i));
    }
    return new ClusterConfig(workers, (int) i);
  }

  /** Checks {@code host:port} (IPv6 hosts in brackets); returns it unchanged. */
  static String checkAddress(String what, String address) {
    int colon = address.lastIndexOf(':');
    String host = colon < 0 ? "" : address.substring(0, colon);
    String port = colon < 0 ? "" : address.substring(colon + 1);
    boolean hostOk = !host.isEmpty() && !host.contains(" ")
        && (host.startsWith("[") ? host.endsWith("]") && host.length() > 2 : !host.contains(":"));
    int p = -1;
    if (port.matches("[0-9]{1,5}")) {
      p = Integer.parseInt(port);
    }
    if (!hostOk || p < 1 || p > 65535) {
      throw bad(what + " must be \"host:port\" with a port in [1, 65535] (IPv6 hosts in"
          + " brackets: \"[::1]:2222\")", "\"" + address + "\"");
    }
    return address;
  }

  private static IllegalArgumentException bad(String expectation, String got) {
    return new IllegalArgumentException(SUBJECT + ": TF_CONFIG " + expectation + "; got "
        + got + ".");
  }

  /** Number of replicas: one per worker, or one for a local process. */
  int replicas() {
    return Math.max(1, workers.size());
  }

  /** This task's address, e.g. {@code 127.0.0.1:2222}. */
  String address() {
    return workers.get(index);
  }
}
