package io.kava.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kava.Model;
import io.kava.Node;
import io.kava.layers.Activation;
import io.kava.layers.Dense;
import io.kava.layers.GlobalAveragePooling2D;
import io.kava.layers.Input;
import io.kava.optimizers.Adam;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.Shape;

/** MobileNetV2 has keras.applications' layers, names and parameter split, and it trains. */
class MobileNetV2Test {

  @Test
  void parameterCountsEqualKerasApplications() {
    Model m = MobileNetV2.create(1000);
    assertEquals(3_538_984, m.countParams());
    String summary = m.summaryString();
    assertTrue(summary.contains("Trainable params: 3,504,872"), summary);
    assertTrue(summary.contains("Non-trainable params: 34,112"), summary);
    assertTrue(summary.contains("block_1_pad (ZeroPadding2D)"), summary);
    assertTrue(summary.contains("(None, 113, 113, 96)"), summary);
    assertTrue(summary.contains("expanded_conv_depthwise (DepthwiseConv2D)"), summary);
    assertTrue(summary.contains("block_16_project_BN (BatchNormalization)"), summary);
    assertTrue(summary.contains("out_relu (ReLU)"), summary);
    assertTrue(summary.contains("(None, 7, 7, 1280)"), summary);
    assertEquals("mobilenetv2_1.00_224", m.name());
  }

  @Test
  void oddSizesPadAsKerasCorrectPad() {
    // 97 -> Conv1 (same, stride 2) 49: odd, so block_1 pads one pixel on every side.
    String summary = MobileNetV2.create(10, 97, 97).summaryString();
    assertTrue(summary.contains("(None, 51, 51, 96)"), summary);
  }

  @Test
  void smallInputsTrain() {
    ZooFixtures.assertTrains(MobileNetV2.create(3, 32, 32).seed(1), new Adam(1e-3), 32, 3);
  }

  @Test
  void featuresTakeANewHead() {
    Input image = Input.of(64, 64, 3);
    Node features = MobileNetV2.features(image);
    assertEquals(Shape.of(2, 2, 1280), features.shape());
    Node pooled = GlobalAveragePooling2D.of().apply(features);
    Node out = Dense.of(2).activation(Activation.SOFTMAX).name("cat_or_dog").apply(pooled);
    Model model = Model.of(image, out).seed(1);
    assertEquals(List.of("cat_or_dog"), model.outputNames());
    ZooFixtures.assertTrains(model, new Adam(1e-3), 64, 2);
  }

  @Test
  void badArgumentsAreNamed() {
    var e = assertThrows(IllegalArgumentException.class, () -> MobileNetV2.create(-1));
    assertEquals("MobileNetV2: numClasses must be >= 1; got -1.", e.getMessage());
  }
}
