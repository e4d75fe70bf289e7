package io.kava.tools.serving;

import io.kava.saving.SavedModel;
import java.util.Map;
import java.util.function.BiFunction;
import org.tensorflow.ndarray.NdArray;

/**
 * A served model version held for one request: the version is not unloaded until the lease
 * is closed (on the thread that took it).
 *
 * <pre>{@code
 * jshell> try (Lease lease = core.lease("half_plus_two", null, null)) {
 *    ...>   lease.model().predict(Map.of("x", NdArrays.vectorOf(1f)));
 *    ...> }
 * }</pre>
 */
public final class Lease implements AutoCloseable {
  private final String name;
  private final long version;
  private final SavedModel model;
  private final BiFunction<String, Map<String, ? extends NdArray<?>>,
      Map<String, NdArray<?>>> runner;
  private final Runnable release;
  private boolean closed;

  Lease(String name, long version, SavedModel model, BiFunction<String,
      Map<String, ? extends NdArray<?>>, Map<String, NdArray<?>>> runner, Runnable release) {
    this.name = name;
    this.version = version;
    this.model = model;
    this.runner = runner;
    this.release = release;
  }

  /**
   * Runs {@code signature} on {@code inputs} as the server does: merged with other requests
   * into one batch when batching is on, else straight on the model.
   */
  public Map<String, NdArray<?>> run(String signature, Map<String, ? extends NdArray<?>> inputs) {
    return runner.apply(signature, inputs);
  }

  /** The model's name. */
  public String name() {
    return name;
  }

  /** The version leased. */
  public long version() {
    return version;
  }

  public SavedModel model() {
    return model;
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      release.run();
    }
  }

  @Override
  public String toString() {
    return "Lease " + name + " version " + version + (closed ? " (closed)" : "");
  }
}
