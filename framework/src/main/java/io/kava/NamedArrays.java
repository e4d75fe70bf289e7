package io.kava;

import java.util.List;
import java.util.Map;
import org.tensorflow.ndarray.FloatNdArray;

/** Data given either as one array or as arrays keyed by input or output name. */
record NamedArrays(FloatNdArray single, Map<String, FloatNdArray> named) {

  static NamedArrays of(FloatNdArray a) {
    return new NamedArrays(a, null);
  }

  static NamedArrays of(Map<String, FloatNdArray> m) {
    return new NamedArrays(null, Map.copyOf(m));
  }

  /** The arrays in the order of {@code names}, checked as the model's {@code what}. */
  List<FloatNdArray> arrays(String model, String what, List<String> names) {
    if (named != null) {
      return ModelInputs.byName(model, what, named, names);
    }
    if (names.size() != 1) {
      throw new IllegalArgumentException(model + ": validation " + what + " must be a map keyed"
          + " by " + names + "; got one array.");
    }
    return List.of(single);
  }
}
