package io.kava.tools.serving;

import com.google.protobuf.Any;
import com.google.protobuf.Int64Value;
import io.grpc.StatusRuntimeException;
import io.kava.saving.SavedModel;
import io.kava.saving.SignatureInfo;
import io.kava.saving.TensorSpec;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.tensorflow.ndarray.NdArray;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;
import org.tensorflow.proto.error.Code;
import tensorflow.serving.Classification.ClassificationRequest;
import tensorflow.serving.Classification.ClassificationResponse;
import tensorflow.serving.GetModelMetadata.GetModelMetadataRequest;
import tensorflow.serving.GetModelMetadata.GetModelMetadataResponse;
import tensorflow.serving.GetModelMetadata.SignatureDefMap;
import tensorflow.serving.GetModelStatus.GetModelStatusRequest;
import tensorflow.serving.GetModelStatus.GetModelStatusResponse;
import tensorflow.serving.GetModelStatus.ModelVersionStatus;
import tensorflow.serving.Inference.InferenceResult;
import tensorflow.serving.Inference.InferenceTask;
import tensorflow.serving.Inference.MultiInferenceRequest;
import tensorflow.serving.Inference.MultiInferenceResponse;
import tensorflow.serving.Model.ModelSpec;
import tensorflow.serving.ModelManagement.ReloadConfigRequest;
import tensorflow.serving.ModelManagement.ReloadConfigResponse;
import tensorflow.serving.Predict.PredictRequest;
import tensorflow.serving.Predict.PredictResponse;
import tensorflow.serving.RegressionOuterClass.RegressionRequest;
import tensorflow.serving.RegressionOuterClass.RegressionResponse;
import tensorflow.serving.Status.StatusProto;

/**
 * TF Serving's request semantics on its own messages, for both front ends: the gRPC server
 * passes requests straight in, the REST server after turning JSON into them. Each call
 * leases the model version the request's {@code ModelSpec} names (number, label or the
 * newest) for its duration, and fails with a {@link ServingException} carrying TF Serving's
 * error code and wording.
 *
 * <pre>{@code
 * jshell> var api = new ServingApi(core, 1 << 26, ServingMetrics.Entrypoint.GRPC)
 * jshell> api.regress(request).getResult().getRegressions(0).getValue()
 * }</pre>
 */
public final class ServingApi {
  static final String CLASSIFY = "tensorflow/serving/classify";
  static final String REGRESS = "tensorflow/serving/regress";

  private final ServingCore core;
  private final long maxBytes;
  private final ServingMetrics.Entrypoint entrypoint;

  /**
   * Requests against {@code core} arriving through {@code entrypoint} (for the metrics);
   * tensors over {@code maxTensorBytes} are refused.
   */
  public ServingApi(ServingCore core, long maxTensorBytes,
      ServingMetrics.Entrypoint entrypoint) {
    if (core == null || entrypoint == null) {
      throw new IllegalArgumentException("ServingApi: core and entrypoint must be non-null;"
          + " got " + core + " and " + entrypoint + ".");
    }
    this.core = core;
    this.maxBytes = maxTensorBytes;
    this.entrypoint = entrypoint;
  }

  public ServingCore core() {
    return core;
  }

  /** The lease {@code spec} asks for; INVALID_ARGUMENT if the request has no spec. */
  Lease lease(boolean hasSpec, ModelSpec spec) {
    if (!hasSpec) {
      throw new ServingException(Code.INVALID_ARGUMENT, "Missing ModelSpec");
    }
    return core.lease(spec.getName(), spec.hasVersion() ? spec.getVersion().getValue() : null,
        spec.getVersionChoiceCase() == ModelSpec.VersionChoiceCase.VERSION_LABEL
            ? spec.getVersionLabel() : null);
  }

  private static String signatureName(ModelSpec spec) {
    return spec.getSignatureName().isEmpty() ? SavedModel.DEFAULT_SIGNATURE
        : spec.getSignatureName();
  }

  private static ModelSpec effective(Lease lease, String signature) {
    ModelSpec.Builder spec = ModelSpec.newBuilder().setName(lease.name())
        .setVersion(Int64Value.of(lease.version()));
    return signature == null ? spec.build() : spec.setSignatureName(signature).build();
  }

  /**
   * Runs a signature of a leased model (batched when batching is on); the one place requests
   * reach TensorFlow.
   */
  static Map<String, NdArray<?>> run(Lease lease, String signature,
      Map<String, ? extends NdArray<?>> inputs) {
    try {
      return lease.run(signature, inputs);
    } catch (StatusRuntimeException e) {
      // The batcher's refusals (queue full, unbatchable inputs) carry TF Serving's codes.
      throw new ServingException(Code.forNumber(e.getStatus().getCode().value()),
          e.getStatus().getDescription());
    }
  }

