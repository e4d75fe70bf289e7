package io.kava.callbacks;

import static io.kava.TestArrays.column;
import static io.kava.TestArrays.flat;
import static io.kava.callbacks.Fixtures.X;
import static io.kava.callbacks.Fixtures.Y;
import static io.kava.callbacks.Fixtures.epochs;
import static io.kava.callbacks.Fixtures.regression;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kava.History;
import io.kava.Sequential;
import io.kava.callbacks.Fixtures.Script;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.FloatNdArray;

class EarlyStoppingTest {

  private static History fit(Sequential model, int epochs, Callback... callbacks) {
    return model.fit(X, Y, epochs(epochs).callbacks(callbacks));
  }

  @Test
  void stopsAfterPatienceEpochsWithoutImprovement() {
    // Best at epoch 1; epochs 2 and 3 do not improve on it: patience 2 stops after epoch 3.
    EarlyStopping stop = new EarlyStopping().patience(2).verbose(false);
    try (Sequential model = regression(0.01)) {
      History h = fit(model, 10, new Script("val_loss", 1.0, 0.8, 0.9, 0.85, 0.7, 0.6), stop);
      assertEquals(List.of(0, 1, 2, 3), h.epochs());
      assertEquals(3, stop.stoppedEpoch());
      assertEquals(1, stop.bestEpoch());
    }
  }

  @Test
  void patienceZeroStopsAtTheFirstEpochWithoutImprovement() {
    EarlyStopping stop = new EarlyStopping().verbose(false);
    try (Sequential model = regression(0.01)) {
      History h = fit(model, 10, new Script("val_loss", 1.0, 0.9, 0.95, 0.5), stop);
      assertEquals(3, h.epochs().size());
      assertEquals(2, stop.stoppedEpoch());
    }
  }

  @Test
  void changesBelowMinDeltaAreNoImprovement() {
    EarlyStopping stop = new EarlyStopping().minDelta(0.1).patience(1).verbose(false);
    try (Sequential model = regression(0.01)) {
      fit(model, 10, new Script("val_loss", 1.0, 0.95, 0.5), stop);
      assertEquals(1, stop.stoppedEpoch());
    }
  }

  @Test
  void accuracyIsMaximizedInAutoMode() {
    EarlyStopping stop = new EarlyStopping().monitor("val_accuracy").patience(1).verbose(false);
    try (Sequential model = regression(0.01)) {
      fit(model, 10, new Script("val_accuracy", 0.5, 0.6, 0.7, 0.65, 0.9), stop);
      assertEquals(3, stop.stoppedEpoch());
      assertEquals(2, stop.bestEpoch());
    }
  }

  @Test
  void restoreBestWeightsRestoresTheBestEpochs() {
    EarlyStopping stop = new EarlyStopping().patience(2).restoreBestWeights(true).verbose(false);
    Script script = new Script("val_loss", 1.0, 0.8, 0.9, 0.85, 0.7);
    try (Sequential model = regression(0.01)) {
      fit(model, 10, script, stop);
      assertEquals(4, script.weights.size());
      float[] best = script.weights.get(1).get(0);
      float[] last = script.weights.get(3).get(0);
      assertNotEquals(best[0], last[0], "training moved the weight after the best epoch");
      assertArrayEquals(best, flat(model.getWeights().get(0)));
    }
  }

  @Test
  void bestWeightsAreRestoredAtTheEndEvenWithoutAStop() {
    // Keras 3: restore_best_weights restores at the end of training, stopped or not.
    EarlyStopping stop = new EarlyStopping().patience(5).restoreBestWeights(true).verbose(false);
    Script script = new Script("val_loss", 1.0, 0.5, 0.9, 0.8);
    try (Sequential model = regression(0.01)) {
      fit(model, 4, script, stop);
      assertEquals(-1, stop.stoppedEpoch());
      assertArrayEquals(script.weights.get(1).get(0), flat(model.getWeights().get(0)));
    }
  }

