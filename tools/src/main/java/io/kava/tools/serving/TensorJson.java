package io.kava.tools.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.kava.saving.TensorSpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.tensorflow.ndarray.DoubleNdArray;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.IntNdArray;
import org.tensorflow.ndarray.LongNdArray;
import org.tensorflow.ndarray.NdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;

/**
 * TF Serving's JSON tensors: nested lists (rectangular), numbers for numeric dtypes, strings
 * or {@code {"b64": "..."}} for DT_STRING; and back.
 */
final class TensorJson {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private TensorJson() {}

  /** A request value as a tensor of {@code spec}'s dtype; the message names {@code key}. */
  static NdArray<?> toArray(JsonNode value, TensorSpec spec) {
    List<Long> dims = new ArrayList<>();
    JsonNode n = value;
    while (n.isArray()) {
      if (n.isEmpty()) {
        throw bad("input '" + spec.key() + "' must not hold an empty list");
      }
      dims.add((long) n.size());
      n = n.get(0);
    }
    Shape shape = Shape.of(dims.stream().mapToLong(Long::longValue).toArray());
    List<JsonNode> leaves = new ArrayList<>();
    flatten(value, 0, dims, leaves, spec.key());
    switch (spec.dtype()) {
      case DT_FLOAT -> {
        FloatNdArray a = NdArrays.ofFloats(shape);
        int[] i = {0};
        a.scalars().forEach(s -> s.setFloat(number(leaves.get(i[0]++), spec).floatValue()));
        return a;
      }
      case DT_DOUBLE -> {
        DoubleNdArray a = NdArrays.ofDoubles(shape);
        int[] i = {0};
        a.scalars().forEach(s -> s.setDouble(number(leaves.get(i[0]++), spec).doubleValue()));
        return a;
      }
      case DT_INT32 -> {
        IntNdArray a = NdArrays.ofInts(shape);
        int[] i = {0};
        a.scalars().forEach(s -> s.setInt(integer(leaves.get(i[0]++), spec).intValue()));
        return a;
      }
      case DT_INT64 -> {
        LongNdArray a = NdArrays.ofLongs(shape);
        int[] i = {0};
        a.scalars().forEach(s -> s.setLong(integer(leaves.get(i[0]++), spec).longValue()));
        return a;
      }
      case DT_STRING -> {
        NdArray<byte[]> a = NdArrays.ofObjects(byte[].class, shape);
        int[] i = {0};
        a.scalars().forEach(s -> s.setObject(bytes(leaves.get(i[0]++), spec)));
        return a;
      }
      default -> throw bad("input '" + spec.key() + "' has dtype " + spec.dtype()
          + ", which this server does not accept over JSON");
    }
  }

  private static void flatten(JsonNode n, int depth, List<Long> dims, List<JsonNode> out,
      String key) {
    if (depth == dims.size()) {
      if (n.isArray()) {
        throw bad("input '" + key + "' must be a rectangular list; a list is nested deeper"
            + " than its first element");
      }
      out.add(n);
      return;
    }
    if (!n.isArray() || n.size() != dims.get(depth)) {
      throw bad("input '" + key + "' must be a rectangular list; dimension " + depth
          + " has lengths " + dims.get(depth) + " and " + (n.isArray() ? n.size() : "a scalar"));
    }
    for (JsonNode c : n) {
      flatten(c, depth + 1, dims, out, key);
    }
  }

  private static Number number(JsonNode leaf, TensorSpec spec) {
    if (!leaf.isNumber()) {
      throw bad("input '" + spec.key() + "' must hold numbers (" + spec.dtype() + "); got "
          + leaf);
    }
    return leaf.numberValue();
  }

  private static Number integer(JsonNode leaf, TensorSpec spec) {
    if (!leaf.isIntegralNumber()) {
      throw bad("input '" + spec.key() + "' must hold integers (" + spec.dtype() + "); got "
          + leaf);
    }
    return leaf.numberValue();
  }

  private static byte[] bytes(JsonNode leaf, TensorSpec spec) {
    if (leaf.isTextual()) {
      return leaf.asText().getBytes(StandardCharsets.UTF_8);
    }
    if (leaf.isObject() && leaf.has("b64")) {
      try {
        return Base64.getDecoder().decode(leaf.get("b64").asText());
      } catch (IllegalArgumentException e) {
        throw bad("input '" + spec.key() + "' has invalid base64: " + e.getMessage());
      }
    }
    throw bad("input '" + spec.key() + "' must hold strings or {\"b64\": ...}; got " + leaf);
  }

  /** A result tensor as nested JSON lists. */
  static JsonNode toJson(NdArray<?> a) {
    if (a.rank() == 0) {
      return leaf(a.getObject());
    }
    ArrayNode list = JSON.arrayNode();
    for (long i = 0; i < a.shape().get(0); i++) {
      list.add(toJson(a.get(i)));
    }
    return list;
  }

  /** Row {@code i} of a result tensor. */
  static JsonNode row(NdArray<?> a, long i) {
    return toJson(a.get(i));
  }

  private static JsonNode leaf(Object v) {
    if (v instanceof Float f) {
      return f.isNaN() || f.isInfinite() ? JSON.textNode(f.toString()) : JSON.numberNode(f);
    }
    if (v instanceof Double d) {
      return JSON.numberNode(d);
    }
    if (v instanceof Integer i) {
      return JSON.numberNode(i);
    }
    if (v instanceof Long l) {
      return JSON.numberNode(l);
    }
    if (v instanceof byte[] b) {
      String s = new String(b, StandardCharsets.UTF_8);
      return s.getBytes(StandardCharsets.UTF_8).length == b.length && s.chars().noneMatch(
          c -> c == 0xFFFD) ? JSON.textNode(s) : JSON.objectNode().put("b64",
          Base64.getEncoder().encodeToString(b));
    }
    return JSON.textNode(String.valueOf(v));
  }

  static IllegalArgumentException bad(String what) {
    return new IllegalArgumentException(what + ".");
  }
}