  /**
   * Runs one inference request ({@code api}: Predict, Classify, Regress or MultiInference)
   * and counts it in the core's metrics, with its status and latency, as TF Serving does.
   */
  public <T> T timed(String api, String model, Supplier<T> request) {
    long start = System.nanoTime();
    io.grpc.Status.Code code = io.grpc.Status.Code.OK;
    try {
      return request.get();
    } catch (ServingException e) {
      code = io.grpc.Status.fromCodeValue(e.code().getNumber()).getCode();
      throw e;
    } catch (IllegalArgumentException e) {
      code = io.grpc.Status.Code.INVALID_ARGUMENT;
      throw e;
    } catch (RuntimeException e) {
      code = io.grpc.Status.Code.INTERNAL;
      throw e;
    } finally {
      core.options().metrics().recordRequest(model, api, entrypoint, code,
          System.nanoTime() - start);
    }
  }

  /** TF Serving's Predict: named tensors in, the signature's (filtered) outputs back. */
  public PredictResponse predict(PredictRequest req) {
    return timed("Predict", req.getModelSpec().getName(), () -> doPredict(req));
  }

  private PredictResponse doPredict(PredictRequest req) {
    try (Lease lease = lease(req.hasModelSpec(), req.getModelSpec())) {
      return predict(lease, req, maxBytes);
    }
  }

  /**
   * Predict on a leased version (the request's model name and version are not looked at);
   * tensors over {@code maxBytes} are refused.
   */
  static PredictResponse predict(Lease lease, PredictRequest req, long maxBytes) {
    String signature = signatureName(req.getModelSpec());
    SignatureInfo sig = predictSignature(lease.model(), signature);
    Set<String> sent = new TreeSet<>(req.getInputsMap().keySet());
    if (!sent.equals(sig.inputs().keySet())) {
      Set<String> extra = new TreeSet<>(sent);
      extra.removeAll(sig.inputs().keySet());
      Set<String> missing = new TreeSet<>(sig.inputs().keySet());
      missing.removeAll(sent);
      throw new ServingException(Code.INVALID_ARGUMENT, "input keys do not match signature '"
          + signature + "': sent " + sent + ", expected " + sig.inputs().keySet()
          + ". Sent extra: " + extra + ". Missing but required: " + missing + ".");
    }
    Set<String> filter = new HashSet<>();
    for (String alias : req.getOutputFilterList()) {
      if (!sig.outputs().containsKey(alias)) {
        throw new ServingException(Code.INVALID_ARGUMENT, "output tensor alias not found in"
            + " signature: " + alias + " Outputs expected to be in the set "
            + sig.outputs().keySet() + ".");
      }
      if (!filter.add(alias)) {
        throw new ServingException(Code.INVALID_ARGUMENT, "duplicate output tensor alias: "
            + alias);
      }
    }
    Map<String, NdArray<?>> inputs = new LinkedHashMap<>();
    for (Map.Entry<String, TensorProto> e : req.getInputsMap().entrySet()) {
      TensorSpec input = sig.inputs().get(e.getKey());
      inputs.put(e.getKey(), TensorProtoCodec.toArray(e.getValue(), input, maxBytes));
    }
    Map<String, NdArray<?>> outputs = run(lease, signature, inputs);
    PredictResponse.Builder response = PredictResponse.newBuilder()
        .setModelSpec(effective(lease, signature));
    outputs.forEach((k, v) -> {
      if (filter.isEmpty() || filter.contains(k)) {
        response.putOutputs(k, TensorProtoCodec.toProto(v));
      }
    });
    return response.build();
  }

  /** The Predict signature {@code name} of {@code sm}; FAILED_PRECONDITION if none. */
  static SignatureInfo predictSignature(SavedModel sm, String name) {
    refuseInvalid(sm, name);
    if (!sm.signatureNames().contains(name)) {
      throw new ServingException(Code.FAILED_PRECONDITION, "Serving signature name: \"" + name
          + "\" not found in signature def");
    }
    return sm.signature(name);
  }

  /**
   * FAILED_PRECONDITION naming the mismatch, for a signature the model has but that does not
   * fit its graph (the model's other signatures are served).
   */
  static void refuseInvalid(SavedModel sm, String name) {
    String why = sm.invalidSignatures().get(name);
    if (why != null) {
      throw new ServingException(Code.FAILED_PRECONDITION, "Signature \"" + name + "\" of"
          + " this model cannot be served: " + why);
    }
  }

  /** TF Serving's Classify: tf.Examples in, (label, score) lists back. */
  public ClassificationResponse classify(ClassificationRequest req) {
    return timed("Classify", req.getModelSpec().getName(), () -> doClassify(req));
  }

