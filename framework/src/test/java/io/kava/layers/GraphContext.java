package io.kava.layers;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * A bare {@link LayerContext} over a graph of its own, for tests that call a layer directly:
 * on the training or the inference path, with a fixed random seed, and no weights. Lets a
 * test see exactly what a layer does on the training path and which ops it adds.
 */
final class GraphContext implements LayerContext, AutoCloseable {
  private final Graph graph = new Graph();
  private final Ops tf = Ops.create(graph);
  private final boolean training;
  private final long[] seed;

  GraphContext(boolean training, long... seed) {
    this.training = training;
    this.seed = seed.length == 0 ? new long[] {1, 2} : seed;
  }

  /** Runs {@code layer} on {@code x} (batch included) and returns its output. */
  static FloatNdArray run(Layer layer, boolean training, FloatNdArray x, long... seed) {
    try (GraphContext ctx = new GraphContext(training, seed)) {
      return ctx.call(layer, x);
    }
  }

  FloatNdArray call(Layer layer, FloatNdArray x) {
    Operand<TFloat32> out = layer.call(this, tf.constant(x));
    try (Session s = new Session(graph); var r = s.runner().fetch(out).run()) {
      TFloat32 t = (TFloat32) r.get(0);
      FloatNdArray copy = NdArrays.ofFloats(t.shape());
      t.copyTo(copy);
      return copy;
    }
  }

  /** The types of the ops in the graph ({@code Relu6}, {@code ImageProjectiveTransformV3}). */
  List<String> opTypes() {
    List<String> types = new ArrayList<>();
    graph.operations().forEachRemaining(o -> types.add(o.type()));
    return types;
  }

  @Override
  public Ops tf() {
    return tf;
  }

  @Override
  public boolean training() {
    return training;
  }

  @Override
  public Operand<TFloat32> weight(String name) {
    throw new IllegalStateException("GraphContext has no weights; asked for " + name);
  }

  @Override
  public Variable<TFloat32> variable(String name) {
    throw new IllegalStateException("GraphContext has no weights; asked for " + name);
  }

  @Override
  public void addUpdate(Op update) {
    throw new IllegalStateException("GraphContext takes no updates");
  }

  @Override
  public Operand<TInt64> randomSeed() {
    return tf.constant(seed);
  }

  @Override
  public Operand<TFloat32> activate(Activation activation, Operand<TFloat32> preActivation) {
    return activation.apply(tf, preActivation);
  }

  @Override
  public void close() {
    graph.close();
  }
}
