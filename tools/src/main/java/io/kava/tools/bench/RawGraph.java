package io.kava.tools.bench;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * The baseline of the benchmark: a CNN written directly against TF-Java's raw ops, with no
 * Kava code, the way a TF-Java user would write it by hand. It starts from given weights
 * (Kava's, so both compute the same thing) and trains with Adam, SGD or RMSprop via TF's
 * Apply* ops, one {@code Session.run} per step.
 */
final class RawGraph implements AutoCloseable {

  /** One step of the hand-written network. */
  sealed interface Step permits Conv, Pool, Flatten, Dense, Drop {}

  record Conv(int filters, int kernel, boolean relu) implements Step {}

  record Pool(int size) implements Step {}

  record Flatten() implements Step {}

  /** {@code activation}: relu, softmax, sigmoid or linear. */
  record Dense(int units, String activation) implements Step {}

  record Drop(double rate) implements Step {}

  enum Opt { ADAM, SGD, RMSPROP }

  private final Graph graph = new Graph();
  private final Session session;
  private final Placeholder<TFloat32> x;
  private final Placeholder<TFloat32> y;
  private final Operand<TFloat32> loss;
  private final Operand<TFloat32> accuracy;
  private final Op train;

  RawGraph(Shape input, List<Step> steps, List<FloatNdArray> weights, Opt opt, double lr) {
    this(input, steps, weights, opt, lr, defaultConfig());
  }

  RawGraph(Shape input, List<Step> steps, List<FloatNdArray> weights, Opt opt, double lr,
      ConfigProto config) {
    Ops tf = Ops.create(graph);
    x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1).append(input)));
    List<Variable<TFloat32>> vars = new ArrayList<>();
    List<Op> inits = new ArrayList<>();
    int w = 0;
    Operand<TFloat32> h = x;
    Operand<TFloat32> logits = null;
    String last = "linear";
    Variable<TInt64> step = tf.variable(tf.constant(0L));
    for (int i = 0; i < steps.size(); i++) {
      Step s = steps.get(i);
      if (s instanceof Conv c) {
        Variable<TFloat32> k = tf.variable(tf.constant(weights.get(w++)));
        Variable<TFloat32> b = tf.variable(tf.constant(weights.get(w++)));
        vars.add(k);
        vars.add(b);
        h = tf.nn.biasAdd(tf.nn.conv2d(h, tf.identity(k), List.of(1L, 1L, 1L, 1L), "VALID"),
            tf.identity(b));
        h = c.relu() ? tf.nn.relu(h) : h;
      } else if (s instanceof Pool p) {
        h = tf.nn.maxPool(h, tf.constant(new int[] {1, p.size(), p.size(), 1}),
            tf.constant(new int[] {1, p.size(), p.size(), 1}), "VALID");
      } else if (s instanceof Flatten) {
        long n = 1;
        for (int d = 1; d < h.shape().numDimensions(); d++) {
          n *= h.shape().get(d);
        }
        h = tf.reshape(h, tf.constant(new long[] {-1, n}));
      } else if (s instanceof Drop d) {
        Operand<TInt64> seed = tf.stack(List.of(tf.constant((long) i), tf.identity(step)));
        Operand<TFloat32> u = tf.random.statelessRandomUniform(tf.shape(h), seed);
        float keep = (float) (1 - d.rate());
        h = tf.math.mul(h, tf.math.mul(tf.math.floor(tf.math.add(u, tf.constant(keep))),
            tf.constant(1 / keep)));
      } else if (s instanceof Dense d) {
        Variable<TFloat32> k = tf.variable(tf.constant(weights.get(w++)));
        Variable<TFloat32> b = tf.variable(tf.constant(weights.get(w++)));
        vars.add(k);
        vars.add(b);
        Operand<TFloat32> z = tf.nn.biasAdd(tf.linalg.matMul(h, tf.identity(k)),
            tf.identity(b));
        last = d.activation();
        logits = z;
        h = switch (last) {
          case "relu" -> tf.nn.relu(z);
          case "softmax" -> tf.nn.softmax(z);
          case "sigmoid" -> tf.math.sigmoid(z);
          default -> z;
        };
      }
    }
    Shape out = h.shape();
    y = tf.placeholder(TFloat32.class, Placeholder.shape(out));
    // Accuracy is fetched with the loss, as any training loop that reports it does.
    if ("softmax".equals(last)) {
      loss = tf.math.mean(tf.nn.softmaxCrossEntropyWithLogits(logits, y).loss(),
          tf.constant(0));
      accuracy = tf.math.mean(tf.dtypes.cast(tf.math.equal(tf.math.argMax(h, tf.constant(-1)),
          tf.math.argMax(y, tf.constant(-1))), TFloat32.class), tf.constant(0));
    } else {
      accuracy = tf.math.mean(tf.dtypes.cast(tf.math.equal(tf.dtypes.cast(
          tf.math.greater(h, tf.constant(0.5f)), TFloat32.class), y), TFloat32.class),
          tf.constant(new int[] {0, 1}));
      Operand<TFloat32> z = logits;
      Operand<TFloat32> e = tf.math.add(tf.math.sub(tf.nn.relu(z), tf.math.mul(z, y)),
          tf.math.log1p(tf.math.exp(tf.math.neg(tf.math.abs(z)))));
      loss = tf.math.mean(tf.math.mean(e, tf.constant(-1)), tf.constant(0));
    }
    List<Output<?>> grads = tf.gradients(loss, vars).dy();
    Operand<TFloat32> rate = tf.constant((float) lr);
    Operand<TFloat32> t = tf.dtypes.cast(tf.math.add(tf.identity(step), tf.constant(1L)),
        TFloat32.class);
    // Updates wait for every gradient: reads of reference variables alias their buffers.
    List<Op> gradOps = new ArrayList<>();
    grads.forEach(g -> gradOps.add(tf.identity(g)));
    Ops after = tf.withControlDependencies(List.of(tf.withControlDependencies(gradOps).noOp()));
    List<Op> updates = new ArrayList<>();
    for (int i = 0; i < vars.size(); i++) {
      Variable<TFloat32> v = vars.get(i);
      @SuppressWarnings("unchecked")
      Operand<TFloat32> g = (Operand<TFloat32>) grads.get(i);
      Operand<TFloat32> zeros = tf.zeros(tf.constant(v.shape().asArray()), TFloat32.class);
      updates.add(switch (opt) {
        case SGD -> after.train.applyGradientDescent(v, rate, g);
        case ADAM -> after.train.applyAdam(v, tf.variable(zeros), tf.variable(zeros),
            tf.math.pow(tf.constant(0.9f), t), tf.math.pow(tf.constant(0.999f), t), rate,
            tf.constant(0.9f), tf.constant(0.999f), tf.constant(1e-7f), g);
        case RMSPROP -> after.train.applyRmsProp(v, tf.variable(zeros), tf.variable(zeros),
            rate, tf.constant(0.9f), tf.constant(0f), tf.constant(1e-7f), g);
      });
    }
    train = tf.withControlDependencies(List.of(tf.withControlDependencies(updates).noOp()))
        .assignAdd(step, tf.constant(1L));
    session = new Session(graph, config);
    session.initialize();
  }

  static ConfigProto defaultConfig() {
    int cores = Runtime.getRuntime().availableProcessors();
    return ConfigProto.newBuilder().setIntraOpParallelismThreads(cores)
        .setInterOpParallelismThreads(Math.min(2, cores)).build();
  }

  /** One training step; returns the batch loss. */
  float step(TFloat32 xs, TFloat32 ys) {
    try (Result r = session.runner().feed(x, xs).feed(y, ys).addTarget(train).fetch(loss)
        .fetch(accuracy).run()) {
      return ((TFloat32) r.get(0)).getFloat();
    }
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
