package io.kava.tools.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.kava.saving.ModelVersions;
import io.kava.saving.SavedModel;
import io.kava.saving.SignatureInfo;
import io.kava.saving.TensorSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tensorflow.ndarray.NdArray;

/**
 * TensorFlow Serving's REST API over a {@link ServedModel}, on an embedded Javalin (Jetty)
 * server: model status, metadata and predict in the row ({@code instances}) and columnar
 * ({@code inputs}) formats, with TF Serving's JSON shapes for results and errors
 * ({@code {"error": "..."}}, 400 for bad requests, 404 for unknown models or versions), a
 * request size limit, an idle timeout and graceful shutdown.
 *
 * <pre>{@code
 * $ tools/kava serve --model_name=mnist --model_base_path=kava-output/mnist_simple_cnn \
 *     --rest_api_port=8501
 * $ curl -d '{"instances": [...]}' localhost:8501/v1/models/mnist:predict
 * }</pre>
 */
public final class RestServer implements AutoCloseable {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Pattern PATH = Pattern.compile(
      "/v1/models/([^/:]+)(?:/versions/(\\d+))?(/metadata|:predict)?");

  private final ServedModel model;
  private final Javalin app;

  private RestServer(ServedModel model, Javalin app) {
    this.model = model;
    this.app = app;
  }

  /** Starts serving on {@code host:port} (port 0 picks a free one). */
  public static RestServer start(ServedModel model, String host, int port, long maxBodyBytes,
      long idleTimeoutMillis) {
    Javalin app = Javalin.create(config -> {
      config.showJavalinBanner = false;
      config.http.maxRequestSize = maxBodyBytes;
      config.jetty.modifyServer(server -> server.setStopTimeout(5_000));
      config.jetty.modifyHttpConfiguration(http -> http.setIdleTimeout(idleTimeoutMillis));
    });
    RestServer server = new RestServer(model, app);
    app.get("/v1/models/<path>", server::get);
    app.post("/v1/models/<path>", server::post);
    app.error(404, ctx -> {
      if (ctx.result() == null || ctx.result().isEmpty()) {
        error(ctx, 404, "Not found: " + ctx.method() + " " + ctx.path());
      }
    });
    app.exception(io.javalin.http.HttpResponseException.class, (e, ctx) ->
        error(ctx, e.getStatus(), e.getMessage()));
    app.exception(Exception.class, (e, ctx) -> error(ctx, 500, "Internal error: "
        + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())));
    app.start(host, port);
    return server;
  }

  public int port() {
    return app.port();
  }

  private void get(Context ctx) {
    Matcher m = match(ctx);
    if (m == null || ":predict".equals(m.group(3))) {
      error(ctx, 404, "Not found: GET " + ctx.path());
      return;
    }
    if (!servable(ctx, m)) {
      return;
    }
    Long version = version(m);
    if (m.group(3) == null) {
      ObjectNode root = MAPPER.createObjectNode();
      ArrayNode list = root.putArray("model_version_status");
      model.states().forEach((v, state) -> {
        ObjectNode s = list.addObject();
        s.put("version", Long.toString(v));
        s.put("state", state);
        s.putObject("status").put("error_code", "OK").put("error_message", "");
      });
      ctx.json(root);
      return;
    }
    model.with(version, sm -> {
      ObjectNode root = MAPPER.createObjectNode();
      root.putObject("model_spec").put("name", model.name()).put("signature_name", "")
          .put("version", Long.toString(model.version()));
      ObjectNode defs = root.putObject("metadata").putObject("signature_def")
          .putObject("signature_def");
      sm.signatures().forEach((name, sig) -> defs.set(name, signatureJson(sig)));
      return root;
    }).ifPresentOrElse(ctx::json, () -> error(ctx, 404, "Servable not found for request:"
        + " Specific(" + model.name() + ", " + version + ")"));
  }

  private void post(Context ctx) {
    Matcher m = match(ctx);
    if (m == null || !":predict".equals(m.group(3))) {
      error(ctx, 404, "Not found: POST " + ctx.path());
      return;
    }
    if (!servable(ctx, m)) {
      return;
    }
    Long version = version(m);
    JsonNode request;
    try {
      request = MAPPER.readTree(ctx.body());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      error(ctx, 400, "JSON Parse error: " + e.getOriginalMessage());
      return;
    }
    if (request == null || !request.isObject()) {
      error(ctx, 400, "JSON Value: the request body must be a JSON object");
      return;
    }
    boolean rows = request.has("instances");
    if (rows == request.has("inputs")) {
      error(ctx, 400, "Missing 'inputs' or 'instances' key" + (rows ? ": only one of them"
          + " may be given" : ""));
      return;
    }
    String signature = request.path("signature_name").asText(SavedModel.DEFAULT_SIGNATURE);
    try {
      model.with(version, sm -> predict(sm, signature, request, rows)).ifPresentOrElse(ctx::json,
          () -> error(ctx, 404, "Servable not found for request: Specific(" + model.name()
              + ", " + version + ")"));
    } catch (IllegalArgumentException e) {
      error(ctx, 400, e.getMessage());
    }
  }

  private JsonNode predict(SavedModel sm, String signatureName, JsonNode request,
      boolean rows) {
    if (!sm.signatureNames().contains(signatureName)) {
      throw new IllegalArgumentException("Serving signature name: \"" + signatureName
          + "\" not found in signature def");
    }
    SignatureInfo sig = sm.signature(signatureName);
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
    Map<String, NdArray<?>> outputs = sm.run(signatureName, inputs);
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

  private Matcher match(Context ctx) {
    Matcher m = PATH.matcher(ctx.path());
    return m.matches() ? m : null;
  }

  /** The version in the URL; null if it names none. Call after {@link #servable}. */
  private static Long version(Matcher m) {
    return m.group(2) == null ? null : ModelVersions.parse(m.group(2)).getAsLong();
  }

  private boolean servable(Context ctx, Matcher m) {
    String name = m.group(1);
    if (m.group(2) != null && ModelVersions.parse(m.group(2)).isEmpty()) {
      // All digits, yet more than a long holds: TF Serving's answer.
      error(ctx, 400, "Failed to convert version: " + m.group(2) + " to numeric.");
      return false;
    }
    Long version = version(m);
    if (!name.equals(model.name())) {
      error(ctx, 404, "Servable not found for request: Latest(" + name + ")");
      return false;
    }
    if (version != null && version != model.version()) {
      error(ctx, 404, "Servable not found for request: Specific(" + name + ", " + version
          + ")");
      return false;
    }
    return true;
  }

  private static void error(Context ctx, int status, String message) {
    ctx.status(status).json(Map.of("error", message == null ? "" : message));
  }

  /** Stops accepting requests, lets running ones finish (up to 5 s), then stops. */
  @Override
  public void close() {
    app.stop();
  }
}
