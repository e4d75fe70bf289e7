package io.kava.tools.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Int64Value;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.Example;
import org.tensorflow.proto.Feature;
import org.tensorflow.proto.Features;
import org.tensorflow.proto.FloatList;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.error.Code;
import tensorflow.serving.Inference.InferenceTask;
import tensorflow.serving.Inference.MultiInferenceRequest;
import tensorflow.serving.Inference.MultiInferenceResponse;
import tensorflow.serving.InputOuterClass.ExampleList;
import tensorflow.serving.InputOuterClass.Input;
import tensorflow.serving.Model.ModelSpec;
import tensorflow.serving.ModelManagement.ReloadConfigRequest;
import tensorflow.serving.ModelServiceGrpc;
import tensorflow.serving.Predict.PredictRequest;
import tensorflow.serving.PredictionServiceGrpc;

/**
 * What a TF Serving user of several models relies on, over both front ends: labels,
 * classify / regress in REST, MultiInference and config reloads in gRPC, batching, Prometheus
 * metrics, and a model with a broken signature still served.
 */
class ServingFeaturesTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir
  Path tmp;
  ServingCore core;
  BatchScheduler batching;
  RestServer rest;
  GrpcServer grpc;
  ManagedChannel channel;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    ServedModelTest.version(tmp.resolve("hpt"), 1);
    ServedModelTest.version(tmp.resolve("hpt"), 2);
    brokenSignatureCopy(tmp.resolve("broken/1"));
    Path config = Files.writeString(tmp.resolve("models.config"), "model_config_list {\n"
        + "  config { name: 'hpt' base_path: '" + tmp.resolve("hpt") + "'\n"
        + "    model_platform: 'tensorflow'\n"
        + "    model_version_policy { all {} }\n"
        + "    version_labels { key: 'stable' value: 1 }\n"
        + "    version_labels { key: 'canary' value: 2 } }\n"
        + "  config { name: 'broken' base_path: '" + tmp.resolve("broken") + "' }\n"
        + "}\n");
    batching = BatchScheduler.start(BatchingOptions.defaults().maxBatchSize(8)
        .batchTimeoutMicros(2_000).numBatchThreads(2));
    core = ServingCore.start(ModelConfigs.parse(config), ServingCore.Options.defaults()
        .pollSeconds(0).log(s -> {}).batching(batching));
    rest = RestServer.start(core, "127.0.0.1", 0, 1 << 20, 10_000,
        new MonitoringOptions(true, "/monitoring/prometheus/metrics"));
    grpc = GrpcServer.start(core, "127.0.0.1", 0, 1 << 20);
    channel = NettyChannelBuilder.forAddress("127.0.0.1", grpc.port()).usePlaintext().build();
  }

  @AfterEach
  void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    grpc.close();
    rest.close();
    core.close();
    batching.close();
  }

  /** half_plus_two with a signature whose output is not in the graph, as TF Serving sees. */
  static void brokenSignatureCopy(Path dir) throws Exception {
    RestServerTest.copy(ServedModelTest.HALF_PLUS_TWO, dir);
    Path pb = dir.resolve("saved_model.pb");
    org.tensorflow.proto.SavedModel model;
    try (InputStream in = Files.newInputStream(pb)) {
      model = org.tensorflow.proto.SavedModel.parseFrom(in);
    }
    MetaGraphDef meta = model.getMetaGraphs(0);
    SignatureDef good = meta.getSignatureDefOrThrow("serving_default");
    SignatureDef bad = good.toBuilder().putOutputs("y", TensorInfo.newBuilder()
        .mergeFrom(good.getOutputsOrThrow("y")).setName("nope:0").build()).build();
    Files.write(pb, model.toBuilder().setMetaGraphs(0, meta.toBuilder()
        .putSignatureDef("broken", bad)).build().toByteArray());
  }

  HttpResponse<String> post(String path, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + rest.port()
        + path)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + rest.port()
        + path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void restClassifyRegressAndLabelsAnswerAsTfServing() throws Exception {
    var r = post("/v1/models/hpt:regress", "{\"signature_name\": \"regress_x_to_y\","
        + " \"examples\": [{\"x\": 1.0}, {\"x\": 2.0}]}");
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(JSON.readTree("{\"result\": [2.5, 3.0]}"), JSON.readTree(r.body()));
    r = post("/v1/models/hpt/labels/stable:classify", "{\"signature_name\":"
        + " \"classify_x_to_y\", \"examples\": [{\"x\": [4.0]}]}");
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(JSON.readTree("{\"result\": [[[\"\", 4.0]]]}"), JSON.readTree(r.body()));
    // The context's features are merged into each example.
    r = post("/v1/models/hpt/versions/2:regress", "{\"signature_name\": \"regress_x_to_y\","
        + " \"context\": {\"x\": 6.0}, \"examples\": [{}]}");
    assertEquals(JSON.readTree("{\"result\": [5.0]}"), JSON.readTree(r.body()), r.body());
    r = post("/v1/models/hpt/labels/canary:predict", "{\"instances\": [2.0]}");
    assertEquals(JSON.readTree("{\"predictions\": [3.0]}"), JSON.readTree(r.body()));
    JsonNode meta = JSON.readTree(get("/v1/models/hpt/labels/canary/metadata").body());
    assertEquals("2", meta.at("/model_spec/version").asText());
    r = post("/v1/models/hpt/labels/beta:predict", "{\"instances\": [2.0]}");
    assertEquals(400, r.statusCode());
    assertEquals("{\"error\":\"Unrecognized servable version label: beta\"}", r.body());
    r = post("/v1/models/hpt:regress", "{\"signature_name\": \"regress_x_to_y\","
        + " \"examples\": [{\"x\": [1.0, \"a\"]}]}");
    assertEquals(400, r.statusCode());
    assertTrue(r.body().contains("Feature examples[0].x must hold numbers, or strings"),
        r.body());
    r = post("/v1/models/hpt:classify", "{\"signature_name\": \"regress_x_to_y\","
        + " \"examples\": [{\"x\": 1.0}]}");
    assertEquals(400, r.statusCode());
    assertTrue(r.body().contains("Expected classification signature method_name to be"
        + " tensorflow/serving/classify. Was: tensorflow/serving/regress"), r.body());
    r = post("/v1/models/hpt:regress", "{\"examples\": {\"x\": 1.0}}");
    assertEquals(400, r.statusCode(), r.body());
  }

  static Input examples(float... xs) {
    ExampleList.Builder list = ExampleList.newBuilder();
    for (float x : xs) {
      list.addExamples(Example.newBuilder().setFeatures(Features.newBuilder().putFeature("x",
          Feature.newBuilder().setFloatList(FloatList.newBuilder().addValue(x)).build())));
    }
    return Input.newBuilder().setExampleList(list).build();
  }

  @Test
  void multiInferenceRunsEveryTaskOnOneInput() {
    var stub = PredictionServiceGrpc.newBlockingStub(channel);
    MultiInferenceResponse r = stub.multiInference(MultiInferenceRequest.newBuilder()
        .addTasks(InferenceTask.newBuilder().setModelSpec(ModelSpec.newBuilder().setName("hpt")
            .setSignatureName("classify_x_to_y")).setMethodName(ServingApi.CLASSIFY))
        .addTasks(InferenceTask.newBuilder().setModelSpec(ModelSpec.newBuilder().setName("hpt")
            .setSignatureName("regress_x_to_y")).setMethodName(ServingApi.REGRESS))
        .setInput(examples(1f, 3f)).build());
    assertEquals(2, r.getResultsCount());
    assertEquals(3.5f, r.getResults(0).getClassificationResult().getClassifications(1)
        .getClasses(0).getScore());
    assertEquals(2.5f, r.getResults(1).getRegressionResult().getRegressions(0).getValue());
    assertEquals(2, r.getResults(1).getModelSpec().getVersion().getValue(), "the newest");
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> stub.multiInference(MultiInferenceRequest.newBuilder()
            .addTasks(InferenceTask.newBuilder().setModelSpec(ModelSpec.newBuilder()
                .setName("hpt").setSignatureName("regress_x_to_y"))
                .setMethodName(ServingApi.REGRESS))
            .addTasks(InferenceTask.newBuilder().setModelSpec(ModelSpec.newBuilder()
                .setName("broken")).setMethodName(ServingApi.REGRESS))
            .setInput(examples(1f)).build()));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    assertEquals("All ModelSpecs in a MultiInferenceRequest must access the same model name.",
        e.getStatus().getDescription());
  }

  @Test
  void aReloadOverGrpcChangesTheServedModels() {
    var models = ModelServiceGrpc.newBlockingStub(channel);
    var reply = models.handleReloadConfigRequest(ReloadConfigRequest.newBuilder().setConfig(
        ModelConfigs.single("only", tmp.resolve("hpt"))).build());
    assertEquals(Code.OK, reply.getStatus().getErrorCode(), reply.toString());
    assertEquals(List.of("only"), List.copyOf(core.models().keySet()));
    var stub = PredictionServiceGrpc.newBlockingStub(channel);
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> stub.predict(
        PredictRequest.newBuilder().setModelSpec(ModelSpec.newBuilder().setName("hpt"))
            .putInputs("x", GrpcServerTest.floats(new long[] {1, 1}, 1)).build()));
    assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
    assertEquals(2, stub.predict(PredictRequest.newBuilder().setModelSpec(ModelSpec
        .newBuilder().setName("only")).putInputs("x", GrpcServerTest.floats(new long[] {1, 1},
            1)).build()).getModelSpec().getVersion().getValue());
    reply = models.handleReloadConfigRequest(ReloadConfigRequest.newBuilder().setConfig(
        ModelConfigs.single("gone", tmp.resolve("nowhere"))).build());
    assertEquals(Code.FAILED_PRECONDITION, reply.getStatus().getErrorCode());
    assertTrue(reply.getStatus().getErrorMessage().startsWith("Model 'gone' at "),
        reply.getStatus().getErrorMessage());
  }

  @Test
  void batchedConcurrentRequestsEachGetTheirOwnAnswer() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<String>> answers = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        int x = i;
        answers.add(pool.submit(() -> post(i(x), "{\"instances\": [" + x + ".0, " + (x + 1)
            + ".0]}").body()));
      }
      for (int i = 0; i < answers.size(); i++) {
        assertEquals(JSON.readTree("{\"predictions\": [" + (0.5 * i + 2) + ", "
            + (0.5 * (i + 1) + 2) + "]}"), JSON.readTree(answers.get(i).get()), "request " + i);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static String i(int x) {
    return x % 2 == 0 ? "/v1/models/hpt:predict" : "/v1/models/hpt/versions/2:predict";
  }

  @Test
  void prometheusMetricsCountRequestsAndLoadsWithTfServingsNames() throws Exception {
    post("/v1/models/hpt:predict", "{\"instances\": [1.0]}");
    post("/v1/models/hpt:predict", "{\"instances\": \"x\"}");
    PredictionServiceGrpc.newBlockingStub(channel).predict(PredictRequest.newBuilder()
        .setModelSpec(ModelSpec.newBuilder().setName("hpt").setVersion(Int64Value.of(1)))
        .putInputs("x", GrpcServerTest.floats(new long[] {1, 1}, 1)).build());
    HttpResponse<String> r = get("/monitoring/prometheus/metrics");
    assertEquals(200, r.statusCode());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
    String text = r.body();
    assertTrue(text.contains(":tensorflow:serving:request_count{model_name=\"hpt\","
        + "status=\"OK\"} 2"), text);
    assertTrue(text.contains(":tensorflow:serving:request_count{model_name=\"hpt\","
        + "status=\"INVALID_ARGUMENT\"} 1"), text);
    assertTrue(text.contains(":tensorflow:serving:request_latency_count{model_name=\"hpt\","
        + "API=\"Predict\",entrypoint=\"GRPC\"} 1"), text);
    assertTrue(text.contains(":tensorflow:cc:saved_model:load_attempt_count{model_path=\""
        + tmp.resolve("hpt/2") + "\",status=\"success\"} 1"), text);
  }

  @Test
  void aBrokenSignatureIsReportedAndTheOthersAreServed() throws Exception {
    var r = post("/v1/models/broken:predict", "{\"instances\": [2.0]}");
    assertEquals(JSON.readTree("{\"predictions\": [3.0]}"), JSON.readTree(r.body()));
    r = post("/v1/models/broken:predict", "{\"signature_name\": \"broken\", \"instances\":"
        + " [2.0]}");
    assertEquals(400, r.statusCode());
    assertTrue(r.body().startsWith("{\"error\":\"Signature \\\"broken\\\" of this model cannot"
        + " be served: "), r.body());
    assertTrue(r.body().contains("nope:0"), r.body());
    JsonNode meta = JSON.readTree(get("/v1/models/broken/metadata").body());
    assertTrue(meta.at("/metadata/invalid_signatures/broken").asText().contains("nope:0"),
        meta.toString());
    assertTrue(meta.at("/metadata/signature_def/signature_def/broken").isMissingNode());
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () ->
        PredictionServiceGrpc.newBlockingStub(channel).predict(PredictRequest.newBuilder()
            .setModelSpec(ModelSpec.newBuilder().setName("broken").setSignatureName("broken"))
            .putInputs("x", GrpcServerTest.floats(new long[] {1, 1}, 1)).build()));
    assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
  }
}
