package io.kava.saving;

import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.DataType;

/**
 * One input or output of a SavedModel signature, as {@code saved_model_cli show} lists it.
 *
 * @param key the signature's key for it ({@code x})
 * @param dtype TensorFlow's data type ({@code DT_FLOAT})
 * @param shape the shape, -1 for unknown dimensions; {@link Shape#unknown()} if not even the
 *     rank is known
 * @param tensorName the graph tensor behind it ({@code x:0})
 *
 * <pre>{@code
 * jshell> sm.signature("serving_default").inputs().get("x")
 * $1 ==> x: DT_FLOAT (-1, 1) (x:0)
 * }</pre>
 */
public record TensorSpec(String key, DataType dtype, Shape shape, String tensorName) {

  /** The shape as {@code saved_model_cli} prints it: {@code (-1, 784)}, {@code unknown_rank}. */
  public String shapeText() {
    if (shape.isUnknown()) {
      return "unknown_rank";
    }
    long[] d = shape.asArray();
    if (d.length == 1) {
      return "(" + d[0] + ")";
    }
    String a = java.util.Arrays.toString(d);
    return "(" + a.substring(1, a.length() - 1) + ")";
  }

  @Override
  public String toString() {
    return key + ": " + dtype + " " + shapeText() + " (" + tensorName + ")";
  }
}
