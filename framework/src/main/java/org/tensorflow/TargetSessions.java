package org.tensorflow;

import org.bytedeco.javacpp.BytePointer;
import org.tensorflow.internal.c_api.TF_Session;
import org.tensorflow.internal.c_api.TF_SessionOptions;
import org.tensorflow.internal.c_api.TF_Status;
import org.tensorflow.internal.c_api.global.tensorflow;
import org.tensorflow.proto.ConfigProto;

/**
 * Sessions with a target, such as a TensorFlow server's {@code grpc://host:port}, which
 * TF-Java 1.1.0's public {@link Session} constructors cannot open (they always run in
 * process). Kava's, not TensorFlow's: it lives in this package because the session handle
 * constructor it needs, {@code Session(Graph, TF_Session)}, and {@code Graph.ref()} are
 * package-private. Being compiled against them, a TF-Java upgrade that changes them fails the
 * build instead of failing at run time as reflection would. Needs Kava and TF-Java on the class
 * path (a split package is not allowed on the module path). Not part of Kava's API.
 *
 * <pre>{@code
 * jshell> Session s = TargetSessions.open(graph, "grpc://127.0.0.1:2222", config)
 * }</pre>
 */
public final class TargetSessions {
  private TargetSessions() {}

  /** A session over {@code graph} run by the master at {@code target}, with {@code config}. */
  public static Session open(Graph graph, String target, ConfigProto config) {
    TF_SessionOptions options = tensorflow.TF_NewSessionOptions();
    try (Graph.Reference ref = graph.ref(); TF_Status status = TF_Status.newStatus()) {
      tensorflow.TF_SetTarget(options, target);
      byte[] bytes = config.toByteArray();
      try (BytePointer p = new BytePointer(bytes)) {
        tensorflow.TF_SetConfig(options, p, bytes.length, status);
        status.throwExceptionIfNotOK();
      }
      TF_Session session = tensorflow.TF_NewSession(ref.nativeHandle(), options, status);
      status.throwExceptionIfNotOK();
      return new Session(graph, session);
    } finally {
      tensorflow.TF_DeleteSessionOptions(options);
    }
  }
}
