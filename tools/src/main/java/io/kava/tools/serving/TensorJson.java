package io.kava.tools.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.kava.saving.TensorSpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.IntFunction;
import org.tensorflow.ndarray.DoubleNdArray;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.IntNdArray;
import org.tensorflow.ndarray.LongNdArray;
import org.tensorflow.ndarray.NdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;

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
    int size = leaves.size();
    switch (spec.dtype()) {
      case DT_FLOAT -> {
        float[] a = new float[size];
        for (int i = 0; i < size; i++) {
          a[i] = number(leaves.get(i), spec).floatValue();
        }
        return NdArrays.wrap(shape, DataBuffers.of(a, false, false));
      }
      case DT_DOUBLE -> {
        double[] a = new double[size];
        for (int i = 0; i < size; i++) {
          a[i] = number(leaves.get(i), spec).doubleValue();
        }
        return NdArrays.wrap(shape, DataBuffers.of(a, false, false));
      }
      case DT_INT32 -> {
        int[] a = new int[size];
        for (int i = 0; i < size; i++) {
          a[i] = integer(leaves.get(i), spec).intValue();
        }
        return NdArrays.wrap(shape, DataBuffers.of(a, false, false));
      }
      case DT_INT64 -> {
        long[] a = new long[size];
        for (int i = 0; i < size; i++) {
          a[i] = integer(leaves.get(i), spec).longValue();
        }
        return NdArrays.wrap(shape, DataBuffers.of(a, false, false));
      }
      case DT_STRING -> {
        byte[][] a = new byte[size][];
        for (int i = 0; i < size; i++) {
          a[i] = bytes(leaves.get(i), spec);
        }
        return NdArrays.wrap(shape, DataBuffers.ofObjects(a));
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
    return nest(a.shape(), 0, new int[1], leaves(a));
  }

  /** Row {@code i} of a result tensor. */
  static JsonNode row(NdArray<?> a, long i) {
    return toJson(a.get(i));
  }

  /** The JSON value of each element of {@code a}, by its row-major index. */
  private static IntFunction<JsonNode> leaves(NdArray<?> a) {
    int n = Math.toIntExact(a.size());
    if (a instanceof FloatNdArray f) {
      float[] v = new float[n];
      f.copyTo(DataBuffers.of(v, false, false));
      return i -> leaf(v[i]);
    }
    if (a instanceof DoubleNdArray d) {
      double[] v = new double[n];
      d.copyTo(DataBuffers.of(v, false, false));
      return i -> JSON.numberNode(v[i]);
    }
    if (a instanceof IntNdArray d) {
      int[] v = new int[n];
      d.copyTo(DataBuffers.of(v, false, false));
      return i -> JSON.numberNode(v[i]);
    }
    if (a instanceof LongNdArray d) {
      long[] v = new long[n];
      d.copyTo(DataBuffers.of(v, false, false));
      return i -> JSON.numberNode(v[i]);
    }
    Object[] v = new Object[n];
    @SuppressWarnings("unchecked")
    NdArray<Object> objects = (NdArray<Object>) a;
    objects.copyTo(DataBuffers.ofObjects(v));
    return i -> leaf(v[i]);
  }

  private static JsonNode nest(Shape shape, int depth, int[] next, IntFunction<JsonNode> leaf) {
    if (depth == shape.numDimensions()) {
      return leaf.apply(next[0]++);
    }
    ArrayNode list = JSON.arrayNode();
    for (long i = 0; i < shape.get(depth); i++) {
      list.add(nest(shape, depth + 1, next, leaf));
    }
    return list;
  }

  private static JsonNode leaf(float f) {
    return Float.isNaN(f) || Float.isInfinite(f) ? JSON.textNode(Float.toString(f))
        : JSON.numberNode(f);
  }

  private static JsonNode leaf(Object v) {
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
