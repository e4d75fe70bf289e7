package io.kava.tools.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Int64Value;
import io.javalin.Javalin;
import io.javalin.http.ContentType;
import io.javalin.http.Context;
import io.kava.saving.ModelVersions;
import io.kava.saving.SavedModel;
import io.kava.saving.SignatureInfo;
import io.kava.saving.TensorSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tensorflow.ndarray.NdArray;
import org.tensorflow.proto.error.Code;
import tensorflow.serving.Classification.ClassificationRequest;
import tensorflow.serving.GetModelStatus.GetModelStatusRequest;
import tensorflow.serving.GetModelStatus.ModelVersionStatus;
import tensorflow.serving.Model.ModelSpec;
import tensorflow.serving.RegressionOuterClass.RegressionRequest;

/**
 * TensorFlow Serving's REST API over a {@link ServingCore}, on an embedded Javalin (Jetty)
 * server: model status, metadata, predict in the row ({@code instances}) and columnar
 * ({@code inputs}) formats, and classify / regress on tf.Examples, for a model's newest
 * version, a numbered one ({@code /versions/N}) or a labelled one ({@code /labels/L}), with
 * TF Serving's JSON shapes for results and errors ({@code {"error": "..."}} and its HTTP
 * codes: 400 for bad requests, 404 for unknown models or versions), a request size limit,
 * an idle timeout and graceful shutdown.
 *
 * <pre>{@code
 * $ tools/kava serve --model_name=mnist --model_base_path=kava-output/mnist_simple_cnn \
 *     --rest_api_port=8501
 * $ curl -d '{"instances": [...]}' localhost:8501/v1/models/mnist:predict
 * }</pre>
 */
public final class RestServer implements AutoCloseable {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Pattern PATH = Pattern.compile("/v1/models/([^/:]+)"
      + "(?:/versions/(\\d+)|/labels/([^/:]+))?(/metadata|:predict|:classify|:regress)?");

  private final ServingApi api;
  private final Javalin app;
  private final long maxBodyBytes;

  private RestServer(ServingApi api, Javalin app, long maxBodyBytes) {
    this.api = api;
    this.app = app;
    this.maxBodyBytes = maxBodyBytes;
  }

  /** Starts serving on {@code host:port} (port 0 picks a free one), without monitoring. */
  public static RestServer start(ServingCore core, String host, int port, long maxBodyBytes,
      long idleTimeoutMillis) {
    return start(core, host, port, maxBodyBytes, idleTimeoutMillis,
        MonitoringOptions.disabled());
  }

