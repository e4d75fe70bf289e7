package io.kava.saving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kava.Sequential;
import io.kava.layers.Activation;
import io.kava.layers.Dense;
import io.kava.layers.Input;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.IntNdArray;
import org.tensorflow.ndarray.NdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.Example;
import org.tensorflow.proto.Feature;
import org.tensorflow.proto.Features;
import org.tensorflow.proto.FloatList;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorShapeProto;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Loading SavedModels written by Python TensorFlow (TF Serving's half_plus_two, also with
 * signatures broken on purpose) and by Kava.
 */
class SavedModelTest {
  static final Path BASE = Path.of("../../shared/fixtures/half_plus_two");
  static final Path VERSION = BASE.resolve("00000123");

  @Test
  void listsThePythonModelsSignatures() {
    try (SavedModel sm = SavedModel.load(VERSION)) {
      assertTrue(sm.signatureNames().containsAll(Set.of("serving_default",
          "classify_x_to_y", "regress_x_to_y")), sm.signatureNames().toString());
      SignatureInfo s = sm.signature("serving_default");
      assertEquals("tensorflow/serving/predict", s.methodName());
      TensorSpec x = s.inputs().get("x");
      assertEquals(DataType.DT_FLOAT, x.dtype());
      assertEquals(Set.of("y"), s.outputs().keySet());
      assertTrue(x.tensorName().startsWith("x"), x.tensorName());
      assertEquals("tensorflow/serving/classify", sm.signature("classify_x_to_y").methodName());
    }
  }

  @Test
  void predictsHalfPlusTwoForAnyBatchSize() {
    try (SavedModel sm = SavedModel.load(VERSION)) {
      FloatNdArray y = sm.predict(Map.of("x", column(1f, 2f, 5f))).get("y");
      assertEquals(2.5f, y.getFloat(0, 0));
      assertEquals(3.0f, y.getFloat(1, 0));
      assertEquals(4.5f, y.getFloat(2, 0));
      FloatNdArray one = sm.predict("serving_default", Map.of("x", column(10f))).get("y");
      assertEquals(7f, one.getFloat(0, 0));
    }
  }

  @Test
  void aServingBasePathLoadsTheHighestVersion(@TempDir Path tmp) throws IOException {
    try (SavedModel sm = SavedModel.load(BASE)) {
      assertEquals("00000123", sm.directory().getFileName().toString());
    }
    // Names TF Serving skips (too long for a long, not digits, files) are skipped, not fatal.
    Path version = copyOfHalfPlusTwo(tmp.resolve("00000123"));
    Files.createDirectories(tmp.resolve("123456789012345678901234567890"));
    Files.createDirectories(tmp.resolve("124.tmp"));
    Files.writeString(tmp.resolve("125"), "not a folder");
    try (SavedModel sm = SavedModel.load(tmp)) {
      assertEquals(version, sm.directory());
    }
  }

  @Test
  void runsTheRegressSignatureOnSerializedExamples() {
    byte[] example = Example.newBuilder().setFeatures(Features.newBuilder().putFeature("x",
        Feature.newBuilder().setFloatList(FloatList.newBuilder().addValue(4f)).build()))
        .build().toByteArray();
    NdArray<byte[]> in = NdArrays.ofObjects(byte[].class, Shape.of(1));
    in.setObject(example, 0);
    try (SavedModel sm = SavedModel.load(VERSION)) {
      String key = sm.signature("regress_x_to_y").inputs().keySet().iterator().next();
      var out = sm.run("regress_x_to_y", Map.of(key, in));
      FloatNdArray y = (FloatNdArray) out.values().iterator().next();
      assertEquals(4f, y.scalars().iterator().next().getFloat(), "0.5 * 4 + 2");
    }
  }

