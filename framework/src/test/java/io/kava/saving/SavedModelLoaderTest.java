package io.kava.saving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.NoOp;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.VarHandleOp;
import org.tensorflow.proto.AssetFileDef;
import org.tensorflow.proto.CollectionDef;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SaverDef;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TString;

/**
 * Loading as TensorFlow's loader does: TF2-style models (resource variables restored by
 * RestoreV2 + AssignVariableOp, an init op, assets) written here op by op, since no Python
 * TensorFlow is at hand, and a model without variables.
 */
class SavedModelLoaderTest {

  /** Where the init op is recorded: TF2's signature, or TF1's collections. */
  enum InitOp { SIGNATURE, MAIN_OP, LEGACY }

  @Test
  void aTf2ModelRestoresResourceVariablesAndRunsItsInitOp(@TempDir Path tmp) throws IOException {
    Path dir = tf2Model(tmp.resolve("tf2"), InitOp.SIGNATURE);
    try (SavedModel sm = SavedModel.load(dir)) {
      assertEquals(Set.of("serving_default", "vocab"), sm.signatureNames(),
          "__saved_model_init_op is no user signature");
      assertEquals(Map.of(), sm.invalidSignatures());
      FloatNdArray y = sm.predict(Map.of("x", row(1f, 1f))).get("y");
      assertEquals(row(0.5f * 1 + 2, 3f * 1 + 2), y, "scale restored, offset set by init");
      assertAssetPathWasFed(sm, dir);
      var e = assertThrows(IllegalArgumentException.class,
          () -> sm.signature(SavedModelLoader.INIT_OP_SIGNATURE));
      assertTrue(e.getMessage().contains("signature must be one of [serving_default, vocab]"),
          e.getMessage());
    }
  }

  @Test
  void theInitOpMayComeFromTheMainOpOrLegacyCollection(@TempDir Path tmp) throws IOException {
    for (InitOp where : List.of(InitOp.MAIN_OP, InitOp.LEGACY)) {
      Path dir = tf2Model(tmp.resolve(where.name()), where);
      try (SavedModel sm = SavedModel.load(dir)) {
        assertEquals(row(2.5f, 5f), sm.predict(Map.of("x", row(1f, 1f))).get("y"),
            where.name());
        assertAssetPathWasFed(sm, dir);
      }
    }
  }

