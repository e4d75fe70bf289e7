package io.kava.saving;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Output;
import org.tensorflow.proto.DataType;

/**
 * A signature checked against the loaded graph, with its graph tensors resolved once so that a
 * call feeds and fetches them without parsing names again. {@link #bind} is where a signature
 * that does not match its graph is found: TF Serving serves the rest of such a model, and so
 * does {@link SavedModel}.
 */
record BoundSignature(SignatureInfo info, List<TensorSpec> inputs, List<Output<?>> feeds,
    List<TensorSpec> outputs, List<Output<?>> fetches) {

  /** The {@code ref} dtypes (DT_FLOAT_REF = 101) are their base dtype plus this. */
  private static final int REF_OFFSET = 100;

  /**
   * Resolves every input and output of {@code info} in {@code graph}.
   *
   * @throws IllegalArgumentException naming the first input or output that does not match the
   *     graph, and how: a malformed tensor name, a missing operation, an output index out of
   *     range or a dtype that differs from the graph's
   */
  static BoundSignature bind(SignatureInfo info, Graph graph) {
    List<TensorSpec> inputs = new ArrayList<>(info.inputs().values());
    List<TensorSpec> outputs = new ArrayList<>(info.outputs().values());
    List<Output<?>> feeds = new ArrayList<>();
    for (TensorSpec s : inputs) {
      feeds.add(resolve(s, "input", graph));
    }
    List<Output<?>> fetches = new ArrayList<>();
    for (TensorSpec s : outputs) {
      fetches.add(resolve(s, "output", graph));
    }
    return new BoundSignature(info, List.copyOf(inputs), List.copyOf(feeds),
        List.copyOf(outputs), List.copyOf(fetches));
  }

  private static Output<?> resolve(TensorSpec spec, String role, Graph graph) {
    String where = role + " '" + spec.key() + "'";
    String name = spec.tensorName();
    if (name.isEmpty()) {
      throw new IllegalArgumentException(where + " has no tensor name (a sparse or composite"
          + " encoding, which Kava cannot feed or fetch)");
    }
    // Session.run reads "op" as "op:0", so a name without an index is valid, as in TensorFlow.
    int colon = name.lastIndexOf(':');
    String opName = colon < 0 ? name : name.substring(0, colon);
    int index = colon < 0 ? 0 : index(name.substring(colon + 1));
    if (opName.isEmpty() || index < 0) {
      throw new IllegalArgumentException(where + " has tensor name '" + name + "'; it must be"
          + " 'operation:index' (e.g. 'x:0')");
    }
    GraphOperation op = graph.operation(opName);
    if (op == null) {
      throw new IllegalArgumentException(where + " names tensor '" + name + "', but the graph"
          + " has no operation '" + opName + "'");
    }
    if (index >= op.numOutputs()) {
      throw new IllegalArgumentException(where + " names tensor '" + name + "', but operation '"
          + opName + "' (" + op.type() + ") has " + op.numOutputs() + " output"
          + (op.numOutputs() == 1 ? "" : "s"));
    }
    Output<?> out = op.output(index);
    DataType got = base(out.dataType());
    if (got != spec.dtype()) {
      throw new IllegalArgumentException(where + " declares dtype " + spec.dtype()
          + ", but tensor '" + name + "' is " + got + " in the graph");
    }
    return out;
  }

  private static int index(String digits) {
    if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return -1;
    }
    try {
      return Integer.parseInt(digits);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** A variable's output is DT_FLOAT_REF in a TF1 graph; fetching it yields DT_FLOAT. */
  private static DataType base(DataType t) {
    int n = t.getNumber();
    return n > REF_OFFSET ? DataType.forNumber(n - REF_OFFSET) : t;
  }
}
