package io.kava;

import io.kava.internal.Checks;
import io.kava.losses.Loss;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.Shape;

/**
 * Checks the arrays given to {@code fit}, {@code evaluate} and {@code predict} against a model
 * (names, sample counts, shapes, label values, NaN) and lines them up with its inputs and
 * outputs, so the loops trust them. Messages name the model, the call and, for models with
 * several inputs or outputs, the key.
 */
final class ModelInputs {
  private final String model;
  private final Topology topology;

  ModelInputs(String model, Topology topology) {
    this.model = model;
    this.topology = topology;
  }

  /** {@code map}'s arrays in the order of {@code names}; every name present, no others. */
  static List<FloatNdArray> byName(String model, String what, Map<String, FloatNdArray> map,
      List<String> names) {
    Checks.notNull(model, what, map);
    for (String k : map.keySet()) {
      if (!names.contains(k)) {
        throw new IllegalArgumentException(model + ": " + what + " keys must be the model's "
            + (what.equals("x") ? "input" : "output") + " names " + names + "; got '" + k
            + "'.");
      }
    }
    List<FloatNdArray> out = new ArrayList<>(names.size());
    for (String n : names) {
      FloatNdArray a = map.get(n);
      if (a == null) {
        throw new IllegalArgumentException(model + ": " + what + " must hold an array for '" + n
            + "' (keys " + names + "); got keys " + map.keySet() + ".");
      }
      out.add(a);
    }
    return out;
  }

  /** Checks x's arrays against the inputs; returns the sample count. */
  long checkX(String call, List<FloatNdArray> xs, boolean allowEmpty) {
    long n = -1;
    for (int i = 0; i < xs.size(); i++) {
      FloatNdArray x = xs.get(i);
      String label = label("x", topology.inputNames(), i);
      Checks.notNull(model, call + " " + label, x);
      Shape want = topology.nodeShape(i);
      if (x.rank() < 2 || !Data.sampleShape(x).equals(want)) {
        throw new IllegalArgumentException(model + ": " + label + " must have shape "
            + Checks.batchShape(want) + "; got " + x.shape() + ".");
      }
      long rows = x.shape().get(0);
      if (n >= 0 && rows != n) {
        throw new IllegalArgumentException(model + ": " + call + " inputs must hold the same"
            + " number of samples; got " + n + " and " + rows + " (" + label + ").");
      }
      n = rows;
    }
    if (n == 0 && !allowEmpty) {
      throw new IllegalArgumentException(model + ": " + call + " data must hold at least one"
          + " sample; got an empty x " + xs.get(0).shape() + ".");
    }
    for (int i = 0; i < xs.size(); i++) {
      long bad = Data.firstNonFinite(xs.get(i));
      if (bad >= 0) {
        throw new IllegalArgumentException(model + ": " + call + " "
            + label("x", topology.inputNames(), i) + " must be finite; got NaN or infinity in"
            + " sample " + bad + ".");
      }
    }
    return n;
  }

  /** Checks labels against the outputs and losses for {@code n} samples. */
  void checkY(String call, List<FloatNdArray> ys, long n, CompileSpec spec,
      List<FloatNdArray> xs) {
    for (int o = 0; o < ys.size(); o++) {
      FloatNdArray y = ys.get(o);
      String label = label("y", topology.outputNames(), o);
      Checks.notNull(model, call + " " + label, y);
      if (y.rank() == 0 || y.shape().get(0) != n) {
        throw new IllegalArgumentException(model + ": " + call + " x and " + label + " must"
            + " hold the same number of samples; got x " + xs.get(0).shape() + " and " + label
            + " " + y.shape() + ".");
      }
      Shape out = topology.outputShape(o);
      Loss loss = spec.losses().get(o);
      Shape want = loss.labelShape(out);
      if (!Data.compatible(Data.sampleShape(y), want)) {
        throw new IllegalArgumentException(model + ": " + call + " " + label + " must have"
            + " shape " + Checks.batchShape(want) + " for " + loss + " on an output of shape "
            + Checks.batchShape(out) + "; got " + y.shape() + "." + labelHint(want, y));
      }
      loss.checkLabels(y, out);
      long bad = Data.firstNonFinite(y);
      if (bad >= 0) {
        throw new IllegalArgumentException(model + ": " + call + " " + label + " must be"
            + " finite; got NaN or infinity in sample " + bad + ".");
      }
    }
  }

  /** {@code x} for a one-input model, {@code x 'image'} otherwise. */
  private static String label(String what, List<String> names, int i) {
    return names.size() == 1 ? what : what + " '" + names.get(i) + "'";
  }

  private static String labelHint(Shape want, FloatNdArray y) {
    if (want.numDimensions() == 1 && want.get(0) > 1 && y.rank() == 1) {
      return " Class indices need SparseCategoricalCrossentropy, or one-hot encode them.";
    }
    return "";
  }

  /** The per-sample label shapes of the outputs under {@code spec}'s losses. */
  List<Shape> labelShapes(CompileSpec spec) {
    List<Shape> shapes = new ArrayList<>();
    for (int o = 0; o < topology.outputs().size(); o++) {
      shapes.add(spec.losses().get(o).labelShape(topology.outputShape(o)));
    }
    return shapes;
  }

  /** The per-sample input shapes. */
  List<Shape> inputShapes() {
    List<Shape> shapes = new ArrayList<>();
    for (int i = 0; i < topology.inputs().size(); i++) {
      shapes.add(topology.nodeShape(i));
    }
    return shapes;
  }
}
