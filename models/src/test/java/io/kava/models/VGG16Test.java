package io.kava.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kava.Model;
import io.kava.optimizers.SGD;
import org.junit.jupiter.api.Test;

/** VGG16 has keras.applications' layers, names and parameter count, and it trains. */
class VGG16Test {

  @Test
  void parameterCountEqualsKerasApplications() {
    Model m = VGG16.create(1000);
    assertEquals(138_357_544, m.countParams());
    String summary = m.summaryString();
    assertTrue(summary.contains("Trainable params: 138,357,544"), summary);
    assertTrue(summary.contains("Non-trainable params: 0"), summary);
    assertTrue(summary.contains("block5_pool (MaxPooling2D)"), summary);
    assertTrue(summary.contains("(None, 7, 7, 512)"), summary);
    assertTrue(summary.contains("fc2 (Dense)"), summary);
    assertEquals("vgg16", m.name());
  }

  @Test
  void smallInputsTrain() {
    ZooFixtures.assertTrains(VGG16.create(3, 32, 32).seed(1), new SGD(0.01), 32, 3);
  }

  @Test
  void badArgumentsAreNamed() {
    var e = assertThrows(IllegalArgumentException.class, () -> VGG16.create(10, 16, 224));
    assertEquals("VGG16: input must be an image of at least 32x32 pixels (height, width,"
        + " channels); got (16, 224, 3).", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> VGG16.create(0));
    assertEquals("VGG16: numClasses must be >= 1; got 0.", e.getMessage());
  }
}
