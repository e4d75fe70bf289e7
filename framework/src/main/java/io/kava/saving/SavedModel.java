package io.kava.saving;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArray;
import org.tensorflow.proto.RunOptions;

/**
 * Any TensorFlow SavedModel (written by Kava, Keras or Python TensorFlow), loaded for
 * inference with tag {@code serve}. Lists its signatures and runs them by key; inputs are
 * checked against each signature (keys, dtypes, shapes) before anything reaches TensorFlow.
 * A TF Serving base path (numbered version folders) loads its highest version.
 *
 * <p>Loading is tolerant, as TF Serving's: a signature that does not match its graph (a tensor
 * the graph lacks, a malformed tensor name, an output index out of range, a dtype other than
 * the graph's) is left out of {@link #signatures()}, listed with the reason in {@link
 * #invalidSignatures()} and logged once to stderr; calling it fails with that reason. The
 * other signatures are served. TF1 and TF2 SavedModels load alike (reference or resource
 * variables, the {@code __saved_model_init_op} signature or the {@code saved_model_main_op}
 * / {@code legacy_init_op} collection, asset files); the init signature is not a user
 * signature.
 *
 * <pre>{@code
 * jshell> try (var sm = SavedModel.load(Path.of("half_plus_two"))) {
 *    ...>   var y = sm.predict(Map.of("x", NdArrays.vectorOf(1f, 2f, 5f))).get("y");
 *    ...>   sm.invalidSignatures();         // {} here; else name -> what does not match
 *    ...> }                                  // y = [2.5, 3.0, 4.5]
 * }</pre>
 */
public final class SavedModel implements AutoCloseable {
  /** The signature TF Serving and Keras use by default. */
  public static final String DEFAULT_SIGNATURE = "serving_default";

  /**
   * Runs a signature's ops in the calling thread (TensorFlow's {@code inter_op_thread_pool =
   * -1}) rather than handing them to TensorFlow's inter-op pool and waiting: a served model
   * gets its parallelism from concurrent requests, one per thread, and the two thread
   * hand-offs per call cost more than the ops of a small model (REST predict on
   * half_plus_two went from ~410 to ~270 us of CPU per request). Large kernels still use
   * TensorFlow's intra-op threads.
   */
  private static final RunOptions IN_CALLER_THREAD = RunOptions.newBuilder()
      .setInterOpThreadPool(-1).build();

  private final Path dir;
  private final Graph graph;
  private final Session session;
  private final Map<String, BoundSignature> bound;
  private final Map<String, SignatureInfo> signatures;
  private final Map<String, String> invalid;

  private SavedModel(Path dir, SavedModelLoader.Loaded loaded) {
    this.dir = dir;
    this.graph = loaded.graph();
    this.session = loaded.session();
    this.bound = loaded.signatures();
    Map<String, SignatureInfo> infos = new TreeMap<>();
    bound.forEach((k, v) -> infos.put(k, v.info()));
    this.signatures = Collections.unmodifiableMap(infos);
    this.invalid = loaded.invalid();
  }

  /**
   * Loads {@code dir}, or the highest numbered version inside it (TF Serving's layout; see
   * {@link ModelVersions} for what counts as a version folder).
   *
   * @throws IllegalArgumentException if the folder or its {@code saved_model.pb} is missing or
   *     unreadable as a SavedModel, or TensorFlow cannot import its graph, restore its
   *     variables or run its init op; never for a signature that does not match the graph
   */
  public static SavedModel load(Path dir) {
    Path d = resolveVersion(dir);
    if (!Files.isRegularFile(d.resolve("saved_model.pb"))) {
      throw new IllegalArgumentException("SavedModel " + dir + ": must contain saved_model.pb"
          + " (or numbered version folders that do); it does not.");
    }
    return new SavedModel(d, SavedModelLoader.load(d));
  }

