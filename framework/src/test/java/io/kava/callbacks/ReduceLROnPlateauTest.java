package io.kava.callbacks;

import static io.kava.TestArrays.column;
import static io.kava.callbacks.Fixtures.X;
import static io.kava.callbacks.Fixtures.Y;
import static io.kava.callbacks.Fixtures.epochs;
import static io.kava.callbacks.Fixtures.regression;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kava.History;
import io.kava.Sequential;
import io.kava.callbacks.Fixtures.Script;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReduceLROnPlateauTest {

  private static void assertRates(List<Double> expected, List<Double> actual) {
    assertEquals(expected.size(), actual.size(), actual.toString());
    for (int i = 0; i < expected.size(); i++) {
      // The learning rate is a float32 variable.
      assertEquals(expected.get(i), actual.get(i), 1e-7 * expected.get(i), actual.toString());
    }
  }

  @Test
  void reducesAfterPatienceEpochsWithoutImprovement() {
    ReduceLROnPlateau plateau = new ReduceLROnPlateau().patience(2).factor(0.5).verbose(false);
    try (Sequential model = regression(0.1)) {
      History h = model.fit(X, Y, epochs(6).callbacks(
          new Script("val_loss", 1, 1, 1, 1, 1, 1), plateau));
      // Each epoch logs the rate it trained with; reductions after epochs 2 and 4.
      assertRates(List.of(0.1, 0.1, 0.1, 0.05, 0.05, 0.025), h.get("learning_rate"));
      assertEquals(0.025, model.learningRate(), 1e-8);
    }
  }

  @Test
  void improvementsResetTheWait() {
    ReduceLROnPlateau plateau = new ReduceLROnPlateau().patience(2).verbose(false);
    try (Sequential model = regression(0.1)) {
      History h = model.fit(X, Y, epochs(5).callbacks(
          new Script("val_loss", 1, 0.9, 0.95, 0.8, 0.85), plateau));
      assertRates(List.of(0.1, 0.1, 0.1, 0.1, 0.1), h.get("learning_rate"));
    }
  }

  @Test
  void neverGoesBelowMinLr() {
    ReduceLROnPlateau plateau = new ReduceLROnPlateau().patience(1).factor(0.1).minLr(0.02)
        .verbose(false);
    try (Sequential model = regression(0.1)) {
      History h = model.fit(X, Y, epochs(4).callbacks(new Script("val_loss", 1, 1, 1, 1),
          plateau));
      // 0.1 * 0.1 = 0.01 is floored at 0.02 after epoch 1, and 0.02 is never reduced.
      assertRates(List.of(0.1, 0.1, 0.02, 0.02), h.get("learning_rate"));
    }
  }

  @Test
  void cooldownSkipsEpochsAfterAReduction() {
    ReduceLROnPlateau plateau = new ReduceLROnPlateau().patience(1).factor(0.5).cooldown(1)
        .verbose(false);
    try (Sequential model = regression(0.1)) {
      History h = model.fit(X, Y, epochs(5).callbacks(new Script("val_loss", 1, 1, 1, 1, 1),
          plateau));
      // Reduced after epoch 1; epoch 2 is cooldown; reduced again after epoch 3.
      assertRates(List.of(0.1, 0.1, 0.05, 0.05, 0.025), h.get("learning_rate"));
    }
  }

  @Test
  void monitorsRealValidationLossByDefault() {
    // Validation targets the training never approaches: val_loss does not improve.
    ReduceLROnPlateau plateau = new ReduceLROnPlateau().patience(1).factor(0.5).verbose(false);
    try (Sequential model = regression(0.01)) {
      History h = model.fit(X, Y, epochs(3).validationData(X, column(
          -1, -2, -3, -4)).callbacks(plateau));
      assertRates(List.of(0.01, 0.01, 0.005), h.get("learning_rate"));
    }
  }

  @Test
  void factorMustBeBelowOne() {
    var e = assertThrows(IllegalArgumentException.class, () -> new ReduceLROnPlateau().factor(1));
    assertEquals("ReduceLROnPlateau: factor must be in [0.0, 1.0); got 1.0.", e.getMessage());
  }
}
