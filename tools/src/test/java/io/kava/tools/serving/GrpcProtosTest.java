package io.kava.tools.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Descriptors.Descriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorProto;
import tensorflow.serving.GetModelMetadata.SignatureDefMap;
import tensorflow.serving.Predict.PredictRequest;

/**
 * The generated tensorflow.serving messages are built on TF-Java's own TensorFlow messages
 * (the import-only .proto stand-ins generate nothing) and keep TF Serving's field numbers.
 */
class GrpcProtosTest {
  @Test
  void tensorflowTypesAreTfJavasClassesAndDescriptors() {
    Descriptor inputs = PredictRequest.getDescriptor().findFieldByName("inputs").getMessageType();
    assertSame(TensorProto.getDescriptor(), inputs.findFieldByName("value").getMessageType());
    Descriptor defs = SignatureDefMap.getDescriptor().findFieldByName("signature_def")
        .getMessageType();
    assertSame(SignatureDef.getDescriptor(), defs.findFieldByName("value").getMessageType());
    // One TensorProto class, from TF-Java's jar, not a copy generated into this module.
    String jar = TensorProto.class.getProtectionDomain().getCodeSource().getLocation()
        .toString();
    assertTrue(jar.contains("tensorflow-core-native"), jar);
    assertFalse(Files.exists(Path.of("target/classes/org/tensorflow")), "no generated copies");
  }

  @Test
  void fieldNumbersAreTfServings() {
    Descriptor r = PredictRequest.getDescriptor();
    assertEquals(1, r.findFieldByName("model_spec").getNumber());
    assertEquals(2, r.findFieldByName("inputs").getNumber());
    assertEquals(3, r.findFieldByName("output_filter").getNumber());
    Descriptor spec = r.findFieldByName("model_spec").getMessageType();
    assertEquals("tensorflow.serving.ModelSpec", spec.getFullName());
    assertEquals(1, spec.findFieldByName("name").getNumber());
    assertEquals(2, spec.findFieldByName("version").getNumber());
    assertEquals(3, spec.findFieldByName("signature_name").getNumber());
    assertEquals(4, spec.findFieldByName("version_label").getNumber());
  }
}
