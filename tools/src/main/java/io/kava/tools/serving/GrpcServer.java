package io.kava.tools.serving;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Int64Value;
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
import io.kava.saving.SavedModel;
import io.kava.saving.SignatureInfo;
import io.kava.saving.TensorSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.tensorflow.ndarray.NdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.Example;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;
import tensorflow.serving.Classification.ClassificationRequest;
import tensorflow.serving.Classification.ClassificationResponse;
import tensorflow.serving.Classification.ClassificationResult;
import tensorflow.serving.Classification.Classifications;
import tensorflow.serving.GetModelMetadata.GetModelMetadataRequest;
import tensorflow.serving.GetModelMetadata.GetModelMetadataResponse;
import tensorflow.serving.GetModelMetadata.SignatureDefMap;
import tensorflow.serving.GetModelStatus.GetModelStatusRequest;
import tensorflow.serving.GetModelStatus.GetModelStatusResponse;
import tensorflow.serving.GetModelStatus.ModelVersionStatus;
import tensorflow.serving.InputOuterClass.Input;
import tensorflow.serving.Model.ModelSpec;
import tensorflow.serving.ModelServiceGrpc;
import tensorflow.serving.Predict.PredictRequest;
import tensorflow.serving.Predict.PredictResponse;
import tensorflow.serving.PredictionServiceGrpc;
import tensorflow.serving.RegressionOuterClass.Regression;
import tensorflow.serving.RegressionOuterClass.RegressionRequest;
import tensorflow.serving.RegressionOuterClass.RegressionResponse;
import tensorflow.serving.RegressionOuterClass.RegressionResult;

/**
 * TensorFlow Serving's gRPC API over a {@link ServedModel}, on grpc-java (Netty):
 * {@code tensorflow.serving.PredictionService} ({@code Predict}, {@code Classify} and
 * {@code Regress} on tf.Examples, {@code GetModelMetadata}) and {@code ModelService}
 * ({@code GetModelStatus}), with TF Serving's messages (this module's
 * {@code src/main/protobuf}) and its status codes: NOT_FOUND for an unknown model or version,
 * FAILED_PRECONDITION for a version that is on disk but not loaded, or an unknown Predict
 * signature, INVALID_ARGUMENT for a wrong input key, dtype, shape or {@code tensor_content}
 * size, a signature of the wrong kind, and for bytes that are not the request message at all.
 * Clients get a message, never a stack trace.
 *
 * <pre>{@code
 * jshell> var served = new ServedModel("half_plus_two", Path.of("half_plus_two"), 1)
 * jshell> try (var server = GrpcServer.start(served, "127.0.0.1", 8500, 1 << 26)) { ... }
 * }</pre>
 */
public final class GrpcServer implements AutoCloseable {
  private final ServedModel model;
  private final long maxBytes;
  private Server server;

  private GrpcServer(ServedModel model, long maxBytes) {
    this.model = model;
    this.maxBytes = maxBytes;
  }

