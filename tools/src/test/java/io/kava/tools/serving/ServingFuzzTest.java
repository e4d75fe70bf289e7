package io.kava.tools.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.google.protobuf.Int64Value;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;
import tensorflow.serving.Model.ModelSpec;
import tensorflow.serving.Predict.PredictRequest;
import tensorflow.serving.PredictionServiceGrpc;

/**
 * Malformed requests, generated from a fixed seed, never make the server fail: every REST
 * answer is a 4xx with TF Serving's {@code {"error": "..."}} (or a 200 where a mutation
 * happened to leave the request valid), every gRPC answer INVALID_ARGUMENT,
 * FAILED_PRECONDITION or NOT_FOUND (or OK), never a 500, INTERNAL, UNKNOWN or a stack trace;
 * and the server still predicts correctly afterwards.
 */
class ServingFuzzTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int MAX_BYTES = 1 << 16;
  private static final long SEED = 20_250_113L;
  private static final List<String> VALID = List.of(
      "{\"instances\": [1.0, 2.0, 5.0]}",
      "{\"inputs\": {\"x\": [1.0, 2.0, 5.0]}}",
      "{\"signature_name\": \"serving_default\", \"instances\": [{\"x\": 1.0}, {\"x\": 2}]}",
      "{\"inputs\": [[1.0], [2.0]]}");
  private static final List<String> VALID_EXAMPLES = List.of(
      "{\"signature_name\": \"%s\", \"examples\": [{\"x\": 1.0}, {\"x\": [2.0]}]}",
      "{\"signature_name\": \"%s\", \"context\": {\"y\": \"a\"}, \"examples\": [{\"x\": 3}]}");

  static ServingCore core;
  static RestServer rest;
  static GrpcServer grpc;
  static ManagedChannel channel;
  static HttpClient http;

  @BeforeAll
  static void start() {
    core = ServingCore.start(ModelConfigs.single("half_plus_two",
        ServedModelTest.HALF_PLUS_TWO.getParent()), ServingCore.Options.defaults()
        .pollSeconds(0).log(s -> {}));
    rest = RestServer.start(core, "127.0.0.1", 0, MAX_BYTES, 10_000);
    grpc = GrpcServer.start(core, "127.0.0.1", 0, MAX_BYTES);
    channel = NettyChannelBuilder.forAddress("127.0.0.1", grpc.port()).usePlaintext()
        .maxInboundMessageSize(1 << 24).build();
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  }

  @AfterAll
  static void stop() {
    channel.shutdownNow();
    grpc.close();
    rest.close();
    core.close();
  }

  /** One malformed REST request. */
  private record Body(String action, byte[] bytes, String contentType) {}

  @Test
  void malformedRestBodiesGetTfServingsErrorShape() throws Exception {
    Random r = new Random(SEED);
    int errors = 0;
    int n = 2_000;
    for (int i = 0; i < n; i++) {
      Body b = restBody(r);
      HttpRequest.Builder req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
          + rest.port() + "/v1/models/half_plus_two" + b.action()))
          .POST(HttpRequest.BodyPublishers.ofByteArray(b.bytes()));
      if (b.contentType() != null) {
        req.header("Content-Type", b.contentType());
      }
      HttpResponse<String> res = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
      String what = "request " + i + " " + b.action() + " (" + b.contentType() + "): "
          + abbreviate(new String(b.bytes(), StandardCharsets.UTF_8)) + " -> " + res.statusCode()
          + " " + abbreviate(res.body());
      JsonNode answer;
      try {
        answer = MAPPER.readTree(res.body());
      } catch (IOException e) {
        throw new AssertionError("answer is not JSON: " + what, e);
      }
      if (res.statusCode() == 200) {
        assertTrue(answer.has("predictions") || answer.has("outputs") || answer.has("result"),
            what);
        continue;
      }
      errors++;
      assertTrue(res.statusCode() >= 400 && res.statusCode() < 500, what);
      assertEquals(1, answer.size(), what);
      assertTrue(answer.path("error").isTextual(), what);
      assertFalse(answer.get("error").asText().contains("\tat ")
          || answer.get("error").asText().startsWith("Internal error"), what);
    }
    // Most bodies must really be malformed, or this test would prove little.
    assertTrue(errors > n * 9 / 10, errors + " errors of " + n);
    HttpResponse<String> ok = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
        + rest.port() + "/v1/models/half_plus_two:predict")).POST(HttpRequest.BodyPublishers
        .ofString(VALID.get(0))).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, ok.statusCode());
    assertEquals(MAPPER.readTree("{\"predictions\": [2.5, 3.0, 4.5]}"),
        MAPPER.readTree(ok.body()));
  }

  private static String abbreviate(String s) {
    return s.length() > 300 ? s.substring(0, 300) + "..." : s;
  }

  private static Body restBody(Random r) {
    String action = switch (r.nextInt(3)) {
      case 0 -> ":predict";
      case 1 -> ":classify";
      default -> ":regress";
    };
    String contentType = switch (r.nextInt(6)) {
      case 0 -> null;
      case 1 -> "text/plain";
      case 2 -> "application/octet-stream";
      case 3 -> "multipart/form-data; boundary=xyz";
      default -> "application/json";
    };
    String valid = action.equals(":predict") ? VALID.get(r.nextInt(VALID.size()))
        : String.format(VALID_EXAMPLES.get(r.nextInt(VALID_EXAMPLES.size())),
            action.equals(":classify") ? "classify_x_to_y" : "regress_x_to_y");
    String key = action.equals(":predict") ? (r.nextBoolean() ? "instances" : "inputs")
        : "examples";
    String body = switch (r.nextInt(14)) {
      case 0 -> valid.substring(0, r.nextInt(valid.length()));
      case 1 -> "{\"" + key + "\": " + randomJson(r, 0) + "}";
      case 2 -> "{\"" + key + "\": [" + List.of("NaN", "Infinity", "-Infinity", "1e999",
          "-1e999", "99999999999999999999999").get(r.nextInt(6)) + ", 1.0]}";
      case 3 -> "{\"" + key + "\": " + "[".repeat(1 + r.nextInt(3000)) + "1"
          + "]".repeat(r.nextInt(3000)) + "}";
      case 4 -> "{\"" + key + "\": [{\"b64\": \"" + List.of("!!!", "a", "ab=c", "====", "\\u0000",
          "YWJj\\n").get(r.nextInt(6)) + "\"}]}";
      case 5 -> "{\"" + key + "\": [" + "1.0, ".repeat(MAX_BYTES / 5 + r.nextInt(1000))
          + "1.0]}";
      case 6 -> "";
      case 7 -> "{\"" + key + "\": [[1.0, 2.0], [3.0]], \"signature_name\": "
          + randomJson(r, 2) + "}";
      case 8 -> mutate(valid, r);
      case 9 -> mutate(mutate(mutate(valid, r), r), r);
      case 10 -> "{\"" + key + "\": [" + List.of("\"x\"", "true", "null", "{}", "[]",
          "{\"x\": {\"y\": 1}}", "{\"b64\": 1}", "[[]]").get(r.nextInt(8)) + "]}";
      case 11 -> randomJson(r, 0);
      case 12 -> "{\"" + key + "\": " + valid + ", \"" + key + "\": 1}";
      default -> null;
    };
    byte[] bytes = body != null ? body.getBytes(StandardCharsets.UTF_8) : randomBytes(r, valid);
    return new Body(action, bytes, contentType);
  }

  /** Valid bytes with invalid UTF-8 sequences and control bytes spliced in. */
  private static byte[] randomBytes(Random r, String valid) {
    byte[] v = valid.getBytes(StandardCharsets.UTF_8);
    for (int k = 0; k < 1 + r.nextInt(4); k++) {
      v[r.nextInt(v.length)] = (byte) (0x80 + r.nextInt(128));
    }
    return v;
  }

  private static String mutate(String s, Random r) {
    if (s.isEmpty()) {
      return "}";
    }
    int at = r.nextInt(s.length());
    String chars = "[]{}\",:0-.eE\\ab";
    return switch (r.nextInt(3)) {
      case 0 -> s.substring(0, at) + s.substring(at + 1);
      case 1 -> s.substring(0, at) + chars.charAt(r.nextInt(chars.length())) + s.substring(at);
      default -> s.substring(0, at) + chars.charAt(r.nextInt(chars.length()))
          + s.substring(at + 1);
    };
  }

  private static String randomJson(Random r, int depth) {
    int kind = depth > 4 ? 3 + r.nextInt(5) : r.nextInt(8);
    return switch (kind) {
      case 0, 1 -> {
        StringBuilder b = new StringBuilder("[");
        int n = r.nextInt(4);
        for (int i = 0; i < n; i++) {
          b.append(i == 0 ? "" : ", ").append(randomJson(r, depth + 1));
        }
        yield b.append("]").toString();
      }
      case 2 -> {
        StringBuilder b = new StringBuilder("{");
        int n = r.nextInt(3);
        for (int i = 0; i < n; i++) {
          b.append(i == 0 ? "" : ", ").append('"').append(List.of("x", "b64", "y", "instances",
              "").get(r.nextInt(5))).append("\": ").append(randomJson(r, depth + 1));
        }
        yield b.append("}").toString();
      }
      case 3 -> Double.toString(r.nextGaussian() * Math.pow(10, r.nextInt(80) - 40));
      case 4 -> Long.toString(r.nextLong());
      case 5 -> "\"" + List.of("", "x", "\\u00e9", "\\ud800", "YWJj").get(r.nextInt(5)) + "\"";
      case 6 -> List.of("true", "false", "null").get(r.nextInt(3));
      default -> "1";
    };
  }

  @Test
  void malformedGrpcPredictRequestsAreInvalidArguments() {
    Random r = new Random(SEED);
    var stub = PredictionServiceGrpc.newBlockingStub(channel);
    MethodDescriptor<byte[], byte[]> raw = PredictionServiceGrpc.getPredictMethod()
        .toBuilder(GrpcServerTest.BYTES, GrpcServerTest.BYTES).build();
    // NOT_FOUND: a version number that does not exist, TF Serving's answer.
    Set<Status.Code> allowed = Set.of(Status.Code.OK, Status.Code.INVALID_ARGUMENT,
        Status.Code.FAILED_PRECONDITION, Status.Code.NOT_FOUND,
        Status.Code.RESOURCE_EXHAUSTED);
    Map<Status.Code, Integer> codes = new EnumMap<>(Status.Code.class);
    int n = 1_000;
    for (int i = 0; i < n; i++) {
      Status.Code code = Status.Code.OK;
      String what;
      try {
        if (r.nextInt(10) == 0) {
          byte[] bytes = new byte[r.nextInt(64)];
          r.nextBytes(bytes);
          what = "request " + i + ": " + bytes.length + " random bytes";
          ClientCalls.blockingUnaryCall(channel, raw, CallOptions.DEFAULT, bytes);
        } else {
          PredictRequest req = predictRequest(r);
          what = "request " + i + ": " + abbreviate(req.toString());
          stub.predict(req);
        }
        codes.merge(code, 1, Integer::sum);
        continue;
      } catch (StatusRuntimeException e) {
        code = e.getStatus().getCode();
        codes.merge(code, 1, Integer::sum);
        String description = String.valueOf(e.getStatus().getDescription());
        if (!allowed.contains(code) || description.contains("\tat ")) {
          fail("request " + i + " -> " + e.getStatus());
        }
      }
    }
    // Most requests must really be malformed, or this test would prove little.
    assertTrue(codes.getOrDefault(Status.Code.OK, 0) < n / 5, codes.toString());
    var y = stub.predict(PredictRequest.newBuilder().setModelSpec(ModelSpec.newBuilder()
        .setName("half_plus_two")).putInputs("x", floats(3).addFloatVal(1).addFloatVal(2)
        .addFloatVal(5).build()).build()).getOutputsOrThrow("y");
    assertEquals(List.of(2.5f, 3.0f, 4.5f), y.getFloatValList());
  }

  private static TensorProto.Builder floats(long... dims) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (long d : dims) {
      shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
    }
    return TensorProto.newBuilder().setDtype(DataType.DT_FLOAT).setTensorShape(shape);
  }

  private static PredictRequest predictRequest(Random r) {
    PredictRequest.Builder req = PredictRequest.newBuilder();
    ModelSpec.Builder spec = ModelSpec.newBuilder().setName("half_plus_two");
    switch (r.nextInt(12)) {
      case 0 -> spec.setSignatureName(List.of("nope", "classify_x_to_y", "regress_x_to_y", "")
          .get(r.nextInt(4)));
      case 1 -> spec.setVersion(Int64Value.of(List.of(123L, -1L, 0L, Long.MAX_VALUE)
          .get(r.nextInt(4))));
      default -> {}
    }
    if (r.nextInt(20) != 0) {
      req.setModelSpec(spec);
    }
    TensorProto.Builder t = TensorProto.newBuilder();
    int dtype = r.nextInt(25);
    if (r.nextInt(3) == 0) {
      t.setDtypeValue(r.nextInt(4) == 0 ? 1000 + r.nextInt(1000) : dtype);
    } else {
      t.setDtype(DataType.DT_FLOAT);
    }
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    long[] sizes = {-7, -1, 0, 1, 2, 3, 5, 1 << 20, 1L << 31, 1L << 40, Long.MAX_VALUE,
        Long.MIN_VALUE};
    int rank = r.nextInt(20) == 0 ? 255 + r.nextInt(10) : r.nextInt(5);
    for (int d = 0; d < rank; d++) {
      long size = r.nextInt(3) == 0 ? sizes[r.nextInt(sizes.length)] : 1 + r.nextInt(3);
      shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(size));
    }
    shape.setUnknownRank(r.nextInt(20) == 0);
    t.setTensorShape(shape);
    switch (r.nextInt(6)) {
      case 0 -> t.setTensorContent(ByteString.copyFrom(new byte[r.nextInt(40)]));
      case 1 -> {
        for (int k = r.nextInt(12); k > 0; k--) {
          t.addFloatVal((float) r.nextGaussian());
        }
      }
      case 2 -> t.addStringVal(ByteString.copyFromUtf8("1.0"));
      case 3 -> t.addIntVal(r.nextInt()).addInt64Val(r.nextLong()).addDoubleVal(1);
      case 4 -> t.addFloatVal(Float.NaN).addFloatVal(Float.POSITIVE_INFINITY);
      default -> {}
    }
    String key = r.nextInt(8) == 0 ? List.of("y", "", "X", "x ").get(r.nextInt(4)) : "x";
    req.putInputs(key, t.build());
    if (r.nextInt(8) == 0) {
      req.putInputs("extra", t.build());
    }
    if (r.nextInt(8) == 0) {
      req.addOutputFilter(r.nextBoolean() ? "y" : "nope").addOutputFilter("y");
    }
    return req.build();
  }
}
