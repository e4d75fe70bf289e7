package io.kava.metrics;

import static io.kava.TestArrays.column;
import static io.kava.TestArrays.matrix;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.NdArrays;

class ClassesTest {

  @Test
  void argmaxPerRowFirstMaximumWins() {
    assertArrayEquals(new int[] {2, 0, 1}, Classes.of(matrix(
        new float[] {0.1f, 0.2f, 0.7f}, new float[] {0.5f, 0.2f, 0.3f},
        new float[] {0.2f, 0.4f, 0.4f})));
  }

  @Test
  void oneUnitIsThresholdedAtOneHalf() {
    assertArrayEquals(new int[] {0, 1, 0}, Classes.of(column(0.2f, 0.9f, 0.5f)));
  }

  @Test
  void aScalarIsRejected() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> Classes.of(NdArrays.scalarOf(1f)));
    assertEquals("Classes: outputs must be an array [n, classes]; got a scalar.", e.getMessage());
  }
}
