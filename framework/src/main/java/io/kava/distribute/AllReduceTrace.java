package io.kava.distribute;

/**
 * One traced training step of a replica ({@link MultiWorkerStrategy#traceAllReduce}): the
 * step's time and the time its all-reduce took, from TensorFlow's step statistics.
 *
 * <pre>{@code
 * jshell> strategy.traceAllReduce(10, t -> System.out.println(t))
 * AllReduceTrace[step=10, stepMillis=21.4, allReduceMillis=6.2]
 * }</pre>
 *
 * @param step the step's number among the training steps this worker ran, from 1
 * @param stepMillis the step's time in the same statistics: from its first op's start to its
 *     last op's end on this worker (feeds, fetches and the trace's collection excluded)
 * @param allReduceMillis time of the step's {@code CollectiveReduce} op, from its start to its
 *     end: the exchange itself and the wait for the slowest worker to reach it
 */
public record AllReduceTrace(long step, double stepMillis, double allReduceMillis) {

  /** The all-reduce's fraction of the step, in [0, 1] (0 for a step of no time). */
  public double share() {
    return stepMillis <= 0 ? 0 : Math.min(1, allReduceMillis / stepMillis);
  }
}
