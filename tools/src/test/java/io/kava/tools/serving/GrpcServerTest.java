package io.kava.tools.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Int64Value;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.Example;
import org.tensorflow.proto.Feature;
import org.tensorflow.proto.Features;
import org.tensorflow.proto.FloatList;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;
import tensorflow.serving.Classification.ClassificationRequest;
import tensorflow.serving.Classification.ClassificationResponse;
import tensorflow.serving.GetModelMetadata.GetModelMetadataRequest;
import tensorflow.serving.GetModelMetadata.GetModelMetadataResponse;
import tensorflow.serving.GetModelMetadata.SignatureDefMap;
import tensorflow.serving.GetModelStatus.GetModelStatusRequest;
import tensorflow.serving.GetModelStatus.GetModelStatusResponse;
import tensorflow.serving.GetModelStatus.ModelVersionStatus;
import tensorflow.serving.InputOuterClass.ExampleList;
import tensorflow.serving.InputOuterClass.ExampleListWithContext;
import tensorflow.serving.InputOuterClass.Input;
import tensorflow.serving.Model.ModelSpec;
import tensorflow.serving.ModelServiceGrpc;
import tensorflow.serving.ModelServiceGrpc.ModelServiceBlockingStub;
import tensorflow.serving.Predict.PredictRequest;
import tensorflow.serving.Predict.PredictResponse;
import tensorflow.serving.PredictionServiceGrpc;
import tensorflow.serving.PredictionServiceGrpc.PredictionServiceBlockingStub;
import tensorflow.serving.RegressionOuterClass.Regression;
import tensorflow.serving.RegressionOuterClass.RegressionRequest;
import tensorflow.serving.RegressionOuterClass.RegressionResponse;

/**
 * kava serve's gRPC API with a client generated from the same protos, as a TF Serving user's
 * client is: Python's half_plus_two and a Kava export, on loopback.
 */
class GrpcServerTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir
  Path base;
  ServingCore model;
  GrpcServer server;
  ManagedChannel channel;
  PredictionServiceBlockingStub predictions;
  ModelServiceBlockingStub models;

  @BeforeEach
  void start() throws IOException {
    RestServerTest.copy(Path.of("../../shared/fixtures/half_plus_two/00000123"),
        base.resolve("00000123"));
    model = ServingCore.serve("half_plus_two", base, 0);
    server = GrpcServer.start(model, "127.0.0.1", 0, 1 << 20);
    channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
    predictions = PredictionServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(30, TimeUnit.SECONDS);
    models = ModelServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.close();
    model.close();
  }

  static ModelSpec spec(String name) {
    return ModelSpec.newBuilder().setName(name).build();
  }

  static TensorShapeProto shape(long... dims) {
    TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
    for (long d : dims) {
      s.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
    }
    return s.build();
  }

  static TensorProto floats(long[] dims, float... values) {
    TensorProto.Builder t = TensorProto.newBuilder().setDtype(DataType.DT_FLOAT)
        .setTensorShape(shape(dims));
    for (float v : values) {
      t.addFloatVal(v);
    }
    return t.build();
  }

  static ByteString littleEndian(float... values) {
    ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      b.putFloat(v);
    }
    return ByteString.copyFrom(b.array());
  }

  static PredictRequest predictX(TensorProto x) {
    return PredictRequest.newBuilder().setModelSpec(spec("half_plus_two")).putInputs("x", x)
        .build();
  }

  @Test
  void predictsHalfPlusTwoFromTypedValuesAndTensorContent() {
    PredictResponse r = predictions.predict(predictX(floats(new long[] {3, 1}, 1, 2, 5)));
    TensorProto y = r.getOutputsOrThrow("y");
    assertEquals(DataType.DT_FLOAT, y.getDtype());
    assertEquals(shape(3, 1), y.getTensorShape());
    assertEquals(List.of(2.5f, 3.0f, 4.5f), y.getFloatValList());
    assertEquals(Set.of("y"), r.getOutputsMap().keySet());
    assertEquals(ModelSpec.newBuilder().setName("half_plus_two").setVersion(Int64Value.of(123))
        .setSignatureName("serving_default").build(), r.getModelSpec());

    TensorProto packed = TensorProto.newBuilder().setDtype(DataType.DT_FLOAT)
        .setTensorShape(shape(2, 1)).setTensorContent(littleEndian(4, -2)).build();
    r = predictions.predict(PredictRequest.newBuilder().setModelSpec(ModelSpec.newBuilder()
        .setName("half_plus_two").setVersion(Int64Value.of(123))
        .setSignatureName("serving_default")).putInputs("x", packed).addOutputFilter("y")
        .build());
    assertEquals(List.of(4.0f, 1.0f), r.getOutputsOrThrow("y").getFloatValList());

    // TensorFlow's rule: fewer values than the shape holds repeat the last one.
    r = predictions.predict(predictX(floats(new long[] {3, 1}, 2)));
    assertEquals(List.of(3.0f, 3.0f, 3.0f), r.getOutputsOrThrow("y").getFloatValList());
  }

  @Test
  void theReadmeClientWorksAsWritten() throws InterruptedException {
    int port = server.port();
    // README, "Serving": the gRPC client, with the test server's port for 8500.
    ManagedChannel channel = ManagedChannelBuilder.forAddress("localhost", port).usePlaintext()
        .build();
    var stub = PredictionServiceGrpc.newBlockingStub(channel);
    TensorProto x = TensorProto.newBuilder().setDtype(DataType.DT_FLOAT)
        .setTensorShape(TensorShapeProto.newBuilder()
            .addDim(TensorShapeProto.Dim.newBuilder().setSize(3))
            .addDim(TensorShapeProto.Dim.newBuilder().setSize(1)))
        .addFloatVal(1f).addFloatVal(2f).addFloatVal(5f)
        .build();
    PredictResponse response = stub.predict(PredictRequest.newBuilder()
        .setModelSpec(ModelSpec.newBuilder().setName("half_plus_two"))  // version, label: optional
        .putInputs("x", x)
        .build());
    assertEquals("[2.5, 3.0, 4.5]", response.getOutputsOrThrow("y").getFloatValList()
        .toString());
    channel.shutdown();
    assertTrue(channel.awaitTermination(5, TimeUnit.SECONDS));
  }

  static Example example(String feature, float value) {
    return Example.newBuilder().setFeatures(Features.newBuilder().putFeature(feature,
        Feature.newBuilder().setFloatList(FloatList.newBuilder().addValue(value)).build()))
        .build();
  }

  static Input examples(Example... examples) {
    return Input.newBuilder().setExampleList(ExampleList.newBuilder()
        .addAllExamples(List.of(examples))).build();
  }

  static ModelSpec signature(String name) {
    return ModelSpec.newBuilder().setName("half_plus_two").setSignatureName(name).build();
  }

  @Test
  void classifiesAndRegressesTfExamples() {
    ClassificationResponse c = predictions.classify(ClassificationRequest.newBuilder()
        .setModelSpec(signature("classify_x_to_y"))
        .setInput(examples(example("x", 2), example("x", 6))).build());
    assertEquals(2, c.getResult().getClassificationsCount());
    assertEquals(3.0f, c.getResult().getClassifications(0).getClasses(0).getScore());
    assertEquals(5.0f, c.getResult().getClassifications(1).getClasses(0).getScore());
    assertEquals(1, c.getResult().getClassifications(1).getClassesCount());
    assertEquals(ModelSpec.newBuilder().setName("half_plus_two").setVersion(Int64Value.of(123))
        .setSignatureName("classify_x_to_y").build(), c.getModelSpec());

    RegressionResponse r = predictions.regress(RegressionRequest.newBuilder()
        .setModelSpec(signature("regress_x_to_y")).setInput(examples(example("x", 4))).build());
    assertEquals(List.of(4.0f), r.getResult().getRegressionsList().stream()
        .map(Regression::getValue).toList());
    // The context's features are merged into each example.
    r = predictions.regress(RegressionRequest.newBuilder()
        .setModelSpec(signature("regress_x_to_y")).setInput(Input.newBuilder()
            .setExampleListWithContext(ExampleListWithContext.newBuilder()
                .setContext(example("x", 8)).addExamples(Example.getDefaultInstance())
                .addExamples(example("unused", 1)))).build());
    assertEquals(List.of(6.0f, 6.0f), r.getResult().getRegressionsList().stream()
        .map(Regression::getValue).toList());
  }

  @Test
  void classifyAndRegressCheckTheSignatureAndInput() {
    assertCode(Status.Code.INVALID_ARGUMENT, "method_name", () -> predictions.classify(
        ClassificationRequest.newBuilder().setModelSpec(spec("half_plus_two"))
            .setInput(examples(example("x", 2))).build()));
    assertCode(Status.Code.INVALID_ARGUMENT, "method_name", () -> predictions.regress(
        RegressionRequest.newBuilder().setModelSpec(signature("classify_x_to_y"))
            .setInput(examples(example("x", 2))).build()));
    assertCode(Status.Code.INVALID_ARGUMENT, "zz", () -> predictions.regress(
        RegressionRequest.newBuilder().setModelSpec(signature("zz"))
            .setInput(examples(example("x", 2))).build()));
    assertCode(Status.Code.INVALID_ARGUMENT, "Input is empty", () -> predictions.classify(
        ClassificationRequest.newBuilder().setModelSpec(signature("classify_x_to_y"))
            .build()));
    assertCode(Status.Code.INVALID_ARGUMENT, "Input is empty", () -> predictions.regress(
        RegressionRequest.newBuilder().setModelSpec(signature("regress_x_to_y"))
            .setInput(examples()).build()));
    assertCode(Status.Code.NOT_FOUND, "nope", () -> predictions.regress(RegressionRequest
        .newBuilder().setModelSpec(spec("nope")).setInput(examples(example("x", 2))).build()));
    // An example without the feature the graph parses: TensorFlow's error, as an argument.
    assertCode(Status.Code.INVALID_ARGUMENT, "", () -> predictions.regress(RegressionRequest
        .newBuilder().setModelSpec(signature("regress_x_to_y"))
        .setInput(examples(example("y", 2))).build()));
  }

  @Test
  void predictsWithAKavaExport(@TempDir Path kavaBase) throws Exception {
    try (var m = new io.kava.Sequential(io.kava.layers.Input.of(4),
        io.kava.layers.Dense.of(3).activation(io.kava.layers.Activation.SOFTMAX)).seed(1)) {
      m.export(kavaBase, 1);
    }
    try (ServingCore kava = ServingCore.serve("tiny", kavaBase, 0);
        GrpcServer s = GrpcServer.start(kava, "127.0.0.1", 0, 1 << 20)) {
      ManagedChannel c = NettyChannelBuilder.forAddress("127.0.0.1", s.port()).usePlaintext()
          .build();
      try {
        var stub = PredictionServiceGrpc.newBlockingStub(c);
        var meta = stub.getModelMetadata(GetModelMetadataRequest.newBuilder()
            .setModelSpec(spec("tiny")).addMetadataField("signature_def").build());
        SignatureDef sig = meta.getMetadataOrThrow("signature_def").unpack(SignatureDefMap.class)
            .getSignatureDefOrThrow("serving_default");
        String in = sig.getInputsMap().keySet().iterator().next();
        String out = sig.getOutputsMap().keySet().iterator().next();
        PredictResponse r = stub.predict(PredictRequest.newBuilder().setModelSpec(spec("tiny"))
            .putInputs(in, TensorProto.newBuilder().setDtype(DataType.DT_FLOAT)
                .setTensorShape(shape(2, 4)).setTensorContent(littleEndian(1, 2, 3, 4, 0, 0, 0,
                    0)).build()).build());
        TensorProto p = r.getOutputsOrThrow(out);
        assertEquals(shape(2, 3), p.getTensorShape());
        float sum = p.getFloatVal(0) + p.getFloatVal(1) + p.getFloatVal(2);
        assertEquals(1.0, sum, 1e-5, "softmax rows sum to one: " + p);
        assertEquals(1.0 / 3, p.getFloatVal(3), 1e-5, "zero input, zero bias");
      } finally {
        c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void metadataHasTheSignaturesRestShows() throws Exception {
    GetModelMetadataResponse r = predictions.getModelMetadata(GetModelMetadataRequest
        .newBuilder().setModelSpec(spec("half_plus_two")).addMetadataField("signature_def")
        .build());
    assertEquals(ModelSpec.newBuilder().setName("half_plus_two").setVersion(Int64Value.of(123))
        .build(), r.getModelSpec());
    assertEquals("type.googleapis.com/tensorflow.serving.SignatureDefMap",
        r.getMetadataOrThrow("signature_def").getTypeUrl());
    SignatureDefMap defs = r.getMetadataOrThrow("signature_def").unpack(SignatureDefMap.class);
    assertEquals(Set.of("serving_default", "classify_x_to_y", "regress_x_to_y",
        "regress_x_to_y2", "regress_x2_to_y3"), defs.getSignatureDefMap().keySet());

    JsonNode rest;
    try (RestServer http = RestServer.start(model, "127.0.0.1", 0, 1 << 20, 10_000)) {
      rest = JSON.readTree(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
          "http://127.0.0.1:" + http.port() + "/v1/models/half_plus_two/metadata")).build(),
          HttpResponse.BodyHandlers.ofString()).body());
    }
    ObjectNode grpc = JSON.createObjectNode();
    defs.getSignatureDefMap().forEach((k, v) -> grpc.set(k, json(v)));
    assertEquals(rest.at("/metadata/signature_def/signature_def"), grpc);
    assertEquals(rest.at("/model_spec/version").asText(),
        Long.toString(r.getModelSpec().getVersion().getValue()));
  }

  /** A SignatureDef in the REST metadata's JSON layout (TF Serving's), field by field. */
  static ObjectNode json(SignatureDef def) {
    ObjectNode s = JSON.createObjectNode();
    ObjectNode in = s.putObject("inputs");
    def.getInputsMap().forEach((k, t) -> in.set(k, json(t)));
    ObjectNode out = s.putObject("outputs");
    def.getOutputsMap().forEach((k, t) -> out.set(k, json(t)));
    s.put("method_name", def.getMethodName());
    return s;
  }

  static ObjectNode json(TensorInfo t) {
    ObjectNode n = JSON.createObjectNode();
    n.put("dtype", t.getDtype().name());
    ObjectNode shape = n.putObject("tensor_shape");
    ArrayNode dims = shape.putArray("dim");
    t.getTensorShape().getDimList().forEach(d -> dims.addObject()
        .put("size", Long.toString(d.getSize())).put("name", d.getName()));
    shape.put("unknown_rank", t.getTensorShape().getUnknownRank());
    n.put("name", t.getName());
    return n;
  }

  @Test
  void modelStatusListsTheServedVersion() {
    ModelVersionStatus available = ModelVersionStatus.newBuilder().setVersion(123)
        .setState(ModelVersionStatus.State.AVAILABLE)
        .setStatus(tensorflow.serving.Status.StatusProto.newBuilder()
            .setErrorCode(org.tensorflow.proto.error.Code.OK))
        .build();
    GetModelStatusResponse all = models.getModelStatus(GetModelStatusRequest.newBuilder()
        .setModelSpec(spec("half_plus_two")).build());
    assertEquals(List.of(available), all.getModelVersionStatusList());
    GetModelStatusResponse one = models.getModelStatus(GetModelStatusRequest.newBuilder()
        .setModelSpec(ModelSpec.newBuilder().setName("half_plus_two")
            .setVersion(Int64Value.of(123))).build());
    assertEquals(all, one);
    assertCode(Status.Code.NOT_FOUND, "nope", () -> models.getModelStatus(
        GetModelStatusRequest.newBuilder().setModelSpec(spec("nope")).build()));
    assertCode(Status.Code.NOT_FOUND, "7", () -> models.getModelStatus(GetModelStatusRequest
        .newBuilder().setModelSpec(ModelSpec.newBuilder().setName("half_plus_two")
            .setVersion(Int64Value.of(7))).build()));
  }

  @Test
  void unknownModelsAndVersionsAreNotFoundAndUnloadedOnesAPrecondition() throws IOException {
    TensorProto x = floats(new long[] {1, 1}, 1);
    assertCode(Status.Code.NOT_FOUND, "Latest(nope)", () -> predictions.predict(
        PredictRequest.newBuilder().setModelSpec(spec("nope")).putInputs("x", x).build()));
    assertCode(Status.Code.NOT_FOUND, "Specific(half_plus_two, 7)", () -> predictions.predict(
        PredictRequest.newBuilder().setModelSpec(ModelSpec.newBuilder()
            .setName("half_plus_two").setVersion(Int64Value.of(7))).putInputs("x", x).build()));
    // An older version on disk: TF Serving's default policy serves only the newest.
    RestServerTest.copy(base.resolve("00000123"), base.resolve("5"));
    assertCode(Status.Code.FAILED_PRECONDITION, "not loaded", () -> predictions.predict(
        PredictRequest.newBuilder().setModelSpec(ModelSpec.newBuilder()
            .setName("half_plus_two").setVersion(Int64Value.of(5))).putInputs("x", x).build()));
    assertCode(Status.Code.FAILED_PRECONDITION, "not loaded", () -> predictions
        .getModelMetadata(GetModelMetadataRequest.newBuilder().setModelSpec(ModelSpec
            .newBuilder().setName("half_plus_two").setVersion(Int64Value.of(5)))
            .addMetadataField("signature_def").build()));
    assertCode(Status.Code.NOT_FOUND, "nope", () -> predictions.getModelMetadata(
        GetModelMetadataRequest.newBuilder().setModelSpec(spec("nope"))
            .addMetadataField("signature_def").build()));
    assertCode(Status.Code.FAILED_PRECONDITION, "\"zz\"", () -> predictions.predict(
        PredictRequest.newBuilder().setModelSpec(ModelSpec.newBuilder()
            .setName("half_plus_two").setSignatureName("zz")).putInputs("x", x).build()));
  }

  @Test
  void badInputsAreInvalidArguments() {
    assertCode(Status.Code.INVALID_ARGUMENT, "Missing but required: [x]", () -> predictions
        .predict(PredictRequest.newBuilder().setModelSpec(spec("half_plus_two"))
            .putInputs("z", floats(new long[] {1, 1}, 1)).build()));
    assertCode(Status.Code.INVALID_ARGUMENT, "Missing ModelSpec", () -> predictions.predict(
        PredictRequest.newBuilder().putInputs("x", floats(new long[] {1, 1}, 1)).build()));
    assertCode(Status.Code.INVALID_ARGUMENT, "DT_INT32", () -> predictions.predict(predictX(
        TensorProto.newBuilder().setDtype(DataType.DT_INT32).setTensorShape(shape(1, 1))
            .addIntVal(1).build())));
    assertCode(Status.Code.INVALID_ARGUMENT, "shape", () -> predictions.predict(predictX(
        floats(new long[] {2, 3}, 1, 2, 3, 4, 5, 6))));
    assertCode(Status.Code.INVALID_ARGUMENT, "tensor_content", () -> predictions.predict(
        predictX(TensorProto.newBuilder().setDtype(DataType.DT_FLOAT)
            .setTensorShape(shape(3, 1)).setTensorContent(littleEndian(1, 2)).build())));
    assertCode(Status.Code.INVALID_ARGUMENT, "-4", () -> predictions.predict(predictX(
        floats(new long[] {-4, 1}, 1))));
    assertCode(Status.Code.INVALID_ARGUMENT, "float_val", () -> predictions.predict(predictX(
        floats(new long[] {1, 1}, 1, 2))));
    assertCode(Status.Code.INVALID_ARGUMENT, "more than", () -> predictions.predict(predictX(
        floats(new long[] {1 << 20, 1}, 1))));
    assertCode(Status.Code.INVALID_ARGUMENT, "more values", () -> predictions.predict(
        predictX(floats(new long[] {1L << 40, 1L << 40}, 1))));
    assertCode(Status.Code.INVALID_ARGUMENT, "unknown_rank", () -> predictions.predict(
        predictX(TensorProto.newBuilder().setDtype(DataType.DT_FLOAT).setTensorShape(
            TensorShapeProto.newBuilder().setUnknownRank(true)).addFloatVal(1).build())));
    assertCode(Status.Code.INVALID_ARGUMENT, "output tensor alias", () -> predictions.predict(
        predictX(floats(new long[] {1, 1}, 1)).toBuilder().addOutputFilter("w").build()));
    assertCode(Status.Code.INVALID_ARGUMENT, "label", () -> predictions.predict(
        PredictRequest.newBuilder().setModelSpec(ModelSpec.newBuilder()
            .setName("half_plus_two").setVersionLabel("stable"))
            .putInputs("x", floats(new long[] {1, 1}, 1)).build()));
    assertCode(Status.Code.INVALID_ARGUMENT, "metadata_field", () -> predictions
        .getModelMetadata(GetModelMetadataRequest.newBuilder()
            .setModelSpec(spec("half_plus_two")).build()));
    assertCode(Status.Code.INVALID_ARGUMENT, "not supported", () -> predictions
        .getModelMetadata(GetModelMetadataRequest.newBuilder()
            .setModelSpec(spec("half_plus_two")).addMetadataField("graph").build()));
    // Still serving.
    assertEquals(List.of(2.5f), predictions.predict(predictX(floats(new long[] {1, 1}, 1)))
        .getOutputsOrThrow("y").getFloatValList());
  }

  /** Raw bytes to a method, as a client that sends something other than its message. */
  Status.Code callRaw(String method, byte[] body) {
    MethodDescriptor<byte[], byte[]> raw = MethodDescriptor.<byte[], byte[]>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY).setFullMethodName(method)
        .setRequestMarshaller(BYTES).setResponseMarshaller(BYTES).build();
    try {
      ClientCalls.blockingUnaryCall(channel, raw, CallOptions.DEFAULT
          .withDeadlineAfter(30, TimeUnit.SECONDS), body);
      return Status.Code.OK;
    } catch (StatusRuntimeException e) {
      assertNoStackTrace(e);
      return e.getStatus().getCode();
    }
  }

  static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };

  @Test
  void malformedMessagesAreInvalidArgumentsAndTheServerKeepsServing() {
    String predict = "tensorflow.serving.PredictionService/Predict";
    assertEquals(Status.Code.INVALID_ARGUMENT, callRaw(predict, new byte[] {(byte) 0xff,
        (byte) 0xff, (byte) 0xff, (byte) 0xff}));
    byte[] valid = predictX(floats(new long[] {3, 1}, 1, 2, 5)).toByteArray();
    byte[] truncated = java.util.Arrays.copyOf(valid, valid.length - 3);
    assertEquals(Status.Code.INVALID_ARGUMENT, callRaw(predict, truncated));
    assertEquals(Status.Code.INVALID_ARGUMENT, callRaw(
        "tensorflow.serving.ModelService/GetModelStatus", new byte[] {0x0a, 0x7f, 0x01}));
    assertEquals(Status.Code.OK, callRaw(predict, valid));
    // Bytes that happen to parse get the error for what they say; none is an internal error.
    Set<Status.Code> expected = Set.of(Status.Code.INVALID_ARGUMENT, Status.Code.NOT_FOUND,
        Status.Code.FAILED_PRECONDITION);
    Random random = new Random(13);
    for (int i = 0; i < 300; i++) {
      byte[] junk = new byte[random.nextInt(64)];
      random.nextBytes(junk);
      if (i % 3 == 0) {
        junk = valid.clone();
        junk[random.nextInt(junk.length)] ^= (byte) (1 << random.nextInt(8));
      }
      Status.Code code = callRaw(predict, junk);
      assertTrue(code == Status.Code.OK || expected.contains(code), i + ": " + code);
    }
    // Empty requests of the other methods.
    assertEquals(Status.Code.INVALID_ARGUMENT, callRaw(
        "tensorflow.serving.PredictionService/MultiInference", new byte[0]));
    assertEquals(Status.Code.INVALID_ARGUMENT, callRaw(
        "tensorflow.serving.ModelService/HandleReloadConfigRequest", new byte[0]));
    assertEquals(Status.Code.UNIMPLEMENTED, callRaw(
        "tensorflow.serving.PredictionService/NoSuchMethod", new byte[0]));
    assertEquals(List.of(2.5f, 3.0f, 4.5f), predictions.predict(predictX(floats(
        new long[] {3, 1}, 1, 2, 5))).getOutputsOrThrow("y").getFloatValList());
  }

  @Test
  void aNewVersionDroppedInIsServedOverGrpcToo() throws Exception {
    try (ServingCore polled = ServingCore.serve("half_plus_two", base, 0.1);
        GrpcServer s = GrpcServer.start(polled, "127.0.0.1", 0, 1 << 20)) {
      ManagedChannel c = NettyChannelBuilder.forAddress("127.0.0.1", s.port()).usePlaintext()
          .build();
      try {
        var status = ModelServiceGrpc.newBlockingStub(c);
        RestServerTest.copy(base.resolve("00000123"), base.resolve("200"));
        GetModelStatusRequest request = GetModelStatusRequest.newBuilder()
            .setModelSpec(spec("half_plus_two")).build();
        long deadline = System.currentTimeMillis() + 10_000;
        ModelVersionStatus available200 = ModelVersionStatus.newBuilder().setVersion(200)
            .setState(ModelVersionStatus.State.AVAILABLE).setStatus(tensorflow.serving.Status
                .StatusProto.getDefaultInstance()).build();
        while (System.currentTimeMillis() < deadline && !status.getModelStatus(request)
            .getModelVersionStatusList().contains(available200)) {
          Thread.sleep(50);
        }
        assertTrue(status.getModelStatus(request).getModelVersionStatusList()
            .contains(available200));
        PredictResponse r = PredictionServiceGrpc.newBlockingStub(c).predict(PredictRequest
            .newBuilder().setModelSpec(ModelSpec.newBuilder().setName("half_plus_two")
                .setVersion(Int64Value.of(200))).putInputs("x", floats(new long[] {1}, 4))
            .build());
        assertEquals(List.of(4.0f), r.getOutputsOrThrow("y").getFloatValList());
        assertEquals(200, r.getModelSpec().getVersion().getValue());
        // The old version's folder is still there, no longer loaded.
        assertCode(Status.Code.FAILED_PRECONDITION, "123", () -> PredictionServiceGrpc
            .newBlockingStub(c).predict(PredictRequest.newBuilder().setModelSpec(ModelSpec
                .newBuilder().setName("half_plus_two").setVersion(Int64Value.of(123)))
                .putInputs("x", floats(new long[] {1}, 4)).build()));
      } finally {
        c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void manyConcurrentClientsGetNoErrors() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(16);
    List<Future<Integer>> results = new ArrayList<>();
    for (int c = 0; c < 16; c++) {
      int client = c;
      results.add(pool.submit(() -> {
        int ok = 0;
        for (int i = 0; i < 25; i++) {
          PredictResponse r = predictions.predict(predictX(floats(new long[] {2}, client, i)));
          List<Float> y = r.getOutputsOrThrow("y").getFloatValList();
          ok += y.equals(List.of(0.5f * client + 2, 0.5f * i + 2)) ? 1 : 0;
        }
        return ok;
      }));
    }
    int total = 0;
    for (Future<Integer> f : results) {
      total += f.get();
    }
    pool.shutdown();
    assertEquals(16 * 25, total);
  }

  @Test
  void oversizedMessagesAreRefusedAndCloseStopsServing() {
    float[] big = new float[300_000];
    TensorProto x = TensorProto.newBuilder().setDtype(DataType.DT_FLOAT)
        .setTensorShape(shape(big.length, 1)).setTensorContent(littleEndian(big)).build();
    assertCode(Status.Code.RESOURCE_EXHAUSTED, "", () -> predictions.predict(predictX(x)));
    assertEquals(1, predictions.predict(predictX(floats(new long[] {1, 1}, 1)))
        .getOutputsOrThrow("y").getFloatValCount());
    server.close();
    assertCode(Status.Code.UNAVAILABLE, "", () -> predictions.predict(predictX(floats(
        new long[] {1, 1}, 1))));
  }

  static void assertCode(Status.Code code, String mentions, Runnable call) {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call::run);
    assertEquals(code, e.getStatus().getCode(), String.valueOf(e.getStatus()));
    String description = String.valueOf(e.getStatus().getDescription());
    assertTrue(description.contains(mentions), description);
    assertNoStackTrace(e);
  }

  static void assertNoStackTrace(StatusRuntimeException e) {
    String description = String.valueOf(e.getStatus().getDescription());
    assertFalse(description.contains("\tat ") || description.contains("at io.")
        || description.contains("at java."), description);
  }
}
