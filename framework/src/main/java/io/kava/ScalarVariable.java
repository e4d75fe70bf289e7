package io.kava;

import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.family.TType;

/** A scalar variable of a model's graph (learning rate, step counter, seed) set by feeding. */
final class ScalarVariable<T extends TType> {
  final Variable<T> variable;
  private final Placeholder<T> value;
  private final Op assign;

  ScalarVariable(Ops tf, String name, Class<T> type) {
    variable = tf.withName(name).variable(Shape.scalar(), type);
    value = tf.withName(name + "_value").placeholder(type, Placeholder.shape(Shape.scalar()));
    assign = tf.withName(name + "_assign").assign(variable, value);
  }

  /** Assigns {@code tensor} (the caller closes it). */
  void set(Session session, T tensor) {
    session.runner().feed(value, tensor).addTarget(assign).run().close();
  }

  /** The current value; the caller reads it and closes the result. */
  Result get(Session session) {
    return session.runner().fetch(variable).run();
  }
}