  private ClassificationResponse doClassify(ClassificationRequest req) {
    try (Lease lease = lease(req.hasModelSpec(), req.getModelSpec())) {
      return classify(lease, req);
    }
  }

  /** Classify on a leased version (the request's model name and version are not looked at). */
  static ClassificationResponse classify(Lease lease, ClassificationRequest req) {
    String name = signatureName(req.getModelSpec());
    return ClassificationResponse.newBuilder().setModelSpec(effective(lease, name))
        .setResult(ExampleInference.classify(lease, name,
            ExampleInference.serializedExamples(req.getInput()))).build();
  }

  /** TF Serving's Regress: tf.Examples in, one value per example back. */
  public RegressionResponse regress(RegressionRequest req) {
    return timed("Regress", req.getModelSpec().getName(), () -> doRegress(req));
  }

  private RegressionResponse doRegress(RegressionRequest req) {
    try (Lease lease = lease(req.hasModelSpec(), req.getModelSpec())) {
      return regress(lease, req);
    }
  }

  /** Regress on a leased version (the request's model name and version are not looked at). */
  static RegressionResponse regress(Lease lease, RegressionRequest req) {
    String name = signatureName(req.getModelSpec());
    return RegressionResponse.newBuilder().setModelSpec(effective(lease, name))
        .setResult(ExampleInference.regress(lease, name,
            ExampleInference.serializedExamples(req.getInput()))).build();
  }

  /**
   * TF Serving's MultiInference: several classify / regress tasks of one model on one input,
   * with its checks (one model, distinct signatures, one input tensor shared by all).
   */
  public MultiInferenceResponse multiInference(MultiInferenceRequest req) {
    return timed("MultiInference", req.getTasksCount() == 0 ? ""
        : req.getTasks(0).getModelSpec().getName(), () -> doMultiInference(req));
  }

  private MultiInferenceResponse doMultiInference(MultiInferenceRequest req) {
    checkTasks(req);
    try (Lease lease = lease(true, req.getTasks(0).getModelSpec())) {
      return runTasks(lease, req);
    }
  }

  /** TF Serving's checks of a MultiInference request's tasks, before any model is leased. */
  private static void checkTasks(MultiInferenceRequest req) {
    if (req.getTasksCount() == 0) {
      throw new ServingException(Code.INVALID_ARGUMENT, "MultiInferenceRequest must contain"
          + " at least one task.");
    }
    InferenceTask first = req.getTasks(0);
    Set<String> signatures = new HashSet<>();
    for (InferenceTask task : req.getTasksList()) {
      if (!task.hasModelSpec()) {
        throw new ServingException(Code.INVALID_ARGUMENT, "Missing ModelSpec");
      }
      if (!task.getModelSpec().getName().equals(first.getModelSpec().getName())) {
        throw new ServingException(Code.INVALID_ARGUMENT, "All ModelSpecs in a"
            + " MultiInferenceRequest must access the same model name.");
      }
      if (!task.getModelSpec().getVersionChoiceCase()
          .equals(first.getModelSpec().getVersionChoiceCase())
          || task.getModelSpec().hasVersion() && task.getModelSpec().getVersion().getValue()
              != first.getModelSpec().getVersion().getValue()
          || !task.getModelSpec().getVersionLabel()
              .equals(first.getModelSpec().getVersionLabel())) {
        throw new ServingException(Code.INVALID_ARGUMENT, "All ModelSpecs in a"
            + " MultiInferenceRequest must access the same model version.");
      }
      if (!signatures.add(signatureName(task.getModelSpec()))) {
        throw new ServingException(Code.INVALID_ARGUMENT, "Duplicate evaluation of signature: "
            + signatureName(task.getModelSpec()));
      }
      if (!CLASSIFY.equals(task.getMethodName()) && !REGRESS.equals(task.getMethodName())) {
        throw new ServingException(Code.UNIMPLEMENTED, "Unsupported signature method_name: "
            + task.getMethodName());
      }
    }
  }

  /**
   * MultiInference on a leased version (the tasks' model name and version are not looked
   * at, beyond their being the same).
   */
  static MultiInferenceResponse multiInference(Lease lease, MultiInferenceRequest req) {
    checkTasks(req);
    return runTasks(lease, req);
  }

