package io.kava;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * The optimizer's slot variables of a training graph (Adam's {@code m} and {@code v} per
 * weight...), each with an assign op made with it, so their values can be read and set: what
 * a Keras file's optimizer state is written from and restored into.
 */
final class OptimizerSlots {
  /** One slot: the weight it belongs to, its name, the variable and its setter. */
  private record Slot(String name, Variable<TFloat32> variable, Placeholder<TFloat32> value,
      Op assign) {}

  private final Map<Variable<TFloat32>, Map<String, Slot>> byWeight = new IdentityHashMap<>();

  /** Registers slot {@code v} of {@code weight}, making its setter in {@code tf}'s graph. */
  void add(Ops tf, Variable<TFloat32> weight, String name, Variable<TFloat32> v) {
    Placeholder<TFloat32> value = tf.withName(v.op().name().replace('/', '_') + "_value")
        .placeholder(TFloat32.class, Placeholder.shape(weight.shape()));
    Op assign = tf.assign(v, value);
    byWeight.computeIfAbsent(weight, k -> new LinkedHashMap<>())
        .put(name, new Slot(name, v, value, assign));
  }

  /** The slot names of {@code weight}, in creation order; empty when it has none. */
  List<String> names(Variable<TFloat32> weight) {
    return new ArrayList<>(byWeight.getOrDefault(weight, Map.of()).keySet());
  }

  /** The values of slot {@code name} of {@code weight}, row-major. */
  float[] get(Session session, Variable<TFloat32> weight, String name) {
    Slot s = byWeight.get(weight).get(name);
    try (Result r = session.runner().fetch(s.variable()).run()) {
      TFloat32 t = (TFloat32) r.get(0);
      float[] out = new float[Math.toIntExact(t.size())];
      t.copyTo(DataBuffers.of(out, false, false));
      return out;
    }
  }

  /** Sets slot {@code name} of {@code weight} to {@code values}, row-major. */
  void set(Session session, Variable<TFloat32> weight, String name, float[] values) {
    Slot s = byWeight.get(weight).get(name);
    Shape shape = s.variable().shape();
    try (TFloat32 t = TFloat32.tensorOf(shape, DataBuffers.of(values, true,
        false))) {
      session.runner().feed(s.value(), t).addTarget(s.assign()).run().close();
    }
  }
}
