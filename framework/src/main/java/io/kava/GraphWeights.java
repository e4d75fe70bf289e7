package io.kava;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/** Reads and writes the weights of a model's graph, in model order, with one run each. */
final class GraphWeights {
  private final Session session;
  private final List<ModelGraph.Weight> weights;

  GraphWeights(Session session, List<ModelGraph.Weight> weights) {
    this.session = session;
    this.weights = List.copyOf(weights);
  }

  List<ModelGraph.Weight> list() {
    return weights;
  }

  /** Sets every weight to fresh values from its initializer, drawn from {@code seed}. */
  void draw(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<float[]> values = new ArrayList<>(weights.size());
    for (ModelGraph.Weight w : weights) {
      values.add(w.spec().initializer().values(w.spec().shape(), random));
    }
    set(values);
  }

  /** Sets every weight from row-major values of its shape. */
  void set(List<float[]> values) {
    if (weights.isEmpty()) {
      return; // a run with no targets is an error in TF
    }
    Session.Runner r = session.runner();
    List<TFloat32> fed = new ArrayList<>(values.size());
    try {
      for (int i = 0; i < weights.size(); i++) {
        ModelGraph.Weight w = weights.get(i);
        TFloat32 t = TFloat32.tensorOf(w.spec().shape(), DataBuffers.of(values.get(i), true,
            false));
        fed.add(t);
        r.feed(w.value(), t).addTarget(w.assign());
      }
      r.run().close();
    } finally {
      fed.forEach(TFloat32::close);
    }
  }

  /** Sets the weights named in {@code byPath} ({@code layer/weight}); the others keep theirs. */
  void set(Map<String, float[]> byPath) {
    List<float[]> values = get();
    for (int i = 0; i < weights.size(); i++) {
      float[] v = byPath.get(weights.get(i).path());
      if (v != null) {
        values.set(i, v);
      }
    }
    set(values);
  }

  /** Every weight's values, row-major. */
  List<float[]> get() {
    if (weights.isEmpty()) {
      return new ArrayList<>();
    }
    Session.Runner r = session.runner();
    weights.forEach(w -> r.fetch(w.variable()));
    try (Result res = r.run()) {
      List<float[]> out = new ArrayList<>(weights.size());
      for (int i = 0; i < weights.size(); i++) {
        TFloat32 t = (TFloat32) res.get(i);
        float[] v = new float[Math.toIntExact(t.shape().size())];
        t.copyTo(DataBuffers.of(v, false, false));
        out.add(v);
      }
      return out;
    }
  }

  /** Every weight's values, one after the other in model order. */
  float[] flat() {
    List<float[]> values = get();
    float[] all = new float[values.stream().mapToInt(v -> v.length).sum()];
    int at = 0;
    for (float[] v : values) {
      System.arraycopy(v, 0, all, at, v.length);
      at += v.length;
    }
    return all;
  }

  /** Sets every weight from what {@link #flat()} returned. */
  void setFlat(float[] all) {
    List<float[]> values = new ArrayList<>(weights.size());
    int at = 0;
    for (ModelGraph.Weight w : weights) {
      int n = Math.toIntExact(w.spec().shape().size());
      values.add(java.util.Arrays.copyOfRange(all, at, at + n));
      at += n;
    }
    set(values);
  }

  /** Copies of the weights as arrays of their shapes. */
  List<FloatNdArray> arrays() {
    List<float[]> values = get();
    List<FloatNdArray> out = new ArrayList<>(values.size());
    for (int i = 0; i < values.size(); i++) {
      out.add(NdArrays.wrap(weights.get(i).spec().shape(),
          DataBuffers.of(values.get(i), false, false)));
    }
    return out;
  }

  /** Sets every weight from arrays, checked against the weights' count and shapes. */
  void setArrays(String subject, List<FloatNdArray> values) {
    if (values.size() != weights.size()) {
      throw new IllegalArgumentException(subject + ": setWeights needs " + weights.size()
          + " arrays; got " + values.size() + ".");
    }
    List<float[]> flat = new ArrayList<>(values.size());
    for (int i = 0; i < values.size(); i++) {
      Shape want = weights.get(i).spec().shape();
      if (!values.get(i).shape().equals(want)) {
        throw new IllegalArgumentException(subject + ": weight '" + weights.get(i).path()
            + "' must have shape " + want + "; got " + values.get(i).shape() + ".");
      }
      flat.add(Data.flatten(values.get(i)));
    }
    set(flat);
  }
}
