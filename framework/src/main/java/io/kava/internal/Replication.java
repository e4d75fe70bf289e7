package io.kava.internal;

import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

/**
 * How a model trains as one of several synchronous replicas, as a distribution strategy sets
 * it up ({@code io.kava.distribute.MultiWorkerStrategy}): where its session runs, how the
 * replicas combine gradients and logs each step, and how they agree on the chief's state
 * before training. A model without one trains alone. Not part of the public API.
 *
 * <pre>{@code
 * jshell> model.replication(replication)   // done by MultiWorkerStrategy.build
 * }</pre>
 */
public interface Replication {

  /** Number of replicas, {@code >= 2}. */
  int replicas();

  /** This replica's index in {@code [0, replicas())}; replica 0 is the chief. */
  int replica();

  /** The session that runs the model's {@code graph}, with the model's {@code config}. */
  Session session(Graph graph, ConfigProto config);

  /**
   * Adds ops that combine each value across replicas: the sum over replicas of
   * {@code share * value}, where {@code share} is this replica's fraction of the global batch.
   * With per-replica means as values, that is the global batch's mean. A replica with no
   * samples (share 0) adds 0, even where its value is NaN.
   */
  List<Operand<TFloat32>> sumOfShares(Ops tf, List<Operand<TFloat32>> values,
      Operand<TFloat32> share);

  /**
   * Runs one training step, whose runner is ready (fed, fetches and target added); a
   * replication may trace it. The default runs it as is.
   */
  default Result runStep(Session.Runner step) {
    return step.run();
  }

  /** The chief's {@code values}, on every replica (all replicas call it together). */
  float[] fromChief(float[] values);

  /** The chief's {@code value}, on every replica (all replicas call it together). */
  long fromChief(long value);

  /**
   * The error to throw for {@code failure} of a step that exchanged data with the other
   * replicas, naming what is known about them (which worker is unreachable).
   */
  RuntimeException failed(RuntimeException failure);
}
