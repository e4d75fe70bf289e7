package io.kava;

import io.kava.internal.Checks;
import io.kava.layers.Layer;
import io.kava.layers.WeightSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.tensorflow.ndarray.Shape;

/** Keras's {@code model.summary()} tables: Sequential's and the functional one. */
final class Summary {
  private Summary() {}

  /** {@code policy} is {@link #policy}'s line, or null for none. */
  static String of(String modelName, List<Layer> layers, List<String> names, Shape inputShape,
      String policy) {
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
    return b.append(totals(total, trainable, width, policy)).toString();
  }

  /**
   * Keras's functional table: a row per layer (inputs first) with its output shape, its
   * parameters and the nodes it reads ({@code conv2d[0][0]}); a shared layer lists each use.
   */
  static String of(String modelName, Topology t) {
    List<String[]> rows = new ArrayList<>();
    int inputs = t.inputs().size();
    for (int i = 0; i < inputs; i++) {
      rows.add(new String[] {t.inputNames().get(i) + " (InputLayer)",
          Checks.batchShape(t.nodeShape(i)), "0", "-"});
    }
    long total = 0;
    long trainable = 0;
    List<Topology.Step> steps = t.steps();
    for (int l = 0; l < t.layers().size(); l++) {
      long params = 0;
      for (WeightSpec w : t.weights(l)) {
        params += w.size();
        trainable += w.trainable() ? w.size() : 0;
      }
      total += params;
      List<String> uses = new ArrayList<>();
      Shape shape = null;
      for (int s = 0; s < steps.size(); s++) {
        if (steps.get(s).layer() == l) {
          shape = shape == null ? t.nodeShape(inputs + s) : shape;
          uses.add(java.util.Arrays.stream(steps.get(s).inputs()).mapToObj(t::reference)
              .collect(java.util.stream.Collectors.joining(", ")));
        }
      }
      rows.add(new String[] {t.layerNames().get(l) + " (" + t.layers().get(l).type() + ")",
          Checks.batchShape(shape), Long.toString(params), String.join("\n", uses)});
    }
    int c0 = 29;
    int c1 = 26;
    for (String[] r : rows) {
      c0 = Math.max(c0, r[0].length() + 2);
      c1 = Math.max(c1, r[1].length() + 2);
    }
    int c2 = 12;
    int width = c0 + c1 + c2 + 30;
    StringBuilder b = new StringBuilder();
    b.append("Model: \"").append(modelName).append("\"\n");
    b.append("_".repeat(width)).append('\n');
    b.append(row4(c0, c1, c2, "Layer (type)", "Output Shape", "Param #", "Connected to"));
    b.append("=".repeat(width)).append('\n');
    for (int i = 0; i < rows.size(); i++) {
      String[] r = rows.get(i);
      String[] links = r[3].split("\n");
      b.append(row4(c0, c1, c2, r[0], r[1], r[2], links[0]));
      for (int k = 1; k < links.length; k++) {
        b.append(row4(c0, c1, c2, "", "", "", links[k]));
      }
      if (i < rows.size() - 1) {
        b.append('\n');
      }
    }
    b.append("=".repeat(width)).append('\n');
    return b.append(totals(total, trainable, width, policy(t))).toString();
  }

  private static String totals(long total, long trainable, int width, String policy) {
    // Locale.ROOT: "54,410" as Keras prints it, whatever the machine's locale.
    return "Total params: " + String.format(Locale.ROOT, "%,d", total) + "\n"
        + "Trainable params: " + String.format(Locale.ROOT, "%,d", trainable) + "\n"
        + "Non-trainable params: " + String.format(Locale.ROOT, "%,d", total - trainable)
        + "\n" + (policy == null ? "" : "DType policy: " + policy + "\n")
        + "_".repeat(width) + "\n";
  }

  /**
   * {@code mixed_bfloat16}, with the layers whose policy differs in parentheses; null for an
   * all-float32 model, whose table stays exactly Keras's.
   */
  static String policy(Topology t) {
    List<String> own = new ArrayList<>();
    for (int l = 0; l < t.layers().size(); l++) {
      if (t.policy(l) != t.policy()) {
        own.add(t.layerNames().get(l) + ": " + t.policy(l).name());
      }
    }
    if (!t.mixed() && own.isEmpty()) {
      return null;
    }
    return t.policy().name() + (own.isEmpty() ? "" : " (" + String.join(", ", own) + ")");
  }

  private static String row4(int c0, int c1, int c2, String a, String b, String c, String d) {
    return String.format(" %-" + (c0 - 1) + "s%-" + c1 + "s%-" + c2 + "s%s", a, b, c, d)
        .stripTrailing() + "\n";
  }

  private static String row(int c0, int c1, String a, String b, String c) {
    return String.format(" %-" + (c0 - 1) + "s%-" + c1 + "s%-10s", a, b, c).stripTrailing()
        + "\n";
  }
}
