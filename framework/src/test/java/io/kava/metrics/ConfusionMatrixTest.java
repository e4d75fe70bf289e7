package io.kava.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConfusionMatrixTest {
  // true:      0 0 0 1 1 2 2 2 2
  // predicted: 0 0 1 1 2 2 2 2 0
  static final int[] Y = {0, 0, 0, 1, 1, 2, 2, 2, 2};
  static final int[] P = {0, 0, 1, 1, 2, 2, 2, 2, 0};

  @Test
  void countsAndPerClassScoresMatchHandComputedValues() {
    var cm = ConfusionMatrix.of(Y, P, 3);
    assertEquals(2, cm.count(0, 0));
    assertEquals(1, cm.count(2, 0));
    assertEquals(6.0 / 9, cm.accuracy(), 1e-12);
    assertEquals(2.0 / 3, cm.precision(0), 1e-12);   // predicted 0: three, two right
    assertEquals(2.0 / 3, cm.recall(0), 1e-12);
    assertEquals(0.5, cm.precision(1), 1e-12);
    assertEquals(0.5, cm.recall(1), 1e-12);
    assertEquals(0.75, cm.precision(2), 1e-12);
    assertEquals(0.75, cm.recall(2), 1e-12);
    assertEquals(0.75, cm.f1(2), 1e-12);
    assertEquals(4, cm.support(2));
    assertEquals("ConfusionMatrix(classes=3, samples=9, accuracy=0.6667)", cm.toString());
  }

  @Test
  void reportHasScikitLearnsLayout() {
    String r = ConfusionMatrix.of(Y, P, 3).report(List.of("cat", "dog", "bird"));
    assertTrue(r.contains("precision    recall  f1-score   support"), r);
    assertTrue(r.lines().anyMatch(l -> l.matches("\\s+bird\\s+0\\.75\\s+0\\.75\\s+0\\.75\\s+4")),
        r);
    assertTrue(r.lines().anyMatch(l -> l.matches("\\s+accuracy\\s+0\\.67\\s+9")), r);
    assertTrue(r.lines().anyMatch(
        l -> l.matches("\\s+macro avg\\s+0\\.64\\s+0\\.64\\s+0\\.64\\s+9")), r);
  }

  @Test
  void badLabelsAreRejected() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> ConfusionMatrix.of(new int[] {0, 3}, new int[] {0, 0}, 3));
    assertTrue(e.getMessage().contains("true labels must be in [0, 3); got 3 at index 1"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> ConfusionMatrix.of(new int[] {0}, new int[] {0, 1}, 3));
    assertTrue(e.getMessage().contains("same length; got 1 and 2"), e.getMessage());
  }
}