  private static Path resolveVersion(Path dir) {
    if (dir == null) {
      throw new IllegalArgumentException("SavedModel: directory must be non-null; got null.");
    }
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("SavedModel " + dir + ": directory must exist; it"
          + " does not.");
    }
    if (Files.isRegularFile(dir.resolve("saved_model.pb"))) {
      return dir;
    }
    return ModelVersions.newest(dir).orElse(dir);
  }

  /** The directory loaded (the version folder for a TF Serving base path). */
  public Path directory() {
    return dir;
  }

  /** The names of the signatures served, sorted; see {@link #invalidSignatures()}. */
  public Set<String> signatureNames() {
    return signatures.keySet();
  }

  /** Every signature served, with its inputs, outputs and method name, sorted by name. */
  public Map<String, SignatureInfo> signatures() {
    return signatures;
  }

  /**
   * The signatures not served because they do not match the graph, by name, each with the
   * reason ({@code input 'x' declares dtype DT_INT32, but tensor 'x:0' is DT_FLOAT in the
   * graph}); empty for a consistent model.
   */
  public Map<String, String> invalidSignatures() {
    return invalid;
  }

  /**
   * The signature {@code name}.
   *
   * @throws IllegalArgumentException if there is no such signature, or it is one of {@link
   *     #invalidSignatures()} (the message names the mismatch)
   */
  public SignatureInfo signature(String name) {
    return bound(name).info();
  }

  private BoundSignature bound(String name) {
    BoundSignature s = bound.get(name);
    if (s != null) {
      return s;
    }
    String reason = invalid.get(name);
    if (reason != null) {
      throw new IllegalArgumentException("SavedModel " + dir + ": signature '" + name
          + "' cannot be served: " + reason + ". The model's other signatures are "
          + signatures.keySet() + ".");
    }
    throw new IllegalArgumentException("SavedModel " + dir + ": signature must be one of "
        + signatures.keySet() + "; got '" + name + "'.");
  }

  /** Runs {@code serving_default} on float inputs and returns its float outputs. */
  public Map<String, FloatNdArray> predict(Map<String, FloatNdArray> inputs) {
    return predict(DEFAULT_SIGNATURE, inputs);
  }

  /** Runs {@code signature} on float inputs and returns its float outputs. */
  public Map<String, FloatNdArray> predict(String signature, Map<String, FloatNdArray> inputs) {
    Map<String, NdArray<?>> out = run(signature, inputs);
    Map<String, FloatNdArray> floats = new LinkedHashMap<>();
    out.forEach((k, v) -> {
      if (!(v instanceof FloatNdArray f)) {
        throw new IllegalArgumentException("SavedModel " + dir + ": predict returns float"
            + " outputs; output '" + k + "' of '" + signature + "' is "
            + signature(signature).outputs().get(k).dtype() + ". Use run(...) instead.");
      }
      floats.put(k, f);
    });
    return floats;
  }

  /**
   * Runs {@code signature} with inputs of their own types: {@code FloatNdArray} for
   * DT_FLOAT, {@code DoubleNdArray} for DT_DOUBLE, {@code IntNdArray} for DT_INT32,
   * {@code LongNdArray} for DT_INT64, {@code NdArray<String>} or {@code NdArray<byte[]>} for
   * DT_STRING. Outputs come back in the same types ({@code NdArray<byte[]>} for strings).
   */
  public Map<String, NdArray<?>> run(String signature, Map<String, ? extends NdArray<?>> inputs) {
    BoundSignature sig = bound(signature);
    if (inputs == null) {
      throw new IllegalArgumentException("SavedModel " + dir + ": inputs must be non-null.");
    }
    for (String k : inputs.keySet()) {
      if (!sig.info().inputs().containsKey(k)) {
        throw new IllegalArgumentException("SavedModel " + dir + ": signature '" + signature
            + "' has inputs " + sig.info().inputs().keySet() + "; got an extra input '" + k
            + "'.");
      }
    }
    for (String k : sig.info().inputs().keySet()) {
      if (!inputs.containsKey(k)) {
        throw new IllegalArgumentException("SavedModel " + dir + ": signature '" + signature
            + "' needs inputs " + sig.info().inputs().keySet() + "; input '" + k
            + "' is missing.");
      }
    }
    List<Tensor> fed = new ArrayList<>(sig.inputs().size());
    try {
      Session.Runner runner = session.runner().setOptions(IN_CALLER_THREAD);
      for (int i = 0; i < sig.inputs().size(); i++) {
        TensorSpec spec = sig.inputs().get(i);
        Tensor t = Tensors.of(inputs.get(spec.key()), spec, signature, dir);
        fed.add(t);
        runner.feed(sig.feeds().get(i), t);
      }
      sig.fetches().forEach(runner::fetch);
      try (Result r = runner.run()) {
        Map<String, NdArray<?>> result = new LinkedHashMap<>();
        for (int i = 0; i < sig.outputs().size(); i++) {
          result.put(sig.outputs().get(i).key(), Tensors.copy(r.get(i)));
        }
        return result;
      } catch (org.tensorflow.exceptions.TensorFlowException e) {
        throw new IllegalArgumentException("SavedModel " + dir + ": signature '" + signature
            + "' failed on these inputs: " + e.getMessage(), e);
      }
    } finally {
      fed.forEach(Tensor::close);
    }
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }

  @Override
  public String toString() {
    return "SavedModel(" + dir + ", signatures=" + signatures.keySet()
        + (invalid.isEmpty() ? "" : ", invalid=" + invalid.keySet()) + ")";
  }
}
