package io.kava.tools.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Message;
import io.kava.saving.SavedModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;
import tensorflow.serving.Classification.ClassificationRequest;
import tensorflow.serving.Inference.InferenceTask;
import tensorflow.serving.Inference.MultiInferenceRequest;
import tensorflow.serving.InputOuterClass.ExampleList;
import tensorflow.serving.InputOuterClass.Input;
import tensorflow.serving.Model.ModelSpec;
import tensorflow.serving.Predict.PredictRequest;
import tensorflow.serving.PredictionLogOuterClass.ClassifyLog;
import tensorflow.serving.PredictionLogOuterClass.MultiInferenceLog;
import tensorflow.serving.PredictionLogOuterClass.PredictLog;
import tensorflow.serving.PredictionLogOuterClass.PredictionLog;
import tensorflow.serving.PredictionLogOuterClass.RegressLog;
import tensorflow.serving.RegressionOuterClass.RegressionRequest;

/** A version's warmup file is replayed before it serves, as TF Serving's SavedModel warmup. */
class WarmupTest {
  @TempDir
  Path base;
  final List<String> log = new ArrayList<>();

  /** TensorFlow's TFRecord framing of {@code records}, as Python's TFRecordWriter writes it. */
  static byte[] tfRecords(List<byte[]> records) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] r : records) {
      byte[] length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN)
          .putLong(r.length).array();
      out.writeBytes(length);
      out.writeBytes(le(TfRecordReader.maskedCrc(length, 0, 8)));
      out.writeBytes(r);
      out.writeBytes(le(TfRecordReader.maskedCrc(r, 0, r.length)));
    }
    return out.toByteArray();
  }

  private static byte[] le(int v) {
    return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
  }

  static PredictionLog predictLog(String input) {
    return PredictionLog.newBuilder().setPredictLog(PredictLog.newBuilder().setRequest(
        PredictRequest.newBuilder().setModelSpec(ModelSpec.newBuilder().setName("any"))
            .putInputs(input, TensorProto.newBuilder().setDtype(DataType.DT_FLOAT)
                .setTensorShape(TensorShapeProto.newBuilder().addDim(
                    TensorShapeProto.Dim.newBuilder().setSize(2)))
                .addFloatVal(1).addFloatVal(2).build()))).build();
  }

  static Input examples() {
    return Input.newBuilder().setExampleList(ExampleList.newBuilder()
        .addExamples(GrpcServerTest.example("x", 3))).build();
  }

  static List<byte[]> fourKinds() {
    ModelSpec classify = ModelSpec.newBuilder().setName("m").setSignatureName("classify_x_to_y")
        .build();
    ModelSpec regress = ModelSpec.newBuilder().setName("m").setSignatureName("regress_x_to_y")
        .build();
    return List.of(predictLog("x").toByteArray(),
        PredictionLog.newBuilder().setClassifyLog(ClassifyLog.newBuilder().setRequest(
            ClassificationRequest.newBuilder().setModelSpec(classify).setInput(examples())))
            .build().toByteArray(),
        PredictionLog.newBuilder().setRegressLog(RegressLog.newBuilder().setRequest(
            RegressionRequest.newBuilder().setModelSpec(regress).setInput(examples())))
            .build().toByteArray(),
        PredictionLog.newBuilder().setMultiInferenceLog(MultiInferenceLog.newBuilder()
            .setRequest(MultiInferenceRequest.newBuilder().setInput(examples())
                .addTasks(InferenceTask.newBuilder().setModelSpec(classify)
                    .setMethodName(ServingApi.CLASSIFY))
                .addTasks(InferenceTask.newBuilder().setModelSpec(regress)
                    .setMethodName(ServingApi.REGRESS)))).build().toByteArray());
  }

  Path version(List<byte[]> records) throws IOException {
    Path v = base.resolve("1");
    ServedModelTest.version(base, 1);
    Files.createDirectories(v.resolve("assets.extra"));
    Files.write(Warmup.file(v), tfRecords(records));
    return v;
  }

  ServedModel model(int iterations) {
    return new ServedModel(ModelConfigs.single("m", base).getModelConfigList().getConfig(0),
        ServingCore.Options.defaults().maxLoadRetries(0).log(log::add)
            .warmupIterations(iterations));
  }

  @Test
  void replaysEachRecordOfEachKindTheGivenNumberOfTimes() throws IOException {
    Path v = version(fourKinds());
    AtomicInteger runs = new AtomicInteger();
    List<String> signatures = new ArrayList<>();
    try (SavedModel m = SavedModel.load(v)) {
      Lease lease = new Lease("m", 1, m, (signature, inputs) -> {
        runs.incrementAndGet();
        signatures.add(signature);
        return m.run(signature, inputs);
      }, () -> {});
      assertEquals(4, Warmup.replay(v, lease, 2, 1 << 20));
    }
    // Predict, Classify, Regress, and MultiInference's two tasks; twice each.
    assertEquals(10, runs.get());
    assertEquals(List.of("serving_default", "serving_default", "classify_x_to_y",
        "classify_x_to_y", "regress_x_to_y", "regress_x_to_y", "classify_x_to_y",
        "regress_x_to_y", "classify_x_to_y", "regress_x_to_y"), signatures);
  }

  @Test
  void aVersionBecomesAvailableAfterItsWarmup() throws IOException {
    version(fourKinds());
    try (ServedModel m = model(3)) {
      m.poll();
      assertEquals(List.of(1L), List.copyOf(m.available()));
      assertTrue(log.stream().anyMatch(l -> l.startsWith("Warmed up servable version {name: m"
          + " version: 1} with 4 record(s) x 3 from " + Warmup.file(base.resolve("1")))), log
          .toString());
    }
  }

  @Test
  void aFailingWarmupRequestFailsTheLoadNamingTheRecord() throws IOException {
    version(List.of(predictLog("x").toByteArray(), predictLog("nope").toByteArray()));
    try (ServedModel m = model(1)) {
      m.poll();
      assertTrue(m.available().isEmpty());
      String error = m.states().get(1L).getValue();
      assertEquals("END", m.states().get(1L).getKey());
      assertTrue(error.contains("Warmup record 1 of " + Warmup.file(base.resolve("1"))
          + " failed: input keys do not match signature 'serving_default': sent [nope]"), error);
    }
  }

  @Test
  void aCorruptFileFailsTheLoadNamingTheFileAndRecord() throws IOException {
    Path v = version(fourKinds());
    byte[] bytes = Files.readAllBytes(Warmup.file(v));
    int second = 12 + fourKinds().get(0).length + 4;
    bytes[second + 12 + 3] ^= 0x40;
    Files.write(Warmup.file(v), bytes);
    try (ServedModel m = model(1)) {
      m.poll();
      assertTrue(m.available().isEmpty());
      assertTrue(m.states().get(1L).getValue().endsWith("TFRecord file " + Warmup.file(v)
          + ", record 1 (at byte " + second + "): corrupt: the checksum of the record data"
          + " does not match."), m.states().get(1L).getValue());
    }
  }

  @Test
  void truncatedFilesAndTooManyRecordsAreRefused() throws IOException {
    Path file = base.resolve("w");
    byte[] one = tfRecords(List.of(new byte[] {1, 2, 3}));
    Files.write(file, java.util.Arrays.copyOf(one, one.length - 2));
    var e = assertThrows(IllegalArgumentException.class, () -> TfRecordReader.forEach(file,
        10, r -> {}));
    assertEquals("TFRecord file " + file + ", record 0 (at byte 0): truncated: the record has 3"
        + " bytes of data; 1 are left.", e.getMessage());
    Files.write(file, tfRecords(List.of(new byte[0], new byte[] {7}, new byte[] {8})));
    List<Integer> seen = new ArrayList<>();
    assertEquals(3, TfRecordReader.forEach(file, 3, r -> seen.add(r.length)));
    assertEquals(List.of(0, 1, 1), seen);
    e = assertThrows(IllegalArgumentException.class, () -> TfRecordReader.forEach(file, 2,
        r -> {}));
    assertEquals("TFRecord file " + file + " holds more than 2 records, the most allowed.",
        e.getMessage());
  }

  @Test
  void aRecordOfNoReplayableKindFailsTheLoad() throws IOException {
    Message sessionRun = PredictionLog.newBuilder().build();
    version(List.of(sessionRun.toByteArray()));
    try (ServedModel m = model(1)) {
      m.poll();
      assertTrue(m.available().isEmpty());
      assertTrue(m.states().get(1L).getValue().contains("unsupported log_type for warmup"));
    }
  }

  @Test
  void warmupOffIgnoresTheFile() throws IOException {
    version(List.of(predictLog("nope").toByteArray()));
    try (ServedModel m = model(0)) {
      m.poll();
      assertEquals(List.of(1L), List.copyOf(m.available()));
    }
  }
}