  /** The tasks of a request that {@link #checkTasks} accepted, on a leased version. */
  private static MultiInferenceResponse runTasks(Lease lease, MultiInferenceRequest req) {
    String inputTensor = null;
    for (InferenceTask task : req.getTasksList()) {
      String name = signatureName(task.getModelSpec());
      String tensor = ExampleInference.signature(lease.model(), name, task.getMethodName())
          .inputs().values().iterator().next().tensorName();
      if (inputTensor != null && !inputTensor.equals(tensor)) {
        throw new ServingException(Code.INVALID_ARGUMENT, "Input tensor must be the same for"
            + " all Signatures.");
      }
      inputTensor = tensor;
    }
    NdArray<byte[]> examples = ExampleInference.serializedExamples(req.getInput());
    MultiInferenceResponse.Builder response = MultiInferenceResponse.newBuilder();
    for (InferenceTask task : req.getTasksList()) {
      String name = signatureName(task.getModelSpec());
      InferenceResult.Builder result = InferenceResult.newBuilder()
          .setModelSpec(effective(lease, name));
      if (CLASSIFY.equals(task.getMethodName())) {
        result.setClassificationResult(ExampleInference.classify(lease, name, examples));
      } else {
        result.setRegressionResult(ExampleInference.regress(lease, name, examples));
      }
      response.addResults(result);
    }
    return response.build();
  }

  /** TF Serving's GetModelMetadata ({@code signature_def} only, as TF Serving). */
  public GetModelMetadataResponse metadata(GetModelMetadataRequest req) {
    if (req.getMetadataFieldCount() == 0) {
      throw new ServingException(Code.INVALID_ARGUMENT, "GetModelMetadataRequest must specify"
          + " at least one metadata_field");
    }
    for (String field : req.getMetadataFieldList()) {
      if (!"signature_def".equals(field)) {
        throw new ServingException(Code.INVALID_ARGUMENT, "Metadata field " + field
            + " is not supported");
      }
    }
    try (Lease lease = lease(req.hasModelSpec(), req.getModelSpec())) {
      SignatureDefMap.Builder defs = SignatureDefMap.newBuilder();
      lease.model().signatures().forEach((name, sig) ->
          defs.putSignatureDef(name, signatureDef(sig)));
      return GetModelMetadataResponse.newBuilder().setModelSpec(effective(lease, null))
          .putMetadata("signature_def", Any.pack(defs.build())).build();
    }
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

  /** TF Serving's GetModelStatus: every version the model has seen, or the one asked for. */
  public GetModelStatusResponse status(GetModelStatusRequest req) {
    if (!req.hasModelSpec()) {
      throw new ServingException(Code.INVALID_ARGUMENT, "Missing ModelSpec");
    }
    ModelSpec spec = req.getModelSpec();
    ServedModel model = core.models().get(spec.getName());
    if (model == null) {
      throw new ServingException(Code.NOT_FOUND, "Could not find any versions of model "
          + spec.getName());
    }
    Long wanted = spec.hasVersion() ? spec.getVersion().getValue() : null;
    if (spec.getVersionChoiceCase() == ModelSpec.VersionChoiceCase.VERSION_LABEL) {
      wanted = model.config().getVersionLabelsMap().get(spec.getVersionLabel());
      if (wanted == null) {
        throw new ServingException(Code.INVALID_ARGUMENT, "Unrecognized servable version"
            + " label: " + spec.getVersionLabel());
      }
    }
    GetModelStatusResponse.Builder response = GetModelStatusResponse.newBuilder();
    Long only = wanted;
    model.states().forEach((v, state) -> {
      if (only == null || only.longValue() == v) {
        String error = state.getValue();
        response.addModelVersionStatus(ModelVersionStatus.newBuilder().setVersion(v)
            .setState(ModelVersionStatus.State.valueOf(state.getKey()))
            .setStatus(StatusProto.newBuilder().setErrorCode(error.isEmpty() ? Code.OK
                : Code.UNKNOWN).setErrorMessage(error)));
      }
    });
    if (response.getModelVersionStatusCount() == 0) {
      throw new ServingException(Code.NOT_FOUND, only == null ? "Could not find any versions"
          + " of model " + spec.getName() : "Could not find version " + only + " of model "
          + spec.getName());
    }
    return response.build();
  }

  /**
   * TF Serving's HandleReloadConfigRequest: the served models become the config's; the
   * answer's status says whether all of it was applied.
   */
  public ReloadConfigResponse reload(ReloadConfigRequest req) {
    if (!req.hasConfig()) {
      throw new ServingException(Code.INVALID_ARGUMENT, "ReloadConfigRequest must have a"
          + " config.");
    }
    StatusProto.Builder status = StatusProto.newBuilder().setErrorCode(Code.OK);
    try {
      core.reload(req.getConfig());
    } catch (ServingException e) {
      status.setErrorCode(e.code()).setErrorMessage(e.getMessage());
    }
    return ReloadConfigResponse.newBuilder().setStatus(status).build();
  }

  @Override
  public String toString() {
    return "ServingApi over " + core;
  }
}
