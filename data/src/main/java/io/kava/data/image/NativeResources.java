package io.kava.data.image;

import java.lang.ref.Cleaner;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.proto.ConfigProto;

/**
 * Frees the native graphs, sessions and thread pools of the data pipeline once their Java
 * owner is unreachable: iterators and generators have no close() in Keras's API, and users
 * of it never call one.
 */
final class NativeResources {
  private static final Cleaner CLEANER = Cleaner.create();

  private NativeResources() {}

  /** A session on {@code graph}, both closed when {@code owner} becomes unreachable. */
  static Session session(Object owner, Graph graph, ConfigProto config) {
    Session session = config == null ? new Session(graph) : new Session(graph, config);
    CLEANER.register(owner, () -> {
      session.close();
      graph.close();
    });
    return session;
  }

  /** Runs {@code cleanup} when {@code owner} becomes unreachable. */
  static void onUnreachable(Object owner, Runnable cleanup) {
    CLEANER.register(owner, cleanup);
  }
}
