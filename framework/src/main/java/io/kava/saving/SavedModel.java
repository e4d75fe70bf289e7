package io.kava.saving;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArray;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorShapeProto;

/**
 * Any TensorFlow SavedModel (written by Kava, Keras or Python TensorFlow), loaded for
 * inference with tag {@code serve}. Lists its signatures and runs them by key; inputs are
 * checked against each signature (keys, dtypes, shapes) before anything reaches TensorFlow.
 * A TF Serving base path (numbered version folders) loads its highest version.
 *
 * <pre>{@code
 * jshell> try (var sm = SavedModel.load(Path.of("half_plus_two"))) {
 *    ...>   var y = sm.predict(Map.of("x", NdArrays.vectorOf(1f, 2f, 5f))).get("y");
 *    ...> }                                  // y = [2.5, 3.0, 4.5]
 * }</pre>
 */
public final class SavedModel implements AutoCloseable {
  /** The signature TF Serving and Keras use by default. */
  public static final String DEFAULT_SIGNATURE = "serving_default";

  private final Path dir;
  private final SavedModelBundle bundle;
  private final Map<String, SignatureInfo> signatures;

  private SavedModel(Path dir, SavedModelBundle bundle, Map<String, SignatureInfo> signatures) {
    this.dir = dir;
    this.bundle = bundle;
    this.signatures = signatures;
  }

  /**
   * Loads {@code dir}, or the highest numbered version inside it (TF Serving's layout; see
   * {@link ModelVersions} for what counts as a version folder).
   */
  public static SavedModel load(Path dir) {
    Path d = resolveVersion(dir);
    Path pb = d.resolve("saved_model.pb");
    if (!Files.isRegularFile(pb)) {
      throw new IllegalArgumentException("SavedModel " + dir + ": must contain saved_model.pb"
          + " (or numbered version folders that do); it does not.");
    }
    MetaGraphDef meta = serveGraph(pb);
    Map<String, SignatureInfo> sigs = new TreeMap<>();
    meta.getSignatureDefMap().forEach((k, v) -> sigs.put(k, info(k, v)));
    SavedModelBundle bundle;
    try {
      bundle = SavedModelBundle.load(d.toString(), "serve");
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("SavedModel " + d + ": TensorFlow cannot load it: "
          + e.getMessage(), e);
    }
    return new SavedModel(d, bundle, Collections.unmodifiableMap(sigs));
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

  private static MetaGraphDef serveGraph(Path pb) {
    org.tensorflow.proto.SavedModel proto;
    try (InputStream in = Files.newInputStream(pb)) {
      proto = org.tensorflow.proto.SavedModel.parseFrom(in);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("SavedModel " + pb + ": must be a SavedModel protocol"
          + " buffer; it cannot be parsed (" + e.getMessage() + ").", e);
    } catch (IOException e) {
      throw new UncheckedIOException("SavedModel " + pb + ": cannot read: " + e.getMessage(), e);
    }
    List<String> tagSets = new ArrayList<>();
    for (MetaGraphDef m : proto.getMetaGraphsList()) {
      if (m.getMetaInfoDef().getTagsList().contains("serve")) {
        return m;
      }
      tagSets.add(m.getMetaInfoDef().getTagsList().toString());
    }
    throw new IllegalArgumentException("SavedModel " + pb + ": must have a meta graph tagged"
        + " 'serve'; got tag sets " + tagSets + ".");
  }

  private static SignatureInfo info(String name, SignatureDef def) {
    return new SignatureInfo(name, specs(def.getInputsMap()), specs(def.getOutputsMap()),
        def.getMethodName());
  }

  private static Map<String, TensorSpec> specs(Map<String, TensorInfo> infos) {
    Map<String, TensorSpec> out = new TreeMap<>();
    infos.forEach((k, v) -> out.put(k, new TensorSpec(k, v.getDtype(), shape(v.getTensorShape()),
        v.getName())));
    return Collections.unmodifiableMap(out);
  }

  private static Shape shape(TensorShapeProto p) {
    if (p.getUnknownRank()) {
      return Shape.unknown();
    }
    long[] d = new long[p.getDimCount()];
    for (int i = 0; i < d.length; i++) {
      d[i] = p.getDim(i).getSize();
    }
    return Shape.of(d);
  }

  /** The directory loaded (the version folder for a TF Serving base path). */
  public Path directory() {
    return dir;
  }

  public Set<String> signatureNames() {
    return signatures.keySet();
  }

  /** Every signature with its inputs, outputs and method name. */
  public Map<String, SignatureInfo> signatures() {
    return signatures;
  }

  public SignatureInfo signature(String name) {
    SignatureInfo s = signatures.get(name);
    if (s == null) {
      throw new IllegalArgumentException("SavedModel " + dir + ": signature must be one of "
          + signatures.keySet() + "; got '" + name + "'.");
    }
    return s;
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
    SignatureInfo sig = signature(signature);
    if (inputs == null) {
      throw new IllegalArgumentException("SavedModel " + dir + ": inputs must be non-null.");
    }
    for (String k : inputs.keySet()) {
      if (!sig.inputs().containsKey(k)) {
        throw new IllegalArgumentException("SavedModel " + dir + ": signature '" + signature
            + "' has inputs " + sig.inputs().keySet() + "; got an extra input '" + k + "'.");
      }
    }
    for (String k : sig.inputs().keySet()) {
      if (!inputs.containsKey(k)) {
        throw new IllegalArgumentException("SavedModel " + dir + ": signature '" + signature
            + "' needs inputs " + sig.inputs().keySet() + "; input '" + k + "' is missing.");
      }
    }
    List<Tensor> fed = new ArrayList<>();
    try {
      Session.Runner runner = bundle.session().runner();
      for (TensorSpec spec : sig.inputs().values()) {
        Tensor t = Tensors.of(inputs.get(spec.key()), spec, signature, dir);
        fed.add(t);
        runner.feed(spec.tensorName(), t);
      }
      List<TensorSpec> outs = new ArrayList<>(sig.outputs().values());
      outs.forEach(o -> runner.fetch(o.tensorName()));
      try (Result r = runner.run()) {
        Map<String, NdArray<?>> result = new LinkedHashMap<>();
        for (int i = 0; i < outs.size(); i++) {
          result.put(outs.get(i).key(), Tensors.copy(r.get(i)));
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
    bundle.close();
  }

  @Override
  public String toString() {
    return "SavedModel(" + dir + ", signatures=" + signatures.keySet() + ")";
  }
}
