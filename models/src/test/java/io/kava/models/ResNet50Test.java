package io.kava.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kava.Model;
import io.kava.optimizers.SGD;
import org.junit.jupiter.api.Test;

/** ResNet50 has keras.applications' layers, names and parameter split, and it trains. */
class ResNet50Test {

  @Test
  void parameterCountsEqualKerasApplications() {
    Model m = ResNet50.create(1000);
    assertEquals(25_636_712, m.countParams());
    String summary = m.summaryString();
    assertTrue(summary.contains("Trainable params: 25,583,592"), summary);
    assertTrue(summary.contains("Non-trainable params: 53,120"), summary);
    assertTrue(summary.contains("conv1_pad (ZeroPadding2D)"), summary);
    assertTrue(summary.contains("(None, 230, 230, 3)"), summary);
    assertTrue(summary.contains("conv5_block3_out (Activation)"), summary);
    assertTrue(summary.contains("(None, 7, 7, 2048)"), summary);
    assertTrue(summary.contains("avg_pool (GlobalAveragePooling2D)"), summary);
    assertTrue(summary.contains("conv2_block1_0_bn[0][0], conv2_block1_3_bn[0][0]"), summary);
    assertEquals("resnet50", m.name());
  }

  @Test
  void smallInputsTrain() {
    ZooFixtures.assertTrains(ResNet50.create(3, 32, 32).seed(1), new SGD(0.01), 32, 3);
  }

  @Test
  void badArgumentsAreNamed() {
    var e = assertThrows(IllegalArgumentException.class, () -> ResNet50.create(10, 31, 31));
    assertEquals("ResNet50: input must be an image of at least 32x32 pixels (height, width,"
        + " channels); got (31, 31, 3).", e.getMessage());
  }
}
