package io.kava;

import io.kava.internal.Checks;
import io.kava.layers.Layer;
import io.kava.layers.WeightSpec;
import java.util.List;
import java.util.Locale;
import org.tensorflow.ndarray.Shape;

/** Keras's {@code model.summary()} table. */
final class Summary {
  private Summary() {}

  static String of(String modelName, List<Layer> layers, List<String> names, Shape inputShape) {
    String[][] rows = new String[layers.size()][3];
    long total = 0;
    long trainable = 0;
    Shape shape = inputShape;
    for (int i = 0; i < layers.size(); i++) {
      Layer l = layers.get(i);
      rows[i][0] = names.get(i) + " (" + l.type() + ")";
      if (shape == null) {
        rows[i][1] = "?";
        rows[i][2] = "0 (unbuilt)";
        continue;
      }
      long params = 0;
      for (WeightSpec w : l.weights(shape)) {
        params += w.size();
        if (w.trainable()) {
          trainable += w.size();
        }
      }
      total += params;
      shape = l.outputShape(shape);
      rows[i][1] = Checks.batchShape(shape);
      rows[i][2] = Long.toString(params);
    }
    int c0 = 29;
    int c1 = 26;
    for (String[] r : rows) {
      c0 = Math.max(c0, r[0].length() + 2);
      c1 = Math.max(c1, r[1].length() + 2);
    }
    int width = c0 + c1 + 10;
    StringBuilder b = new StringBuilder();
    b.append("Model: \"").append(modelName).append("\"\n");
    b.append("_".repeat(width)).append('\n');
    b.append(row(c0, c1, "Layer (type)", "Output Shape", "Param #"));
    b.append("=".repeat(width)).append('\n');
    for (int i = 0; i < rows.length; i++) {
      b.append(row(c0, c1, rows[i][0], rows[i][1], rows[i][2]));
      if (i < rows.length - 1) {
        b.append(" ".repeat(width)).append('\n');
      }
    }
    b.append("=".repeat(width)).append('\n');
    // Locale.ROOT: "54,410" as Keras prints it, whatever the machine's locale.
    b.append("Total params: ").append(String.format(Locale.ROOT, "%,d", total)).append('\n');
    b.append("Trainable params: ").append(String.format(Locale.ROOT, "%,d", trainable))
        .append('\n');
    b.append("Non-trainable params: ")
        .append(String.format(Locale.ROOT, "%,d", total - trainable)).append('\n');
    b.append("_".repeat(width)).append('\n');
    return b.toString();
  }

  private static String row(int c0, int c1, String a, String b, String c) {
    return String.format(" %-" + (c0 - 1) + "s%-" + c1 + "s%-10s", a, b, c).stripTrailing()
        + "\n";
  }
}