  @Test
  void aModelWithoutVariablesLoads(@TempDir Path tmp) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("plain"));
    MetaGraphDef.Builder meta = MetaGraphDef.newBuilder();
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      var x = tf.withName("x").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 2)));
      tf.withName("y").math.mul(x, tf.constant(3f));
      meta.setGraphDef(g.toGraphDef());
    }
    meta.getMetaInfoDefBuilder().addTags("serve");
    meta.putSignatureDef("serving_default", predict("x:0", "y:0"));
    write(dir, meta);
    try (SavedModel sm = SavedModel.load(dir)) {
      assertEquals(row(3f, 6f), sm.predict(Map.of("x", row(1f, 2f))).get("y"));
    }
  }

  @Test
  void aGraphTensorFlowCannotRunIsAClearError(@TempDir Path tmp) throws IOException {
    Path dir = tf2Model(tmp.resolve("tf2"), InitOp.SIGNATURE);
    Path pb = dir.resolve("saved_model.pb");
    var proto = org.tensorflow.proto.SavedModel.parseFrom(Files.readAllBytes(pb)).toBuilder();
    proto.getMetaGraphsBuilder(0).putSignatureDef(SavedModelLoader.INIT_OP_SIGNATURE,
        SignatureDef.newBuilder().putOutputs(SavedModelLoader.INIT_OP_SIGNATURE,
            TensorInfo.newBuilder().setName("no_such_init").build()).build());
    Files.write(pb, proto.build().toByteArray());
    var e = assertThrows(IllegalArgumentException.class, () -> SavedModel.load(dir));
    assertEquals("SavedModel " + dir + ": TensorFlow cannot load it: the graph has no"
        + " operation 'no_such_init'", e.getMessage());
  }

  private static void assertAssetPathWasFed(SavedModel sm, Path dir) {
    @SuppressWarnings("unchecked")
    NdArray<byte[]> path = (NdArray<byte[]>) sm.run("vocab", Map.of()).get("path");
    assertEquals(dir.resolve("assets").resolve("vocab.txt").toString(),
        new String(path.getObject()), "the init op saw the asset's real path");
  }

  /**
   * Writes what {@code tf.saved_model.save} writes for a module computing
   * {@code y = x * scale + offset}: resource variables, a V2 checkpoint of {@code scale} read
   * back by RestoreV2 + AssignVariableOp, and an init op that sets {@code offset} to 2 and
   * {@code vocab} to the path of the asset {@code vocab.txt} (which the loader feeds).
   */
  static Path tf2Model(Path dir, InitOp initOp) throws IOException {
    Files.createDirectories(dir.resolve("assets"));
    Files.writeString(dir.resolve("assets").resolve("vocab.txt"), "a\nb\n");
    MetaGraphDef.Builder meta = MetaGraphDef.newBuilder();
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      var scale = handle(tf, "scale", TFloat32.class, Shape.of(2));
      var offset = handle(tf, "offset", TFloat32.class, Shape.scalar());
      var vocab = handle(tf, "vocab", TString.class, Shape.scalar());
      var x = tf.withName("x").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 2)));
      tf.withName("y").math.add(tf.math.mul(x, tf.readVariableOp(scale, TFloat32.class)),
          tf.readVariableOp(offset, TFloat32.class));
      tf.withName("vocab_read").readVariableOp(vocab, TString.class);

      Operand<TString> assetPath = tf.withName("asset_path").constant("vocab.txt");
      NoOp init = tf.withName("NoOp").withControlDependencies(List.of(
          tf.assignVariableOp(offset, tf.constant(2f)),
          tf.assignVariableOp(vocab, assetPath))).noOp();

      var filename = tf.withName("saver_filename").placeholderWithDefault(
          tf.constant("model"), Shape.scalar());
      var restored = tf.withName("RestoreV2").train.restore(filename,
          tf.constant(NdArrays.vectorOfObjects("scale/.ATTRIBUTES/VARIABLE_VALUE")),
          tf.constant(NdArrays.vectorOfObjects("")), List.of(TFloat32.class));
      NoOp restoreAll = tf.withName("restore_all").withControlDependencies(List.of(
          tf.assignVariableOp(scale, restored.tensors().get(0)))).noOp();

      // The checkpoint, written by ops that the saved graph does not keep.
      meta.setGraphDef(g.toGraphDef());
      var setScale = tf.assignVariableOp(scale, tf.constant(new float[] {0.5f, 3f}));
      s.runner().addTarget(setScale).run().close();
      var save = tf.train.save(tf.constant(dir.resolve("variables/variables").toString()),
          tf.constant(NdArrays.vectorOfObjects("scale/.ATTRIBUTES/VARIABLE_VALUE")),
          tf.constant(NdArrays.vectorOfObjects("")),
          List.of(tf.readVariableOp(scale, TFloat32.class)));
      s.runner().addTarget(save).run().close();

      meta.setSaverDef(SaverDef.newBuilder().setFilenameTensorName(filename.op().name() + ":0")
          .setRestoreOpName(restoreAll.op().name())
          .setVersion(SaverDef.CheckpointFormatVersion.V2));
      AssetFileDef asset = AssetFileDef.newBuilder().setFilename("vocab.txt")
          .setTensorInfo(TensorInfo.newBuilder().setName("asset_path:0")
              .setDtype(DataType.DT_STRING)).build();
      String initName = init.op().name();
      switch (initOp) {
        case SIGNATURE -> {
          // tf.saved_model.save: the init op as a signature output of dtype DT_INVALID.
          meta.putSignatureDef(SavedModelLoader.INIT_OP_SIGNATURE, SignatureDef.newBuilder()
              .putOutputs(SavedModelLoader.INIT_OP_SIGNATURE,
                  TensorInfo.newBuilder().setName(initName).build()).build());
          meta.addAssetFileDef(asset);
        }
        case MAIN_OP, LEGACY -> {
          // TF1's builder: collections, assets as Any messages.
          meta.putCollectionDef(initOp == InitOp.MAIN_OP ? "saved_model_main_op"
              : "legacy_init_op", CollectionDef.newBuilder().setNodeList(
                  CollectionDef.NodeList.newBuilder().addValue(initName)).build());
          meta.putCollectionDef("saved_model_assets", CollectionDef.newBuilder().setAnyList(
              CollectionDef.AnyList.newBuilder().addValue(Any.pack(asset))).build());
        }
        default -> throw new IllegalStateException(initOp.name());
      }
    }
    meta.getMetaInfoDefBuilder().addTags("serve").setTensorflowVersion("2.18.0");
    meta.putSignatureDef("serving_default", predict("x:0", "y:0"));
    meta.putSignatureDef("vocab", SignatureDef.newBuilder().putOutputs("path", TensorInfo
        .newBuilder().setName("vocab_read:0").setDtype(DataType.DT_STRING).build()).build());
    write(dir, meta);
    return dir;
  }

  private static VarHandleOp handle(Ops tf, String name, Class<? extends
      org.tensorflow.types.family.TType> type, Shape shape) {
    return tf.withName(name).varHandleOp(type, shape, VarHandleOp.sharedName(name));
  }

  private static SignatureDef predict(String x, String y) {
    return SignatureDef.newBuilder()
        .putInputs("x", TensorInfo.newBuilder().setName(x).setDtype(DataType.DT_FLOAT).build())
        .putOutputs("y", TensorInfo.newBuilder().setName(y).setDtype(DataType.DT_FLOAT).build())
        .setMethodName("tensorflow/serving/predict").build();
  }

  private static void write(Path dir, MetaGraphDef.Builder meta) throws IOException {
    Files.write(dir.resolve("saved_model.pb"), org.tensorflow.proto.SavedModel.newBuilder()
        .setSavedModelSchemaVersion(1).addMetaGraphs(meta).build().toByteArray());
  }

  private static FloatNdArray row(float... v) {
    FloatNdArray a = NdArrays.ofFloats(Shape.of(1, v.length));
    for (int i = 0; i < v.length; i++) {
      a.setFloat(v[i], 0, i);
    }
    return a;
  }
}
