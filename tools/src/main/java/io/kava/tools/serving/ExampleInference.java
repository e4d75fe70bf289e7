package io.kava.tools.serving;

import com.google.protobuf.ByteString;
import io.kava.saving.SavedModel;
import io.kava.saving.SignatureInfo;
import io.kava.saving.TensorSpec;
import java.util.List;
import java.util.Map;
import org.tensorflow.ndarray.NdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.Example;
import org.tensorflow.proto.error.Code;
import tensorflow.serving.Classification.ClassificationResult;
import tensorflow.serving.Classification.Classifications;
import tensorflow.serving.InputOuterClass.Input;
import tensorflow.serving.RegressionOuterClass.Regression;
import tensorflow.serving.RegressionOuterClass.RegressionResult;

/**
 * Classification and regression on tf.Examples, as TF Serving's classifier and regressor:
 * the signature checks (method name, one DT_STRING input, {@code classes} / {@code scores}
 * or {@code outputs}), the examples serialized into the input tensor (a context merged into
 * each), and the outputs turned into results. Shared by Classify, Regress and
 * MultiInference.
 */
final class ExampleInference {
  private ExampleInference() {}

  /** The signature a Classify or Regress task names, with TF Serving's checks. */
  static SignatureInfo signature(SavedModel sm, String name, String method) {
    String what = ServingApi.CLASSIFY.equals(method) ? "classification" : "regression";
    ServingApi.refuseInvalid(sm, name);
    if (!sm.signatureNames().contains(name)) {
      throw new ServingException(Code.INVALID_ARGUMENT, "No signature was found with the name: "
          + name);
    }
    SignatureInfo sig = sm.signature(name);
    if (!method.equals(sig.methodName())) {
      throw new ServingException(Code.INVALID_ARGUMENT, "Expected " + what + " signature"
          + " method_name to be " + method + ". Was: " + sig.methodName());
    }
    if (sig.inputs().size() != 1) {
      throw new ServingException(Code.INVALID_ARGUMENT, "Expected one input Tensor.");
    }
    TensorSpec in = sig.inputs().values().iterator().next();
    if (in.dtype() != DataType.DT_STRING) {
      throw new ServingException(Code.INVALID_ARGUMENT, "Expected the input Tensor of " + what
          + " signature '" + name + "' to be DT_STRING (serialized tf.Example); it is "
          + in.dtype() + ".");
    }
    if (ServingApi.CLASSIFY.equals(method)) {
      int outs = sig.outputs().size();
      TensorSpec classes = sig.outputs().get("classes");
      TensorSpec scores = sig.outputs().get("scores");
      if (outs < 1 || outs > 2 || classes == null && scores == null
          || outs == 2 && (classes == null || scores == null)) {
        throw new ServingException(Code.INVALID_ARGUMENT, "Expected classification signature"
            + " outputs 'classes' (DT_STRING) and/or 'scores' (DT_FLOAT); signature '" + name
            + "' has " + sig.outputs().keySet() + ".");
      }
      if (classes != null && classes.dtype() != DataType.DT_STRING
          || scores != null && scores.dtype() != DataType.DT_FLOAT) {
        throw new ServingException(Code.INVALID_ARGUMENT, "Expected classes Tensor of"
            + " DT_STRING and scores Tensor of DT_FLOAT; signature '" + name + "' has "
            + sig.outputs().values() + ".");
      }
    } else {
      TensorSpec outputs = sig.outputs().get("outputs");
      if (sig.outputs().size() != 1 || outputs == null
          || outputs.dtype() != DataType.DT_FLOAT) {
        throw new ServingException(Code.INVALID_ARGUMENT, "Expected one output Tensor,"
            + " 'outputs' of DT_FLOAT; signature '" + name + "' has " + sig.outputs().values()
            + ".");
      }
    }
    return sig;
  }

  /**
   * The examples of {@code input}, serialized as a [n] string tensor; with a context, the
   * context's bytes come first, so that parsing merges it into each example, as TF Serving
   * does.
   */
  static NdArray<byte[]> serializedExamples(Input input) {
    List<Example> examples;
    ByteString context = ByteString.EMPTY;
    switch (input.getKindCase()) {
      case EXAMPLE_LIST -> examples = input.getExampleList().getExamplesList();
      case EXAMPLE_LIST_WITH_CONTEXT -> {
        examples = input.getExampleListWithContext().getExamplesList();
        context = input.getExampleListWithContext().getContext().toByteString();
      }
      default -> throw new ServingException(Code.INVALID_ARGUMENT, "Input is empty.");
    }
    if (examples.isEmpty()) {
      throw new ServingException(Code.INVALID_ARGUMENT, "Input is empty.");
    }
    NdArray<byte[]> a = NdArrays.ofObjects(byte[].class, Shape.of(examples.size()));
    for (int i = 0; i < examples.size(); i++) {
      a.setObject(context.concat(examples.get(i).toByteString()).toByteArray(), i);
    }
    return a;
  }

  static ClassificationResult classify(Lease lease, String name,
      NdArray<byte[]> examples) {
    SignatureInfo sig = signature(lease.model(), name, ServingApi.CLASSIFY);
    long n = examples.shape().get(0);
    Map<String, NdArray<?>> out = ServingApi.run(lease, name,
        Map.of(sig.inputs().keySet().iterator().next(), examples));
    NdArray<?> c = out.get("classes");
    NdArray<?> sc = out.get("scores");
    long k = -1;
    for (NdArray<?> t : new NdArray<?>[] {c, sc}) {
      if (t != null) {
        if (t.rank() != 2 || t.shape().get(0) != n || k >= 0 && t.shape().get(1) != k) {
          throw new ServingException(Code.INVALID_ARGUMENT, "Expected classes and scores"
              + " Tensors of shape [batch_size, num_classes] with batch_size " + n + "; got "
              + t.shape() + ".");
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
    return result.build();
  }

  static RegressionResult regress(Lease lease, String name, NdArray<byte[]> examples) {
    SignatureInfo sig = signature(lease.model(), name, ServingApi.REGRESS);
    long n = examples.shape().get(0);
    NdArray<?> y = ServingApi.run(lease, name,
        Map.of(sig.inputs().keySet().iterator().next(), examples)).get("outputs");
    if (y.shape().numDimensions() == 0 || y.shape().get(0) != n || y.rank() > 2
        || y.rank() == 2 && y.shape().get(1) != 1) {
      throw new ServingException(Code.INVALID_ARGUMENT, "Expected output Tensor shape to be"
          + " either [batch_size] or [batch_size, 1] with batch_size " + n + "; got "
          + y.shape() + ".");
    }
    RegressionResult.Builder result = RegressionResult.newBuilder();
    for (long i = 0; i < n; i++) {
      float v = (Float) (y.rank() == 1 ? y.getObject(i) : y.getObject(i, 0));
      result.addRegressions(Regression.newBuilder().setValue(v));
    }
    return result.build();
  }
}
