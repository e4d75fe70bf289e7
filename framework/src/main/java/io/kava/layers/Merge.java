package io.kava.layers;

import io.kava.internal.Checks;
import java.util.List;
import java.util.stream.Collectors;
import org.tensorflow.ndarray.Shape;

/** What the merge layers share: they take two or more inputs and say which shapes they got. */
final class Merge {
  private Merge() {}

  static void requireSeveral(String subject, List<Shape> shapes) {
    if (shapes.size() < 2) {
      throw Checks.invalid(subject, "number of inputs", ">= 2 (apply it to several nodes)",
          shapes.size(), null);
    }
  }

  /** Checks that there are two or more inputs, all of one shape, and returns that shape. */
  static Shape sameShapes(String subject, List<Shape> shapes) {
    requireSeveral(subject, shapes);
    for (Shape s : shapes) {
      if (!s.equals(shapes.get(0))) {
        throw new IllegalArgumentException(subject + ": inputs must all have the same shape;"
            + " got " + shapes(shapes) + ".");
      }
    }
    return shapes.get(0);
  }

  /** {@code (8, 8, 16), (8, 8, 32)}, for messages. */
  static String shapes(List<Shape> shapes) {
    return shapes.stream().map(Checks::shape).collect(Collectors.joining(", "));
  }

  static String oneInput(String type) {
    return oneInput(type, "a, b, ...");
  }

  /** The message for a merge called with one input; {@code args} shows how to apply it. */
  static String oneInput(String type, String args) {
    return type + " merges several inputs: use " + type + ".of().apply(" + args + ").";
  }
}
