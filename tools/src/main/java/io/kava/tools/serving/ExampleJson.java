package io.kava.tools.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.tensorflow.proto.BytesList;
import org.tensorflow.proto.Example;
import org.tensorflow.proto.Feature;
import org.tensorflow.proto.Features;
import org.tensorflow.proto.FloatList;
import org.tensorflow.proto.Int64List;
import org.tensorflow.proto.error.Code;
import tensorflow.serving.Classification.ClassificationResult;
import tensorflow.serving.Classification.Classifications;
import tensorflow.serving.InputOuterClass.ExampleList;
import tensorflow.serving.InputOuterClass.ExampleListWithContext;
import tensorflow.serving.InputOuterClass.Input;
import tensorflow.serving.RegressionOuterClass.RegressionResult;

/**
 * TF Serving's REST form of tf.Examples, for {@code :classify} and {@code :regress}:
 * {@code {"examples": [{"feature": value or list}, ...], "context": {...}}}, where integers
 * become an int64_list, other numbers a float_list, strings a bytes_list and
 * {@code {"b64": "..."}} bytes; and the results back as TF Serving writes them
 * ({@code {"result": [[["label", score], ...], ...]}} and {@code {"result": [value, ...]}}).
 */
final class ExampleJson {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private ExampleJson() {}

  /** The request's examples (and context) as a Classify / Regress input. */
  static Input input(JsonNode request) {
    JsonNode examples = request.get("examples");
    if (examples == null || !examples.isArray()) {
      throw bad("Missing 'examples' key, or it is not a list of objects (tf.Examples)");
    }
    if (examples.isEmpty()) {
      throw bad("'examples' is an empty list");
    }
    for (Map.Entry<String, JsonNode> property : request.properties()) {
      String key = property.getKey();
      if (!key.equals("examples") && !key.equals("context") && !key.equals("signature_name")) {
        throw bad("Unknown key '" + key + "': a classify or regress request has"
            + " 'signature_name', 'context' and 'examples'");
      }
    }
    ExampleList.Builder list = ExampleList.newBuilder();
    for (int i = 0; i < examples.size(); i++) {
      list.addExamples(example(examples.get(i), "examples[" + i + "]"));
    }
    JsonNode context = request.get("context");
    if (context == null) {
      return Input.newBuilder().setExampleList(list).build();
    }
    return Input.newBuilder().setExampleListWithContext(ExampleListWithContext.newBuilder()
        .addAllExamples(list.getExamplesList()).setContext(example(context, "context")))
        .build();
  }

  private static Example example(JsonNode json, String where) {
    if (!json.isObject()) {
      throw bad(where + " must be an object of features; got " + kind(json));
    }
    Features.Builder features = Features.newBuilder();
    json.properties().forEach(e -> features.putFeature(e.getKey(),
        feature(e.getValue(), where + "." + e.getKey())));
    return Example.newBuilder().setFeatures(features).build();
  }

  private static Feature feature(JsonNode value, String where) {
    ArrayNode values = value.isArray() ? (ArrayNode) value : JSON.arrayNode().add(value);
    if (values.isEmpty()) {
      throw bad("Feature " + where + " is an empty list: its type cannot be told; leave it"
          + " out instead");
    }
    boolean numbers = true;
    boolean integers = true;
    boolean bytes = true;
    for (JsonNode v : values) {
      numbers &= v.isNumber();
      integers &= v.isIntegralNumber() && v.canConvertToLong();
      bytes &= v.isTextual() || isB64(v);
    }
    if (integers) {
      Int64List.Builder list = Int64List.newBuilder();
      values.forEach(v -> list.addValue(v.asLong()));
      return Feature.newBuilder().setInt64List(list).build();
    }
    if (numbers) {
      FloatList.Builder list = FloatList.newBuilder();
      values.forEach(v -> list.addValue((float) v.asDouble()));
      return Feature.newBuilder().setFloatList(list).build();
    }
    if (bytes) {
      BytesList.Builder list = BytesList.newBuilder();
      for (JsonNode v : values) {
        list.addValue(v.isTextual() ? ByteString.copyFromUtf8(v.asText()) : b64(v, where));
      }
      return Feature.newBuilder().setBytesList(list).build();
    }
    throw bad("Feature " + where + " must hold numbers, or strings and {\"b64\": ...} values,"
        + " all of one kind; got " + value);
  }

  private static boolean isB64(JsonNode v) {
    return v.isObject() && v.size() == 1 && v.has("b64") && v.get("b64").isTextual();
  }

  private static ByteString b64(JsonNode v, String where) {
    try {
      return ByteString.copyFrom(Base64.getDecoder().decode(v.get("b64").asText()
          .getBytes(StandardCharsets.US_ASCII)));
    } catch (IllegalArgumentException e) {
      throw bad("Unable to base64 decode feature " + where + ": " + e.getMessage());
    }
  }

  private static String kind(JsonNode json) {
    return json.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
  }

  private static ServingException bad(String message) {
    return new ServingException(Code.INVALID_ARGUMENT, message);
  }

  /** {@code {"result": [[["label", score], ...], ...]}}, as TF Serving writes it. */
  static ObjectNode classification(ClassificationResult result) {
    ObjectNode root = JSON.objectNode();
    ArrayNode rows = root.putArray("result");
    for (Classifications c : result.getClassificationsList()) {
      ArrayNode row = rows.addArray();
      c.getClassesList().forEach(k -> row.addArray().add(k.getLabel()).add(k.getScore()));
    }
    return root;
  }

  /** {@code {"result": [value, ...]}}, as TF Serving writes it. */
  static ObjectNode regression(RegressionResult result) {
    ObjectNode root = JSON.objectNode();
    ArrayNode values = root.putArray("result");
    result.getRegressionsList().forEach(r -> values.add(r.getValue()));
    return root;
  }
}