  /**
   * Starts serving on {@code host:port} (port 0 picks a free one); requests over
   * {@code maxMessageBytes} are refused with RESOURCE_EXHAUSTED.
   *
   * @throws UncheckedIOException if the port cannot be bound
   */
  public static GrpcServer start(ServedModel model, String host, int port,
      long maxMessageBytes) {
    GrpcServer s = new GrpcServer(model, maxMessageBytes);
    ServerServiceDefinition prediction = ServerServiceDefinition
        .builder(PredictionServiceGrpc.SERVICE_NAME)
        .addMethod(s.unary(PredictionServiceGrpc.getClassifyMethod(), s::classify))
        .addMethod(s.unary(PredictionServiceGrpc.getRegressMethod(), s::regress))
        .addMethod(s.unary(PredictionServiceGrpc.getPredictMethod(), s::predict))
        .addMethod(s.unary(PredictionServiceGrpc.getGetModelMetadataMethod(), s::metadata))
        .build();
    ServerServiceDefinition models = ServerServiceDefinition
        .builder(ModelServiceGrpc.SERVICE_NAME)
        .addMethod(s.unary(ModelServiceGrpc.getGetModelStatusMethod(), s::status))
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

  private static StatusRuntimeException error(Status status, String message) {
    return status.withDescription(message).asRuntimeException();
  }

  /**
   * The version {@code spec} asks for (null: the newest), after checking that this server
   * serves it.
   */
  private Long version(ModelSpec spec) {
    boolean specific = spec.hasVersion();
    String request = specific ? "Specific(" + spec.getName() + ", "
        + spec.getVersion().getValue() + ")" : "Latest(" + spec.getName() + ")";
    if (!spec.getName().equals(model.name())) {
      throw error(Status.NOT_FOUND, "Servable not found for request: " + request);
    }
    if (spec.getVersionChoiceCase() == ModelSpec.VersionChoiceCase.VERSION_LABEL) {
      throw error(Status.INVALID_ARGUMENT, "Unrecognized servable version label: "
          + spec.getVersionLabel());
    }
    if (!specific) {
      return null;
    }
    long v = spec.getVersion().getValue();
    long served = model.version();
    if (v != served) {
      if (model.hasVersionFolder(v)) {
        throw error(Status.FAILED_PRECONDITION, "Servable version " + v + " of model '"
            + model.name() + "' is not loaded: its folder exists, but kava serve serves the"
            + " newest version that loads, " + served + ".");
      }
      throw error(Status.NOT_FOUND, "Servable not found for request: " + request);
    }
    return v;
  }

  private static ModelSpec requireSpec(boolean has, ModelSpec spec) {
    if (!has) {
      throw error(Status.INVALID_ARGUMENT, "Missing ModelSpec");
    }
    return spec;
  }

  private StatusRuntimeException gone(Long version) {
    // The version was unloaded between the check and the call (a newer one replaced it).
    return error(Status.NOT_FOUND, "Servable not found for request: Specific(" + model.name()
        + ", " + version + ")");
  }

  private PredictResponse predict(PredictRequest req) {
    ModelSpec spec = requireSpec(req.hasModelSpec(), req.getModelSpec());
    Long version = version(spec);
    String signature = spec.getSignatureName().isEmpty() ? SavedModel.DEFAULT_SIGNATURE
        : spec.getSignatureName();
    return model.with(version, sm -> predict(sm, signature, req))
        .orElseThrow(() -> gone(version));
  }

  private PredictResponse predict(SavedModel sm, String signature, PredictRequest req) {
    if (!sm.signatureNames().contains(signature)) {
      throw error(Status.FAILED_PRECONDITION, "Serving signature name: \"" + signature
          + "\" not found in signature def");
    }
    SignatureInfo sig = sm.signature(signature);
    Set<String> sent = new TreeSet<>(req.getInputsMap().keySet());
    if (!sent.equals(sig.inputs().keySet())) {
      Set<String> extra = new TreeSet<>(sent);
      extra.removeAll(sig.inputs().keySet());
      Set<String> missing = new TreeSet<>(sig.inputs().keySet());
      missing.removeAll(sent);
      throw error(Status.INVALID_ARGUMENT, "input keys do not match signature '" + signature
          + "': sent " + sent + ", expected " + sig.inputs().keySet() + ". Sent extra: "
          + extra + ". Missing but required: " + missing + ".");
    }
    Set<String> filter = new HashSet<>();
    for (String alias : req.getOutputFilterList()) {
      if (!sig.outputs().containsKey(alias)) {
        throw error(Status.INVALID_ARGUMENT, "output tensor alias not found in signature: "
            + alias + " Outputs expected to be in the set " + sig.outputs().keySet() + ".");
      }
      if (!filter.add(alias)) {
        throw error(Status.INVALID_ARGUMENT, "duplicate output tensor alias: " + alias);
      }
    }
    Map<String, NdArray<?>> inputs = new LinkedHashMap<>();
    for (Map.Entry<String, TensorProto> e : req.getInputsMap().entrySet()) {
      TensorSpec input = sig.inputs().get(e.getKey());
      inputs.put(e.getKey(), TensorProtoCodec.toArray(e.getValue(), input, maxBytes));
    }
    Map<String, NdArray<?>> outputs = sm.run(signature, inputs);
    PredictResponse.Builder response = PredictResponse.newBuilder().setModelSpec(
        ModelSpec.newBuilder().setName(model.name())
            .setVersion(Int64Value.of(model.version())).setSignatureName(signature));
    outputs.forEach((k, v) -> {
      if (filter.isEmpty() || filter.contains(k)) {
        response.putOutputs(k, TensorProtoCodec.toProto(v));
      }
    });
    return response.build();
  }

  /** The signature a Classify or Regress request names, with TF Serving's checks. */
  private static SignatureInfo exampleSignature(SavedModel sm, String name, String method,
      String what) {
    if (!sm.signatureNames().contains(name)) {
      throw error(Status.INVALID_ARGUMENT, "No signature was found with the name: " + name);
    }
    SignatureInfo sig = sm.signature(name);
    if (!method.equals(sig.methodName())) {
      throw error(Status.INVALID_ARGUMENT, "Expected " + what + " signature method_name to be "
          + method + ". Was: " + sig.methodName());
    }
    if (sig.inputs().size() != 1) {
      throw error(Status.INVALID_ARGUMENT, "Expected one input Tensor.");
    }
    TensorSpec in = sig.inputs().values().iterator().next();
    if (in.dtype() != DataType.DT_STRING) {
      throw error(Status.INVALID_ARGUMENT, "Expected the input Tensor of " + what
          + " signature '" + name + "' to be DT_STRING (serialized tf.Example); it is "
          + in.dtype() + ".");
    }
    return sig;
  }

  /**
   * The examples of {@code input}, serialized as a [n] string tensor; with a context, the
   * context's bytes come first, so that parsing merges it into each example, as TF Serving
   * does.
   */
  private static NdArray<byte[]> serializedExamples(Input input) {
    List<Example> examples;
    ByteString context = ByteString.EMPTY;
    switch (input.getKindCase()) {
      case EXAMPLE_LIST -> examples = input.getExampleList().getExamplesList();
      case EXAMPLE_LIST_WITH_CONTEXT -> {
        examples = input.getExampleListWithContext().getExamplesList();
        context = input.getExampleListWithContext().getContext().toByteString();
      }
      default -> throw error(Status.INVALID_ARGUMENT, "Input is empty.");
    }
    if (examples.isEmpty()) {
      throw error(Status.INVALID_ARGUMENT, "Input is empty.");
    }
    NdArray<byte[]> a = NdArrays.ofObjects(byte[].class, Shape.of(examples.size()));
    for (int i = 0; i < examples.size(); i++) {
      a.setObject(context.concat(examples.get(i).toByteString()).toByteArray(), i);
    }
    return a;
  }

  private ModelSpec effective(String signature) {
    return ModelSpec.newBuilder().setName(model.name())
        .setVersion(Int64Value.of(model.version())).setSignatureName(signature).build();
  }

  private ClassificationResponse classify(ClassificationRequest req) {
    ModelSpec spec = requireSpec(req.hasModelSpec(), req.getModelSpec());
    Long version = version(spec);
    String name = spec.getSignatureName().isEmpty() ? SavedModel.DEFAULT_SIGNATURE
        : spec.getSignatureName();
    return model.with(version, sm -> {
      SignatureInfo sig = exampleSignature(sm, name, "tensorflow/serving/classify",
          "classification");
      int outs = sig.outputs().size();
      TensorSpec classes = sig.outputs().get("classes");
      TensorSpec scores = sig.outputs().get("scores");
      if (outs < 1 || outs > 2 || classes == null && scores == null
          || outs == 2 && (classes == null || scores == null)) {
        throw error(Status.INVALID_ARGUMENT, "Expected classification signature outputs"
            + " 'classes' (DT_STRING) and/or 'scores' (DT_FLOAT); signature '" + name
            + "' has " + sig.outputs().keySet() + ".");
      }
      if (classes != null && classes.dtype() != DataType.DT_STRING
          || scores != null && scores.dtype() != DataType.DT_FLOAT) {
        throw error(Status.INVALID_ARGUMENT, "Expected classes Tensor of DT_STRING and scores"
            + " Tensor of DT_FLOAT; signature '" + name + "' has " + sig.outputs().values()
            + ".");
      }
      NdArray<byte[]> examples = serializedExamples(req.getInput());
      long n = examples.shape().get(0);
      Map<String, NdArray<?>> out = sm.run(name,
          Map.of(sig.inputs().keySet().iterator().next(), examples));
      NdArray<?> c = out.get("classes");
      NdArray<?> sc = out.get("scores");
      long k = -1;
      for (NdArray<?> t : new NdArray<?>[] {c, sc}) {
        if (t != null) {
          if (t.rank() != 2 || t.shape().get(0) != n || k >= 0 && t.shape().get(1) != k) {
            throw error(Status.INVALID_ARGUMENT, "Expected classes and scores Tensors of shape"
                + " [batch_size, num_classes] with batch_size " + n + "; got " + t.shape()
                + ".");
          }
          k = t.shape().get(1);
        }
      }
      ClassificationResult.Builder result = ClassificationResult.newBuilder();
      for (long i = 0; i < n; i++) {
        Classifications.Builder row = Classifications.newBuilder();
        for (long j = 0; j < k; j++) {
          tensorflow.serving.Classification.Class.Builder one =
              tensorflow.serving.Classification.Class.newBuilder();
          if (c != null) {
            one.setLabelBytes(ByteString.copyFrom((byte[]) c.getObject(i, j)));
          }
          if (sc != null) {
            one.setScore((Float) sc.getObject(i, j));
          }
          row.addClasses(one);
        }
        result.addClassifications(row);
      }
      return ClassificationResponse.newBuilder().setModelSpec(effective(name))
          .setResult(result).build();
    }).orElseThrow(() -> gone(version));
  }

  private RegressionResponse regress(RegressionRequest req) {
    ModelSpec spec = requireSpec(req.hasModelSpec(), req.getModelSpec());
    Long version = version(spec);
    String name = spec.getSignatureName().isEmpty() ? SavedModel.DEFAULT_SIGNATURE
        : spec.getSignatureName();
    return model.with(version, sm -> {
      SignatureInfo sig = exampleSignature(sm, name, "tensorflow/serving/regress",
          "regression");
      TensorSpec outputs = sig.outputs().get("outputs");
      if (sig.outputs().size() != 1 || outputs == null
          || outputs.dtype() != DataType.DT_FLOAT) {
        throw error(Status.INVALID_ARGUMENT, "Expected one output Tensor, 'outputs' of"
            + " DT_FLOAT; signature '" + name + "' has " + sig.outputs().values() + ".");
      }
      NdArray<byte[]> examples = serializedExamples(req.getInput());
      long n = examples.shape().get(0);
      NdArray<?> y = sm.run(name, Map.of(sig.inputs().keySet().iterator().next(), examples))
          .get("outputs");
      if (y.shape().numDimensions() == 0 || y.shape().get(0) != n || y.rank() > 2
          || y.rank() == 2 && y.shape().get(1) != 1) {
        throw error(Status.INVALID_ARGUMENT, "Expected output Tensor shape to be either"
            + " [batch_size] or [batch_size, 1] with batch_size " + n + "; got " + y.shape()
            + ".");
      }
      RegressionResult.Builder result = RegressionResult.newBuilder();
      for (long i = 0; i < n; i++) {
        float v = (Float) (y.rank() == 1 ? y.getObject(i) : y.getObject(i, 0));
        result.addRegressions(Regression.newBuilder().setValue(v));
      }
      return RegressionResponse.newBuilder().setModelSpec(effective(name)).setResult(result)
          .build();
    }).orElseThrow(() -> gone(version));
  }

  private GetModelMetadataResponse metadata(GetModelMetadataRequest req) {
    ModelSpec spec = requireSpec(req.hasModelSpec(), req.getModelSpec());
    if (req.getMetadataFieldCount() == 0) {
      throw error(Status.INVALID_ARGUMENT, "GetModelMetadataRequest must specify at least one"
          + " metadata_field");
    }
    for (String field : req.getMetadataFieldList()) {
      if (!"signature_def".equals(field)) {
        throw error(Status.INVALID_ARGUMENT, "Metadata field " + field + " is not supported");
      }
    }
    Long version = version(spec);
    return model.with(version, sm -> {
      SignatureDefMap.Builder defs = SignatureDefMap.newBuilder();
      sm.signatures().forEach((name, sig) -> defs.putSignatureDef(name, signatureDef(sig)));
      return GetModelMetadataResponse.newBuilder()
          .setModelSpec(ModelSpec.newBuilder().setName(model.name())
              .setVersion(Int64Value.of(model.version())))
          .putMetadata("signature_def", Any.pack(defs.build()))
          .build();
    }).orElseThrow(() -> gone(version));
  }

  private static SignatureDef signatureDef(SignatureInfo sig) {
    SignatureDef.Builder def = SignatureDef.newBuilder().setMethodName(sig.methodName());
    sig.inputs().forEach((k, t) -> def.putInputs(k, tensorInfo(t)));
    sig.outputs().forEach((k, t) -> def.putOutputs(k, tensorInfo(t)));
    return def.build();
  }

  private static TensorInfo tensorInfo(TensorSpec t) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    if (t.shape().isUnknown()) {
      shape.setUnknownRank(true);
    } else {
      for (long d : t.shape().asArray()) {
        shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
      }
    }
    return TensorInfo.newBuilder().setName(t.tensorName()).setDtype(t.dtype())
        .setTensorShape(shape).build();
  }

  private GetModelStatusResponse status(GetModelStatusRequest req) {
    ModelSpec spec = requireSpec(req.hasModelSpec(), req.getModelSpec());
    if (!spec.getName().equals(model.name())) {
      throw error(Status.NOT_FOUND, "Could not find any versions of model " + spec.getName());
    }
    Map<Long, String> states = model.states();
    GetModelStatusResponse.Builder response = GetModelStatusResponse.newBuilder();
    states.forEach((v, state) -> {
      if (!spec.hasVersion() || spec.getVersion().getValue() == v) {
        response.addModelVersionStatus(ModelVersionStatus.newBuilder().setVersion(v)
            .setState(ModelVersionStatus.State.valueOf(state))
            .setStatus(tensorflow.serving.Status.StatusProto.newBuilder()
                .setErrorCode(org.tensorflow.proto.error.Code.OK).setErrorMessage("")));
      }
    });
    if (response.getModelVersionStatusCount() == 0) {
      throw error(Status.NOT_FOUND, "Could not find version " + spec.getVersion().getValue()
          + " of model " + spec.getName());
    }
    return response.build();
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
