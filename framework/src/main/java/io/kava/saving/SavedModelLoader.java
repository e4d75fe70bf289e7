package io.kava.saving;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
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
import java.util.TreeMap;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Session;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.AssetFileDef;
import org.tensorflow.proto.CollectionDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SaverDef;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorShapeProto;
import org.tensorflow.types.TString;

/**
 * Loads the {@code serve} graph of a SavedModel as TensorFlow's C++ loader ({@code loader.cc},
 * which TF Serving uses) does: import the graph, restore the variables through the graph's own
 * {@code saver_def}, run the init op, feeding asset paths to both. Unlike TF-Java's
 * {@code SavedModelBundle.load}, which refuses the whole model when one signature does not
 * match its graph, each signature is then checked on its own ({@link BoundSignature#bind}).
 */
final class SavedModelLoader {
  /** The signature TF2 writes for its init op; not a user signature. */
  static final String INIT_OP_SIGNATURE = "__saved_model_init_op";
  private static final String MAIN_OP_COLLECTION = "saved_model_main_op";
  private static final String LEGACY_INIT_OP_COLLECTION = "legacy_init_op";
  private static final String ASSETS_COLLECTION = "saved_model_assets";

  /** The loaded graph and session, the signatures that match the graph and those that do not. */
  record Loaded(Graph graph, Session session, Map<String, BoundSignature> signatures,
      Map<String, String> invalid) {}

  private SavedModelLoader() {}

  /** Loads {@code dir}, a folder holding {@code saved_model.pb}. */
  static Loaded load(Path dir) {
    MetaGraphDef meta = serveGraph(dir.resolve("saved_model.pb"));
    Graph graph = new Graph();
    Session session = null;
    try {
      graph.importGraphDef(meta.getGraphDef());
      // No auto-init: TF-Java would run ops whose names start with "Init" as initializers.
      session = new Session(graph, false, null);
      Map<String, String> assets = assetFeeds(meta, dir);
      if (meta.hasSaverDef()) {
        restore(graph, session, meta.getSaverDef(), dir, assets);
      }
      String initOp = initOp(meta);
      if (initOp != null) {
        run(graph, session, initOp, assets);
      }
    } catch (IllegalArgumentException | TensorFlowException e) {
      if (session != null) {
        session.close();
      }
      graph.close();
      throw new IllegalArgumentException("SavedModel " + dir + ": TensorFlow cannot load it: "
          + e.getMessage(), e);
    }
    Map<String, BoundSignature> valid = new TreeMap<>();
    Map<String, String> invalid = new TreeMap<>();
    new TreeMap<>(meta.getSignatureDefMap()).forEach((name, def) -> {
      if (name.equals(INIT_OP_SIGNATURE)) {
        return;
      }
      try {
        valid.put(name, BoundSignature.bind(info(name, def), graph));
      } catch (IllegalArgumentException e) {
        invalid.put(name, e.getMessage());
        System.err.println("WARNING: SavedModel " + dir + ": signature '" + name
            + "' is not served: " + e.getMessage() + ".");
      }
    });
    return new Loaded(graph, session, Collections.unmodifiableMap(valid),
        Collections.unmodifiableMap(invalid));
  }

  private static MetaGraphDef serveGraph(Path pb) {
    org.tensorflow.proto.SavedModel proto;
    try (InputStream in = Files.newInputStream(pb)) {
      proto = org.tensorflow.proto.SavedModel.parseFrom(in);
    } catch (InvalidProtocolBufferException e) {
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

  /**
   * Each asset's tensor and the path of its file under {@code assets/}, fed to the restore and
   * init ops. TF2 lists assets in the meta graph; TF1 in the {@code saved_model_assets}
   * collection.
   */
  private static Map<String, String> assetFeeds(MetaGraphDef meta, Path dir) {
    List<AssetFileDef> assets = new ArrayList<>(meta.getAssetFileDefList());
    CollectionDef c = meta.getCollectionDefMap().get(ASSETS_COLLECTION);
    if (assets.isEmpty() && c != null) {
      for (Any any : c.getAnyList().getValueList()) {
        try {
          assets.add(any.unpack(AssetFileDef.class));
        } catch (InvalidProtocolBufferException e) {
          throw new IllegalArgumentException("collection '" + ASSETS_COLLECTION + "' must hold"
              + " tensorflow.AssetFileDef messages; got " + any.getTypeUrl(), e);
        }
      }
    }
    Map<String, String> feeds = new LinkedHashMap<>();
    for (AssetFileDef a : assets) {
      feeds.put(a.getTensorInfo().getName(),
          dir.resolve("assets").resolve(a.getFilename()).toString());
    }
    return feeds;
  }

  /** A model saved without variables has no {@code variables.index}; TensorFlow skips it too. */
  private static void restore(Graph graph, Session session, SaverDef saver, Path dir,
      Map<String, String> assets) {
    Path variables = dir.resolve("variables");
    if (saver.getRestoreOpName().isEmpty()
        || !Files.isRegularFile(variables.resolve("variables.index"))) {
      return;
    }
    Map<String, String> feeds = new LinkedHashMap<>(assets);
    feeds.put(saver.getFilenameTensorName(), variables.resolve("variables").toString());
    run(graph, session, opName(saver.getRestoreOpName()), feeds);
  }

  /**
   * TensorFlow's order: the {@code __saved_model_init_op} signature's output, else the
   * {@code saved_model_main_op} collection, else {@code legacy_init_op}.
   */
  private static String initOp(MetaGraphDef meta) {
    SignatureDef sig = meta.getSignatureDefMap().get(INIT_OP_SIGNATURE);
    if (sig != null) {
      TensorInfo out = sig.getOutputsMap().get(INIT_OP_SIGNATURE);
      if (out == null) {
        throw new IllegalArgumentException("signature '" + INIT_OP_SIGNATURE + "' must have"
            + " an output '" + INIT_OP_SIGNATURE + "'; got " + sig.getOutputsMap().keySet());
      }
      return opName(out.getName());
    }
    CollectionDef c = meta.getCollectionDefMap().get(MAIN_OP_COLLECTION);
    String key = MAIN_OP_COLLECTION;
    if (c == null) {
      c = meta.getCollectionDefMap().get(LEGACY_INIT_OP_COLLECTION);
      key = LEGACY_INIT_OP_COLLECTION;
    }
    if (c == null) {
      return null;
    }
    if (c.getNodeList().getValueCount() != 1) {
      throw new IllegalArgumentException("collection '" + key + "' must hold exactly one op;"
          + " got " + c.getNodeList().getValueList());
    }
    return opName(c.getNodeList().getValue(0));
  }

  /** Targets are operations; a saved name may carry an output index ({@code init:0}). */
  private static String opName(String name) {
    int colon = name.lastIndexOf(':');
    boolean indexed = colon > 0 && colon < name.length() - 1
        && name.substring(colon + 1).chars().allMatch(Character::isDigit);
    return indexed ? name.substring(0, colon) : name;
  }

  /** Runs the operation {@code target}, feeding string scalars (file paths) by tensor name. */
  private static void run(Graph graph, Session session, String target,
      Map<String, String> feeds) {
    GraphOperation op = graph.operation(target);
    if (op == null) {
      throw new IllegalArgumentException("the graph has no operation '" + target + "'");
    }
    List<TString> fed = new ArrayList<>();
    try {
      Session.Runner runner = session.runner();
      feeds.forEach((name, value) -> {
        TString t = TString.scalarOf(value);
        fed.add(t);
        runner.feed(name, t);
      });
      runner.addTarget(op).run().close();
    } finally {
      fed.forEach(TString::close);
    }
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
}
