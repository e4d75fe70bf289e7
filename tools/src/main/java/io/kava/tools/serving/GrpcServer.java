package io.kava.tools.serving;

import com.google.protobuf.Message;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import tensorflow.serving.ModelServiceGrpc;
import tensorflow.serving.PredictionServiceGrpc;

/**
 * TensorFlow Serving's gRPC API over a {@link ServingCore}, on grpc-java (Netty):
 * {@code tensorflow.serving.PredictionService} ({@code Predict}, {@code Classify},
 * {@code Regress} and {@code MultiInference} on tf.Examples, {@code GetModelMetadata}) and
 * {@code ModelService} ({@code GetModelStatus}, {@code HandleReloadConfigRequest}), with TF
 * Serving's messages (this module's {@code src/main/protobuf}) and its status codes (see
 * {@link ServingApi}): NOT_FOUND for an unknown model or version, FAILED_PRECONDITION for a
 * version that is known but not loaded, or an unknown Predict signature, INVALID_ARGUMENT for
 * a wrong input key, dtype, shape or {@code tensor_content} size, a signature of the wrong
 * kind, and for bytes that are not the request message at all. Clients get a message, never
 * a stack trace.
 *
 * <pre>{@code
 * jshell> var core = ServingCore.serve("half_plus_two", Path.of("half_plus_two"), 1)
 * jshell> try (var server = GrpcServer.start(core, "127.0.0.1", 8500, 1 << 26)) { ... }
 * }</pre>
 */
public final class GrpcServer implements AutoCloseable {
  private final ServingApi api;
  private Server server;

  private GrpcServer(ServingApi api) {
    this.api = api;
  }

  /**
   * Starts serving on {@code host:port} (port 0 picks a free one); requests over
   * {@code maxMessageBytes} are refused with RESOURCE_EXHAUSTED.
   *
   * @throws UncheckedIOException if the port cannot be bound
   */
  public static GrpcServer start(ServingCore core, String host, int port,
      long maxMessageBytes) {
    ServingApi api = new ServingApi(core, maxMessageBytes, ServingMetrics.Entrypoint.GRPC);
    GrpcServer s = new GrpcServer(api);
    ServerServiceDefinition prediction = ServerServiceDefinition
        .builder(PredictionServiceGrpc.SERVICE_NAME)
        .addMethod(s.unary(PredictionServiceGrpc.getClassifyMethod(), api::classify))
        .addMethod(s.unary(PredictionServiceGrpc.getRegressMethod(), api::regress))
        .addMethod(s.unary(PredictionServiceGrpc.getPredictMethod(), api::predict))
        .addMethod(s.unary(PredictionServiceGrpc.getMultiInferenceMethod(),
            api::multiInference))
        .addMethod(s.unary(PredictionServiceGrpc.getGetModelMetadataMethod(), api::metadata))
        .build();
    ServerServiceDefinition models = ServerServiceDefinition
        .builder(ModelServiceGrpc.SERVICE_NAME)
        .addMethod(s.unary(ModelServiceGrpc.getGetModelStatusMethod(), api::status))
        .addMethod(s.unary(ModelServiceGrpc.getHandleReloadConfigRequestMethod(), api::reload))
        .build();
    Server server = NettyServerBuilder.forAddress(new InetSocketAddress(host, port))
        .maxInboundMessageSize((int) Math.min(maxMessageBytes, Integer.MAX_VALUE))
        .addService(prediction)
        .addService(models)
        .build();
    try {
      server.start();
    } catch (IOException e) {
      throw new UncheckedIOException("GrpcServer: cannot serve gRPC on " + host + ":" + port
          + ": " + e.getMessage() + (e.getCause() == null ? "" : " (" + e.getCause().getMessage()
          + ")"), e);
    }
    s.server = server;
    return s;
  }

  public int port() {
    return server.getPort();
  }

  /** A request message, or why its bytes are not one. */
  private record Parsed<T>(T message, String error) {}

  /**
   * The method with a request marshaller that never throws: grpc-java answers a request that
   * fails to parse with UNKNOWN ("Application error processing RPC", and logs a stack trace),
   * TF Serving with INVALID_ARGUMENT.
   */
  private <Q extends Message, R extends Message> ServerMethodDefinition<Parsed<Q>, R> unary(
      MethodDescriptor<Q, R> method, Function<Q, R> handler) {
    MethodDescriptor.Marshaller<Q> proto = method.getRequestMarshaller();
    String type = proto instanceof MethodDescriptor.PrototypeMarshaller<Q> p
        ? p.getMessagePrototype().getDescriptorForType().getFullName()
        : method.getFullMethodName() + " request";
    MethodDescriptor.Marshaller<Parsed<Q>> tolerant = new MethodDescriptor.Marshaller<>() {
      @Override
      public InputStream stream(Parsed<Q> value) {
        return proto.stream(value.message());
      }

      @Override
      public Parsed<Q> parse(InputStream stream) {
        try {
          return new Parsed<>(proto.parse(stream), null);
        } catch (RuntimeException e) {
          String why = e instanceof StatusRuntimeException s && s.getStatus().getCause() != null
              ? s.getStatus().getCause().getMessage() : e.getMessage();
          return new Parsed<>(null, "The request is not a valid " + type + ": " + why);
        }
      }
    };
    MethodDescriptor<Parsed<Q>, R> tolerantMethod =
        method.toBuilder(tolerant, method.getResponseMarshaller()).build();
    return ServerMethodDefinition.create(tolerantMethod,
        ServerCalls.asyncUnaryCall((req, observer) -> answer(req, observer, handler)));
  }

  private static <Q, R> void answer(Parsed<Q> req, StreamObserver<R> observer,
      Function<Q, R> handler) {
    R response;
    try {
      if (req.error() != null) {
        throw Status.INVALID_ARGUMENT.withDescription(req.error()).asRuntimeException();
      }
      response = handler.apply(req.message());
    } catch (StatusRuntimeException e) {
      observer.onError(e);
      return;
    } catch (ServingException e) {
      observer.onError(Status.fromCodeValue(e.code().getNumber())
          .withDescription(e.getMessage()).asRuntimeException());
      return;
    } catch (IllegalArgumentException e) {
      observer.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage())
          .asRuntimeException());
      return;
    } catch (RuntimeException e) {
      observer.onError(Status.INTERNAL.withDescription("Internal error: "
          + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()))
          .asRuntimeException());
      return;
    }
    observer.onNext(response);
    observer.onCompleted();
  }

  /** Stops accepting calls, lets running ones finish (up to 5 s), then stops. */
  @Override
  public void close() {
    server.shutdown();
    try {
      if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
