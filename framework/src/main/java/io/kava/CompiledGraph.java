package io.kava;

import io.kava.internal.AtomicFiles;
import io.kava.internal.Replication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A model's compile settings and the one graph built from them and its topology: built when
 * first needed, rebuilt (keeping the weights) when the settings change, closed with the model.
 */
final class CompiledGraph implements AutoCloseable {
  private long weightSeed = ThreadLocalRandom.current().nextLong();
  private Compile compile;
  private CompileSpec spec;
  private ModelGraph graph;
  private boolean closed;
  /** Initial values for some weights, by {@code layer/weight} path, drawn ones for the rest. */
  private Map<String, float[]> initial = Map.of();
  private Replication replication;

  long weightSeed() {
    return weightSeed;
  }

  /** The seed of the initial weights; the caller checks that nothing is built yet. */
  void weightSeed(long seed) {
    weightSeed = seed;
  }

  /**
   * Starts the weights named in {@code values} (by {@code layer/weight} path) from those values
   * instead of their initializers: a model built on another model's layers.
   */
  void initialWeights(Map<String, float[]> values) {
    initial = Map.copyOf(values);
  }

  /** Whether {@link #close()} freed the graph (and its weights) and nothing rebuilt it since. */
  boolean closed() {
    return closed;
  }

  /** The replicas this model trains with, or null when it trains alone. */
  Replication replication() {
    return replication;
  }

  /**
   * Sets the replication. A built graph is rebuilt for it with everything it holds (weights,
   * optimizer state, counters), so a loaded model can resume as a replica.
   */
  void replication(Replication r, Topology topology, String subject) {
    replication = r;
    if (graph == null) {
      return;
    }
    Path dir = null;
    try {
      dir = Files.createTempDirectory("kava-replica");
      graph.saveCheckpoint(dir.resolve("state"));
      graph.close();
      graph = null;
      rebuild(topology, subject);
      graph.restoreCheckpoint(dir.resolve("state"));
    } catch (IOException e) {
      throw new UncheckedIOException(subject + ": cannot keep the training state while"
          + " joining the replicas: " + e.getMessage(), e);
    } finally {
      if (dir != null) {
        AtomicFiles.deleteTree(dir);
      }
    }
  }

  /** The compile settings, or null before compile. */
  Compile compile() {
    return compile;
  }

  /** The settings resolved against the outputs, or null while the topology is unknown. */
  CompileSpec spec() {
    return spec;
  }

  /** The graph, or null while none is built. */
  ModelGraph graph() {
    return graph;
  }

  /** Takes checked compile settings; resolves them and rebuilds if the topology is known. */
  void compile(Compile c, Topology topology, String subject) {
    CompileSpec resolved = topology == null ? null : c.resolve(subject, topology);
    compile = c;
    spec = resolved;
    if (topology != null) {
      rebuild(topology, subject);
    }
  }

  /** The graph, built now for {@code topology} if there is none. */
  ModelGraph built(Topology topology, String subject) {
    if (graph == null) {
      rebuild(topology, subject);
    }
    return graph;
  }

  /** Rebuilds an existing graph for a changed topology (frozen layers), keeping weights. */
  void topologyChanged(Topology topology, String subject) {
    if (compile != null) {
      spec = compile.resolve(subject, topology);
    }
    if (graph != null) {
      rebuild(topology, subject);
    }
  }

  /** (Re)builds the graph for the current settings, keeping weights if there were any. */
  private void rebuild(Topology topology, String subject) {
    List<float[]> kept = null;
    if (graph != null) {
      kept = graph.weights().get();
      graph.close();
      graph = null;
    }
    if (compile != null && spec == null) {
      spec = compile.resolve(subject, topology);
    }
    graph = new ModelGraph(topology, spec, replication);
    graph.initialize(weightSeed, spec == null ? 0 : spec.optimizer().learningRate());
    closed = false;
    if (kept != null) {
      graph.weights().set(kept);
    } else if (!initial.isEmpty()) {
      graph.weights().set(initial);
    }
  }

  /** The settings after a model's name and shapes in its {@code toString()}. */
  String describe() {
    if (compile == null) {
      return "";
    }
    String loss = compile.loss() != null ? compile.loss().name()
        : compile.losses().toString();
    return ", optimizer=" + compile.optimizer().name() + ", loss=" + loss;
  }

  @Override
  public void close() {
    if (graph != null) {
      graph.close();
      graph = null;
      closed = true;
    }
  }
}