  @Test
  void anEpochThatImprovedNeverStopsEvenBelowTheBaseline() {
    // Each epoch improves on the last but none reaches the baseline 0.1: Keras 3 keeps going
    // while it improves, then stops at the first epoch that does not.
    EarlyStopping stop = new EarlyStopping().patience(1).baseline(0.1).verbose(false);
    try (Sequential model = regression(0.01)) {
      History h = fit(model, 10, new Script("val_loss", 1.0, 0.9, 0.8, 0.7, 0.75), stop);
      assertEquals(4, stop.stoppedEpoch());
      assertEquals(5, h.epochs().size());
    }
  }

  @Test
  void aMissingMonitorIsOneClearWarningOnTheFitsStream() {
    var bytes = new java.io.ByteArrayOutputStream();
    var out = new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8);
    var best = new ModelCheckpoint(java.nio.file.Path.of("never-written")).saveBestOnly(true)
        .monitor("val_nope");
    try (Sequential model = regression(0.01)) {
      model.fit(X, Y, epochs(3).printTo(out).callbacks(best));
    }
    assertEquals("WARNING: ModelCheckpoint monitors 'val_nope', which is not in the logs;"
        + " skipping. Available keys: [loss].\n",
        bytes.toString(java.nio.charset.StandardCharsets.UTF_8));
    assertEquals(null, best.lastSaved());
  }

  @Test
  void messagesGoToTheFitsStream() {
    var bytes = new java.io.ByteArrayOutputStream();
    var out = new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8);
    EarlyStopping stop = new EarlyStopping().patience(0).restoreBestWeights(true);
    try (Sequential model = regression(0.01)) {
      model.fit(X, Y, epochs(5).printTo(out).callbacks(new Script("val_loss", 1, 2), stop));
    }
    String text = bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(text.contains("Epoch 2: early stopping\nRestoring model weights from the end"
        + " of the best epoch: 1."), text);
  }

  @Test
  void stopsWhenRealValidationLossRises() {
    // Training pulls the weight towards 1, the validation targets want -1: val_loss rises
    // from the first epoch on, so patience 1 stops after epoch 1 and restores epoch 0.
    FloatNdArray vy = column(-1, -2, -3, -4);
    EarlyStopping stop = new EarlyStopping().patience(1).restoreBestWeights(true).verbose(false);
    Script recorder = Script.recorder();
    try (Sequential model = regression(0.01)) {
      History h = model.fit(X, Y, epochs(10).validationData(X, vy).callbacks(recorder, stop));
      assertTrue(h.get("val_loss").get(1) > h.get("val_loss").get(0), h.toString());
      assertEquals(1, stop.stoppedEpoch());
      assertArrayEquals(recorder.weights.get(0).get(0), flat(model.getWeights().get(0)));
    }
  }

  @Test
  void aMissingMonitorNeverStops() {
    EarlyStopping stop = new EarlyStopping().verbose(false);
    try (Sequential model = regression(0.01)) {
      // No validation data: val_loss never appears (a warning is printed once).
      History h = fit(model, 3, stop);
      assertEquals(3, h.epochs().size());
      assertEquals(-1, stop.stoppedEpoch());
    }
  }

  @Test
  void invalidSettingsFailWithTheValue() {
    var e = assertThrows(IllegalArgumentException.class, () -> new EarlyStopping().patience(-1));
    assertEquals("EarlyStopping: patience must be >= 0; got -1.", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new EarlyStopping().minDelta(-0.1));
    assertEquals("EarlyStopping: min delta must be a finite number >= 0; got -0.1.",
        e.getMessage());
  }

  @Test
  void toStringShowsNonDefaults() {
    assertEquals("EarlyStopping(monitor=val_loss, patience=0)", new EarlyStopping().toString());
    assertEquals("EarlyStopping(monitor=val_accuracy, patience=3, restore_best_weights=true)",
        new EarlyStopping().monitor("val_accuracy").patience(3).restoreBestWeights(true)
            .toString());
  }
}