  /**
   * Starts serving on {@code host:port} (port 0 picks a free one), with the core's metrics in
   * Prometheus's text format at {@code monitoring}'s path when it is enabled.
   */
  public static RestServer start(ServingCore core, String host, int port, long maxBodyBytes,
      long idleTimeoutMillis, MonitoringOptions monitoring) {
    Javalin app = Javalin.create(config -> {
      config.showJavalinBanner = false;
      config.http.maxRequestSize = maxBodyBytes;
      config.jetty.modifyServer(server -> server.setStopTimeout(5_000));
      config.jetty.modifyHttpConfiguration(http -> http.setIdleTimeout(idleTimeoutMillis));
    });
    RestServer server = new RestServer(new ServingApi(core, maxBodyBytes,
        ServingMetrics.Entrypoint.REST), app, maxBodyBytes);
    if (monitoring.enabled()) {
      app.get(monitoring.path(), ctx -> ctx.contentType(ServingMetrics.CONTENT_TYPE)
          .result(core.options().metrics().scrape()));
    }
    app.get("/v1/models/<path>", server::get);
    app.post("/v1/models/<path>", server::post);
    app.error(404, ctx -> {
      if (ctx.result() == null || ctx.result().isEmpty()) {
        error(ctx, 404, "Not found: " + ctx.method() + " " + ctx.path());
      }
    });
    app.exception(io.javalin.http.HttpResponseException.class, (e, ctx) ->
        error(ctx, e.getStatus(), e.getMessage()));
    app.exception(ServingException.class, (e, ctx) -> error(ctx, e.httpStatus(),
        e.getMessage()));
    app.exception(IllegalArgumentException.class, (e, ctx) -> error(ctx, 400,
        e.getMessage()));
    app.exception(Exception.class, (e, ctx) -> error(ctx, 500, "Internal error: "
        + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())));
    app.start(host, port);
    return server;
  }

  public int port() {
    return app.port();
  }

  /** The model, version and label of a request path. */
  private record Target(String name, Long version, String label, String action) {
    ModelSpec spec() {
      ModelSpec.Builder spec = ModelSpec.newBuilder().setName(name);
      if (version != null) {
        spec.setVersion(Int64Value.of(version));
      } else if (label != null) {
        spec.setVersionLabel(label);
      }
      return spec.build();
    }

    Lease lease(ServingCore core) {
      return core.lease(name, version, label);
    }
  }

  /** The target of the request's path; null (after answering) if it names none. */
  private static Target target(Context ctx) {
    Matcher m = PATH.matcher(ctx.path());
    if (!m.matches()) {
      error(ctx, 404, "Not found: " + ctx.method() + " " + ctx.path());
      return null;
    }
    Long version = null;
    if (m.group(2) != null) {
      OptionalLong v = ModelVersions.parse(m.group(2));
      if (v.isEmpty()) {
        // All digits, yet more than a long holds: TF Serving's answer.
        error(ctx, 400, "Failed to convert version: " + m.group(2) + " to numeric.");
        return null;
      }
      version = v.getAsLong();
    }
    return new Target(m.group(1), version, m.group(3), m.group(4) == null ? "" : m.group(4));
  }

  private void get(Context ctx) {
    Target t = target(ctx);
    if (t == null) {
      return;
    }
    if (!t.action().isEmpty() && !"/metadata".equals(t.action())) {
      error(ctx, 404, "Not found: GET " + ctx.path());
      return;
    }
    if (t.action().isEmpty()) {
      ObjectNode root = MAPPER.createObjectNode();
      ArrayNode list = root.putArray("model_version_status");
      for (ModelVersionStatus s : api.status(GetModelStatusRequest.newBuilder()
          .setModelSpec(t.spec()).build()).getModelVersionStatusList()) {
        ObjectNode o = list.addObject();
        o.put("version", Long.toString(s.getVersion()));
        o.put("state", s.getState().name());
        o.putObject("status").put("error_code", s.getStatus().getErrorCode().name())
            .put("error_message", s.getStatus().getErrorMessage());
      }
      json(ctx, root);
      return;
    }
    try (Lease lease = t.lease(api.core())) {
      ObjectNode root = MAPPER.createObjectNode();
      root.putObject("model_spec").put("name", lease.name()).put("signature_name", "")
          .put("version", Long.toString(lease.version()));
      ObjectNode defs = root.putObject("metadata").putObject("signature_def")
          .putObject("signature_def");
      lease.model().signatures().forEach((name, sig) -> defs.set(name, signatureJson(sig)));
      if (!lease.model().invalidSignatures().isEmpty()) {
        // Not in TF Serving's answer (it has no such signatures): why they are not served.
        ObjectNode invalid = ((ObjectNode) root.get("metadata"))
            .putObject("invalid_signatures");
        lease.model().invalidSignatures().forEach(invalid::put);
      }
      json(ctx, root);
    }
  }

  private void post(Context ctx) {
    Target t = target(ctx);
    if (t == null) {
      return;
    }
    if (t.action().isEmpty() || "/metadata".equals(t.action())) {
      error(ctx, 404, "Not found: POST " + ctx.path());
      return;
    }
    byte[] body = body(ctx);
    if (body == null) {
      return;
    }
    JsonNode request;
    try {
      request = MAPPER.readTree(body);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      error(ctx, 400, "JSON Parse error: " + e.getOriginalMessage());
      return;
    } catch (IOException e) {
      error(ctx, 400, "JSON Parse error: " + e.getMessage());
      return;
    }
    if (request == null || !request.isObject()) {
      error(ctx, 400, "JSON Value: the request body must be a JSON object");
      return;
    }
    JsonNode signatureNode = request.path("signature_name");
    if (!signatureNode.isMissingNode() && !signatureNode.isTextual()) {
      error(ctx, 400, "'signature_name' must be a string; got " + signatureNode);
      return;
    }
    String signature = signatureNode.asText(SavedModel.DEFAULT_SIGNATURE);
    switch (t.action()) {
      case ":classify" -> json(ctx, ExampleJson.classification(api.classify(
          ClassificationRequest.newBuilder().setModelSpec(t.spec().toBuilder()
              .setSignatureName(signature)).setInput(ExampleJson.input(request)).build())
          .getResult()));
      case ":regress" -> json(ctx, ExampleJson.regression(api.regress(
          RegressionRequest.newBuilder().setModelSpec(t.spec().toBuilder()
              .setSignatureName(signature)).setInput(ExampleJson.input(request)).build())
          .getResult()));
      default -> {
        boolean rows = request.has("instances");
        if (rows == request.has("inputs")) {
          error(ctx, 400, "Missing 'inputs' or 'instances' key" + (rows ? ": only one of"
              + " them may be given" : ""));
          return;
        }
        json(ctx, api.timed("Predict", t.name(), () -> {
          try (Lease lease = t.lease(api.core())) {
            return predict(lease, signature, request, rows);
          }
        }));
      }
    }
  }

  private static JsonNode predict(Lease lease, String signatureName, JsonNode request,
      boolean rows) {
    SignatureInfo sig;
    try {
      sig = ServingApi.predictSignature(lease.model(), signatureName);
    } catch (ServingException e) {
      // TF Serving's REST handler looks the signature up itself: INVALID_ARGUMENT.
      throw lease.model().invalidSignatures().containsKey(signatureName) ? e
          : new ServingException(Code.INVALID_ARGUMENT, e.getMessage());
    }
    Map<String, NdArray<?>> inputs = new LinkedHashMap<>();
    JsonNode data = request.get(rows ? "instances" : "inputs");
    boolean named = rows ? data.isArray() && data.size() > 0 && data.get(0).isObject()
        && !data.get(0).has("b64") : data.isObject() && !data.has("b64");
    if (!named) {
      if (sig.inputs().size() != 1) {
        throw new IllegalArgumentException("The signature has inputs " + sig.inputs().keySet()
            + "; name them in each instance (or in 'inputs')");
      }
      TensorSpec only = sig.inputs().values().iterator().next();
      inputs.put(only.key(), TensorJson.toArray(data, only));
    } else if (rows) {
      for (TensorSpec spec : sig.inputs().values()) {
        ArrayNode column = MAPPER.createArrayNode();
        for (JsonNode instance : data) {
          if (!instance.has(spec.key())) {
            throw new IllegalArgumentException("Every instance must name input '" + spec.key()
                + "'");
          }
          column.add(instance.get(spec.key()));
        }
        inputs.put(spec.key(), TensorJson.toArray(column, spec));
      }
    } else {
      data.fields().forEachRemaining(e -> {
        TensorSpec spec = sig.inputs().get(e.getKey());
        if (spec == null) {
          throw new IllegalArgumentException("Input '" + e.getKey() + "' is not in the"
              + " signature; it has " + sig.inputs().keySet());
        }
        inputs.put(e.getKey(), TensorJson.toArray(e.getValue(), spec));
      });
    }
    Map<String, NdArray<?>> outputs = ServingApi.run(lease, signatureName, inputs);
    ObjectNode response = MAPPER.createObjectNode();
    if (!rows) {
      if (outputs.size() == 1) {
        response.set("outputs", TensorJson.toJson(outputs.values().iterator().next()));
      } else {
        ObjectNode o = response.putObject("outputs");
        outputs.forEach((k, v) -> o.set(k, TensorJson.toJson(v)));
      }
      return response;
    }
    if (outputs.size() == 1) {
      response.set("predictions", TensorJson.toJson(outputs.values().iterator().next()));
      return response;
    }
    ArrayNode predictions = response.putArray("predictions");
    long n = outputs.values().iterator().next().shape().get(0);
    for (long i = 0; i < n; i++) {
      ObjectNode row = predictions.addObject();
      for (var e : outputs.entrySet()) {
        row.set(e.getKey(), TensorJson.row(e.getValue(), i));
      }
    }
    return response;
  }

  private static ObjectNode signatureJson(SignatureInfo sig) {
    ObjectNode s = MAPPER.createObjectNode();
    ObjectNode in = s.putObject("inputs");
    sig.inputs().forEach((k, t) -> in.set(k, tensorJson(t)));
    ObjectNode out = s.putObject("outputs");
    sig.outputs().forEach((k, t) -> out.set(k, tensorJson(t)));
    s.put("method_name", sig.methodName());
    return s;
  }

  private static ObjectNode tensorJson(TensorSpec t) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("dtype", t.dtype().name());
    ObjectNode shape = n.putObject("tensor_shape");
    ArrayNode dims = shape.putArray("dim");
    if (!t.shape().isUnknown()) {
      for (long d : t.shape().asArray()) {
        dims.addObject().put("size", Long.toString(d)).put("name", "");
      }
    }
    shape.put("unknown_rank", t.shape().isUnknown());
    n.put("name", t.tensorName());
    return n;
  }

  /**
   * The request's body, read at once into an array of its declared length (Javalin's own
   * reader grows a buffer through two 8 KiB copies); null, after answering 413, if it is over
   * the size limit.
   */
  private byte[] body(Context ctx) {
    long declared = ctx.req().getContentLengthLong();
    try {
      byte[] body = declared > maxBodyBytes ? null : ctx.req().getInputStream().readNBytes(
          (int) (declared >= 0 ? declared : maxBodyBytes + 1));
      if (body == null || body.length > maxBodyBytes) {
        error(ctx, 413, "Request body of " + (declared >= 0 ? declared : "over " + maxBodyBytes)
            + " bytes is over this server's limit of " + maxBodyBytes + " bytes");
        return null;
      }
      return body;
    } catch (IOException e) {
      error(ctx, 400, "Could not read the request body: " + e.getMessage());
      return null;
    }
  }

  /** Answers {@code value} as JSON, serialized straight to bytes. */
  private static void json(Context ctx, Object value) {
    try {
      ctx.contentType(ContentType.APPLICATION_JSON).result(MAPPER.writeValueAsBytes(value));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void error(Context ctx, int status, String message) {
    json(ctx.status(status), Map.of("error", message == null ? "" : message));
  }

  /** Stops accepting requests, lets running ones finish (up to 5 s), then stops. */
  @Override
  public void close() {
    app.stop();
  }
}
