package io.kava.tools.serving;

import com.google.protobuf.InvalidProtocolBufferException;
import io.kava.saving.SignatureInfo;
import io.kava.saving.TensorSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.ndarray.NdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import tensorflow.serving.PredictionLogOuterClass.PredictionLog;

/**
 * Warms a freshly loaded model version up before it takes traffic, so that the first
 * requests do not pay for TensorFlow's lazy work (graph pruning and optimization on the first
 * run of each signature). As TF Serving: if the version folder has
 * {@code assets.extra/tf_serving_warmup_requests}, a TFRecord file of
 * {@code tensorflow.serving.PredictionLog} records (at most 1000), each Predict, Classify,
 * Regress and MultiInference request in it is replayed {@code iterations} times on the
 * version, and any failure fails the version's load. Without that file, each Predict
 * signature with numeric inputs runs once on zeros of batch 1 (kava serve's own addition;
 * its failures are ignored, a signature may need real data).
 *
 * <pre>{@code
 * jshell> Warmup.replay(Path.of("half_plus_two/00000123"), lease, 1, 1 << 26)
 * $1 ==> 3
 * }</pre>
 */
final class Warmup {
  /** TF Serving's name for the warmup file, in {@code assets.extra}. */
  static final String FILE = "tf_serving_warmup_requests";
  /** TF Serving's limit on the number of warmup records. */
  static final int MAX_RECORDS = 1000;

  private Warmup() {}

  /** The warmup file of a version folder (which need not exist). */
  static Path file(Path versionDir) {
    return versionDir.resolve("assets.extra").resolve(FILE);
  }

  /**
   * Replays the warmup file of {@code versionDir} on {@code lease}, each record
   * {@code iterations} times; returns the number of records, 0 if there is no file.
   *
   * @throws IllegalArgumentException naming the file and the record, if the file is not a
   *     TFRecord file of PredictionLogs, holds more than 1000 records, a record is of a kind
   *     that cannot be replayed, or a request fails
   */
  static int replay(Path versionDir, Lease lease, int iterations, long maxBytes) {
    Path file = file(versionDir);
    if (!Files.isRegularFile(file)) {
      return 0;
    }
    int[] index = {0};
    return TfRecordReader.forEach(file, MAX_RECORDS, bytes -> {
      String where = "Warmup record " + index[0]++ + " of " + file;
      PredictionLog log;
      try {
        log = PredictionLog.parseFrom(bytes);
      } catch (InvalidProtocolBufferException e) {
        throw new IllegalArgumentException(where + " is not a tensorflow.serving.PredictionLog:"
            + " " + e.getMessage(), e);
      }
      for (int i = 0; i < iterations; i++) {
        try {
          run(log, lease, maxBytes);
        } catch (ServingException | IllegalArgumentException e) {
          throw new IllegalArgumentException(where + " failed: " + e.getMessage(), e);
        }
      }
    });
  }

  private static void run(PredictionLog log, Lease lease, long maxBytes) {
    switch (log.getLogTypeCase()) {
      case PREDICT_LOG -> ServingApi.predict(lease, log.getPredictLog().getRequest(), maxBytes);
      case CLASSIFY_LOG -> ServingApi.classify(lease, log.getClassifyLog().getRequest());
      case REGRESS_LOG -> ServingApi.regress(lease, log.getRegressLog().getRequest());
      case MULTI_INFERENCE_LOG -> ServingApi.multiInference(lease,
          log.getMultiInferenceLog().getRequest());
      default -> throw new IllegalArgumentException("unsupported log_type for warmup: "
          + (log.getLogTypeCase() == PredictionLog.LogTypeCase.LOGTYPE_NOT_SET
              ? "none (session_run_log is not supported)" : log.getLogTypeCase())
          + "; supported: predict_log, classify_log, regress_log, multi_inference_log");
    }
  }

  /**
   * Runs each Predict signature of {@code lease}'s model whose inputs are all numeric and of
   * known rank once on zeros, unknown dimensions as 1; returns how many ran.
   */
  static int zeros(Lease lease) {
    int ran = 0;
    for (Map.Entry<String, SignatureInfo> e : lease.model().signatures().entrySet()) {
      SignatureInfo sig = e.getValue();
      if (!"tensorflow/serving/predict".equals(sig.methodName())) {
        continue;
      }
      Map<String, NdArray<?>> inputs = new LinkedHashMap<>();
      for (TensorSpec spec : sig.inputs().values()) {
        NdArray<?> z = zeros(spec);
        if (z == null) {
          inputs = null;
          break;
        }
        inputs.put(spec.key(), z);
      }
      if (inputs == null) {
        continue;
      }
      try {
        lease.run(e.getKey(), inputs);
        ran++;
      } catch (RuntimeException ignored) {
        // Zeros are not every signature's data; a real request will tell what is wrong.
      }
    }
    return ran;
  }

  private static NdArray<?> zeros(TensorSpec spec) {
    if (spec.shape().isUnknown()) {
      return null;
    }
    long[] dims = spec.shape().asArray().clone();
    for (int i = 0; i < dims.length; i++) {
      dims[i] = dims[i] < 0 ? 1 : dims[i];
    }
    Shape shape = Shape.of(dims);
    if (shape.size() > 1 << 20) {
      return null;
    }
    return switch (spec.dtype()) {
      case DT_FLOAT -> NdArrays.ofFloats(shape);
      case DT_DOUBLE -> NdArrays.ofDoubles(shape);
      case DT_INT32 -> NdArrays.ofInts(shape);
      case DT_INT64 -> NdArrays.ofLongs(shape);
      default -> null;
    };
  }
}