  @Test
  void feedsIntegerInputsOfAModelTheTestWrites(@TempDir Path tmp) throws IOException {
    Path dir = tmp.resolve("times_three");
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      var x = tf.withName("ids").placeholder(TInt32.class,
          Placeholder.shape(Shape.of(-1)));
      var y = tf.withName("tripled").math.mul(x, tf.constant(3));
      SavedModelBundle.exporter(dir.toString()).withSession(s).withSignature(
          Signature.builder().key("serving_default").input("ids", x).output("tripled", y)
              .methodName("tensorflow/serving/predict").build()).export();
    }
    try (SavedModel sm = SavedModel.load(dir)) {
      assertEquals(DataType.DT_INT32, sm.signature("serving_default").inputs().get("ids")
          .dtype());
      var out = sm.run("serving_default", Map.of("ids", NdArrays.vectorOf(1, 2, 7)));
      IntNdArray tripled = (IntNdArray) out.get("tripled");
      assertEquals(21, tripled.getInt(2));
      var e = assertThrows(IllegalArgumentException.class,
          () -> sm.predict(Map.of("ids", column(1f))));
      assertTrue(e.getMessage().contains("must be DT_INT32"), e.getMessage());
    }
  }

  @Test
  void badInputsGiveClearErrors() {
    try (SavedModel sm = SavedModel.load(VERSION)) {
      var e = assertThrows(IllegalArgumentException.class,
          () -> sm.predict("nope", Map.of("x", column(1f))));
      assertTrue(e.getMessage().contains("signature must be one of") && e.getMessage()
          .contains("'nope'"), e.getMessage());
      e = assertThrows(IllegalArgumentException.class, () -> sm.predict(Map.of()));
      assertTrue(e.getMessage().contains("input 'x' is missing"), e.getMessage());
      e = assertThrows(IllegalArgumentException.class,
          () -> sm.predict(Map.of("x", column(1f), "z", column(2f))));
      assertTrue(e.getMessage().contains("extra input 'z'"), e.getMessage());
      e = assertThrows(IllegalArgumentException.class,
          () -> sm.run("serving_default", Map.of("x", NdArrays.vectorOf(1, 2))));
      assertTrue(e.getMessage().contains("must be DT_FLOAT"), e.getMessage());
      e = assertThrows(IllegalArgumentException.class,
          () -> sm.predict(Map.of("x", NdArrays.ofFloats(Shape.of(2, 3)))));
      assertTrue(e.getMessage().contains("must have shape"), e.getMessage());
    }
  }

  @Test
  void aSignatureThatDoesNotMatchItsGraphIsReportedAndTheOthersServed(@TempDir Path tmp)
      throws IOException {
    Path dir = copyOfHalfPlusTwo(tmp.resolve("broken"));
    addSignatures(dir, Map.of(
        "missing_tensor", predict(tensor("nope:0", DataType.DT_FLOAT), tensor("y:0")),
        "wrong_dtype", predict(tensor("x:0", DataType.DT_INT32), tensor("y:0")),
        "bad_name", predict(tensor("x:zero", DataType.DT_FLOAT), tensor("y:0")),
        "bad_index", predict(tensor("x:0", DataType.DT_FLOAT), tensor("y:3")),
        // A declared shape the graph's does not match is served, as TF Serving does
        // (TF-Java's SavedModelBundle refuses it).
        "scalar_shape", predict(TensorInfo.newBuilder().setName("x").setDtype(DataType.DT_FLOAT)
            .setTensorShape(TensorShapeProto.getDefaultInstance()).build(), tensor("y:0"))));
    var e = assertThrows(IllegalArgumentException.class,
        () -> SavedModelBundle.load(dir.toString(), "serve").close());
    assertTrue(e.getMessage().contains("does not exist on the graph")
        || e.getMessage().contains("data type") || e.getMessage().contains("badly formatted")
        || e.getMessage().contains("incompatible"), "TF-Java refuses it: " + e.getMessage());

    String log;
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    SavedModel sm;
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      sm = SavedModel.load(dir);
    } finally {
      System.setErr(err);
    }
    log = captured.toString(StandardCharsets.UTF_8);
    try (sm) {
      assertEquals(Set.of("serving_default", "classify_x_to_y", "regress_x_to_y",
          "regress_x_to_y2", "regress_x2_to_y3", "scalar_shape"), sm.signatureNames());
      assertEquals(Map.of(
          "missing_tensor", "input 'x' names tensor 'nope:0', but the graph has no operation"
              + " 'nope'",
          "wrong_dtype", "input 'x' declares dtype DT_INT32, but tensor 'x:0' is DT_FLOAT in"
              + " the graph",
          "bad_name", "input 'x' has tensor name 'x:zero'; it must be 'operation:index' (e.g."
              + " 'x:0')",
          "bad_index", "output 'y' names tensor 'y:3', but operation 'y' (Identity) has 1"
              + " output"), sm.invalidSignatures());
      assertEquals(4, log.lines().count(), log);
      assertTrue(log.contains("WARNING: SavedModel " + dir + ": signature 'wrong_dtype' is not"
          + " served: input 'x' declares dtype DT_INT32, but tensor 'x:0' is DT_FLOAT in the"
          + " graph."), log);

      FloatNdArray y = sm.predict(Map.of("x", column(1f, 2f, 5f))).get("y");
      assertEquals(column(2.5f, 3f, 4.5f), y);
      assertEquals(column(7f), sm.predict("scalar_shape", Map.of("x", column(10f))).get("y"));

      e = assertThrows(IllegalArgumentException.class,
          () -> sm.predict("wrong_dtype", Map.of("x", column(1f))));
      assertEquals("SavedModel " + dir + ": signature 'wrong_dtype' cannot be served: input"
          + " 'x' declares dtype DT_INT32, but tensor 'x:0' is DT_FLOAT in the graph. The"
          + " model's other signatures are " + sm.signatureNames() + ".", e.getMessage());
      e = assertThrows(IllegalArgumentException.class, () -> sm.signature("bad_index"));
      assertTrue(e.getMessage().contains("'bad_index' cannot be served: output 'y'"),
          e.getMessage());
      assertTrue(sm.toString().endsWith(", invalid=[bad_index, bad_name, missing_tensor,"
          + " wrong_dtype])"), sm.toString());
    }
  }

  @Test
  void aKavaExportLoadsWithTheSamePredictionsAsTfJavasLoader(@TempDir Path tmp) {
    FloatNdArray x = NdArrays.ofFloats(Shape.of(5, 4));
    for (int i = 0; i < 5; i++) {
      for (int j = 0; j < 4; j++) {
        x.setFloat(i * 0.3f - j * 0.7f, i, j);
      }
    }
    Path dir = tmp.resolve("export");
    FloatNdArray expected;
    try (Sequential m = new Sequential(Input.of(4), Dense.of(6).activation(Activation.RELU),
        Dense.of(3).activation(Activation.SOFTMAX)).seed(3)) {
      expected = m.predict(x);
      m.export(dir);
    }
    FloatNdArray viaBundle = NdArrays.ofFloats(expected.shape());
    try (SavedModelBundle b = SavedModelBundle.load(dir.toString(), "serve");
        TFloat32 xt = TFloat32.tensorOf(x);
        var r = b.function("serving_default").call(Map.of("input_layer", xt))) {
      ((TFloat32) r.get("output_0").get()).copyTo(viaBundle);
    }
    try (SavedModel sm = SavedModel.load(dir)) {
      assertEquals(Map.of(), sm.invalidSignatures());
      FloatNdArray y = sm.predict(Map.of("input_layer", x)).get("output_0");
      assertEquals(viaBundle, y);
      assertEquals(expected, y);
    }
  }

  @Test
  void badDirectoriesGiveClearErrors(@TempDir Path tmp) throws IOException {
    var e = assertThrows(IllegalArgumentException.class,
        () -> SavedModel.load(tmp.resolve("missing")));
    assertTrue(e.getMessage().contains("must exist"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> SavedModel.load(tmp));
    assertTrue(e.getMessage().contains("must contain saved_model.pb"), e.getMessage());
    Path corrupt = Files.createDirectories(tmp.resolve("corrupt"));
    Files.write(corrupt.resolve("saved_model.pb"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
    e = assertThrows(IllegalArgumentException.class, () -> SavedModel.load(corrupt));
    assertTrue(e.getMessage().contains("cannot be parsed")
        || e.getMessage().contains("must have a meta graph"), e.getMessage());
  }

  /** Copies the half_plus_two fixture to {@code to}, for tests that change it. */
  static Path copyOfHalfPlusTwo(Path to) throws IOException {
    try (var files = Files.walk(VERSION)) {
      for (Path p : files.toList()) {
        Path t = to.resolve(VERSION.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    }
    return to;
  }

  /** Adds {@code extra} to the signatures of the {@code serve} graph in {@code dir}. */
  static void addSignatures(Path dir, Map<String, SignatureDef> extra) throws IOException {
    Path pb = dir.resolve("saved_model.pb");
    var proto = org.tensorflow.proto.SavedModel.parseFrom(Files.readAllBytes(pb)).toBuilder();
    proto.getMetaGraphsBuilder(0).putAllSignatureDef(extra);
    Files.write(pb, proto.build().toByteArray());
  }

  static SignatureDef predict(TensorInfo x, TensorInfo y) {
    return SignatureDef.newBuilder().putInputs("x", x).putOutputs("y", y)
        .setMethodName("tensorflow/serving/predict").build();
  }

  /** A float tensor of shape (-1, 1), or of dtype {@code type}. */
  static TensorInfo tensor(String name, DataType... type) {
    return TensorInfo.newBuilder().setName(name)
        .setDtype(type.length == 0 ? DataType.DT_FLOAT : type[0])
        .setTensorShape(TensorShapeProto.newBuilder()
            .addDim(TensorShapeProto.Dim.newBuilder().setSize(-1))
            .addDim(TensorShapeProto.Dim.newBuilder().setSize(1)))
        .build();
  }

  static FloatNdArray column(float... v) {
    FloatNdArray a = NdArrays.ofFloats(Shape.of(v.length, 1));
    for (int i = 0; i < v.length; i++) {
      a.setFloat(v[i], i, 0);
    }
    return a;
  }
}
