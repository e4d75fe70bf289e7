package io.kava.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kava.Model;
import io.kava.optimizers.Adam;
import org.junit.jupiter.api.Test;

/** ResNet-20 has Keras's example's layout and parameter split, and it trains. */
class ResNet20Test {

  @Test
  void parameterCountsEqualKerasResnetV1Depth20() {
    try (Model m = ResNet20.create()) {
      assertEquals(274_442, m.countParams());
      String summary = m.summaryString();
      assertTrue(summary.contains("Trainable params: 273,066"), summary);
      assertTrue(summary.contains("Non-trainable params: 1,376"), summary);
      assertTrue(summary.contains("(None, 8, 8, 64)"), summary);
      assertTrue(summary.contains("activation_18"), summary);
      assertEquals(3, summary.lines().filter(l -> l.contains("(None, 32, 32, 16)")
          && l.trim().startsWith("add")).count(), summary);
    }
  }

  @Test
  void aFewStepsLowerTheLoss() {
    ZooFixtures.assertTrains(ResNet20.create().seed(1), new Adam(1e-3), 32, 10);
  }

  @Test
  void rejectsTooFewClasses() {
    var e = assertThrows(IllegalArgumentException.class, () -> ResNet20.create(0));
    assertEquals("ResNet20: numClasses must be >= 1; got 0.", e.getMessage());
  }
}
