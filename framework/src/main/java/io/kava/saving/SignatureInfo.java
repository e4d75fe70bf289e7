package io.kava.saving;

import java.util.Map;

/**
 * A SavedModel signature: its inputs and outputs by key, and its method name
 * ({@code tensorflow/serving/predict}, {@code .../classify}, {@code .../regress}).
 *
 * <pre>{@code
 * jshell> SavedModel.load(Path.of("half_plus_two")).signature("serving_default")
 * $1 ==> serving_default(x) -> (y) [tensorflow/serving/predict]
 * }</pre>
 */
public record SignatureInfo(String name, Map<String, TensorSpec> inputs,
    Map<String, TensorSpec> outputs, String methodName) {

  @Override
  public String toString() {
    return name + "(" + String.join(", ", inputs.keySet()) + ") -> ("
        + String.join(", ", outputs.keySet()) + ") [" + methodName + "]";
  }
}
