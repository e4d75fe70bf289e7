package io.kava.tools.serving;

import org.tensorflow.proto.error.Code;

/**
 * A request or config that kava serve refuses, with the TensorFlow error code TF Serving
 * answers it with; the gRPC server sends the code as the call's status, the REST server maps
 * it to TF Serving's HTTP status ({@link #httpStatus()}).
 *
 * <pre>{@code
 * jshell> new ServingException(Code.NOT_FOUND, "Servable not found for request: Latest(m)")
 * $1 ==> ServingException NOT_FOUND: Servable not found for request: Latest(m)
 * }</pre>
 */
public final class ServingException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final Code code;

  /** A failure with {@code code} (not OK) and a message for the client. */
  public ServingException(Code code, String message) {
    super(message);
    if (code == null || code == Code.OK || code == Code.UNRECOGNIZED) {
      throw new IllegalArgumentException("ServingException: code must be an error code; got "
          + code + ".");
    }
    this.code = code;
  }

  public Code code() {
    return code;
  }

  /** The HTTP status TF Serving's REST server answers this code with (its http_server.cc). */
  public int httpStatus() {
    return switch (code) {
      case CANCELLED -> 499;
      case INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE -> 400;
      case DEADLINE_EXCEEDED -> 504;
      case NOT_FOUND -> 404;
      case ALREADY_EXISTS, ABORTED -> 409;
      case PERMISSION_DENIED -> 403;
      case RESOURCE_EXHAUSTED -> 429;
      case UNIMPLEMENTED -> 501;
      case UNAVAILABLE -> 503;
      case UNAUTHENTICATED -> 401;
      default -> 500;
    };
  }

  @Override
  public String toString() {
    return "ServingException " + code + ": " + getMessage();
  }
}
