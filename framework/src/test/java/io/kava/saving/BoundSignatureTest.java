package io.kava.saving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.nn.TopK;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;

/** Each way a signature can disagree with its graph, and what still binds. */
class BoundSignatureTest {
  private static Graph graph;

  @BeforeAll
  static void graph() {
    graph = new Graph();
    Ops tf = Ops.create(graph);
    var x = tf.withName("x").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 2)));
    tf.withName("y").identity(x);
    tf.withName("top").nn.topK(x, tf.constant(1), new TopK.Options[0]);
    tf.withName("w").variable(Shape.of(2), TFloat32.class);
    tf.withName("n").constant(3L);
  }

  @AfterAll
  static void close() {
    graph.close();
  }

  @Test
  void bindsNamesWithAndWithoutIndexAndVariables() {
    BoundSignature b = BoundSignature.bind(sig(spec("x", DataType.DT_FLOAT, "x:0")),
        graph);
    assertEquals("x", b.feeds().get(0).op().name());
    assertEquals(DataType.DT_INT32, BoundSignature.bind(sig(spec("x", DataType.DT_FLOAT, "x"),
        spec("i", DataType.DT_INT32, "top:1")), graph).fetches().get(0).dataType());
    // A TF1 variable's output is DT_FLOAT_REF; fetching it gives DT_FLOAT.
    assertEquals("w", BoundSignature.bind(sig(spec("x", DataType.DT_FLOAT, "x:0"),
        spec("w", DataType.DT_FLOAT, "w:0")), graph).fetches().get(0).op().name());
    assertEquals(DataType.DT_INT64, BoundSignature.bind(sig(spec("x", DataType.DT_FLOAT, "x"),
        spec("n", DataType.DT_INT64, "n:0")), graph).fetches().get(0).dataType());
  }

  @Test
  void namesTheFirstMismatch() {
    assertEquals("input 'x' names tensor 'nope:0', but the graph has no operation 'nope'",
        reason(spec("x", DataType.DT_FLOAT, "nope:0")));
    assertEquals("input 'x' declares dtype DT_DOUBLE, but tensor 'x:0' is DT_FLOAT in the"
        + " graph", reason(spec("x", DataType.DT_DOUBLE, "x:0")));
    assertEquals("output 'y' declares dtype DT_INT64, but tensor 'top:0' is DT_FLOAT in the"
        + " graph", reason(spec("x", DataType.DT_FLOAT, "x:0"),
            spec("y", DataType.DT_INT64, "top:0")));
    assertEquals("output 'y' names tensor 'top:2', but operation 'top' (TopKV2) has 2"
        + " outputs", reason(spec("x", DataType.DT_FLOAT, "x:0"),
            spec("y", DataType.DT_FLOAT, "top:2")));
    for (String bad : new String[] {"x:zero", "x:", ":0", "x:-1", "x:99999999999"}) {
      assertEquals("input 'x' has tensor name '" + bad + "'; it must be 'operation:index'"
          + " (e.g. 'x:0')", reason(spec("x", DataType.DT_FLOAT, bad)), bad);
    }
    assertEquals("input 'x' has no tensor name (a sparse or composite encoding, which Kava"
        + " cannot feed or fetch)", reason(spec("x", DataType.DT_FLOAT, "")));
  }

  private static String reason(TensorSpec in, TensorSpec... out) {
    return assertThrows(IllegalArgumentException.class,
        () -> BoundSignature.bind(sig(in, out), graph)).getMessage();
  }

  private static SignatureInfo sig(TensorSpec in, TensorSpec... out) {
    Map<String, TensorSpec> outs = new java.util.TreeMap<>();
    for (TensorSpec o : out) {
      outs.put(o.key(), o);
    }
    return new SignatureInfo("s", Map.of(in.key(), in), outs, "tensorflow/serving/predict");
  }

  private static TensorSpec spec(String key, DataType type, String name) {
    return new TensorSpec(key, type, Shape.unknown(), name);
  }
}
