package io.kava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kava.callbacks.TerminateOnNaN;
import org.junit.jupiter.api.Test;

class FitOptionsTest {

  @Test
  void kerasDefaults() {
    FitOptions o = FitOptions.defaults();
    assertEquals(1, o.epochs());
    assertEquals(32, o.batchSize());
    assertTrue(o.shuffle());
    assertEquals(1, o.verbose());
    assertEquals(0.0, o.validationSplit());
    assertNull(o.seed());
    assertEquals(0, o.initialEpoch());
    assertTrue(o.callbacks().isEmpty());
    assertSame(System.out, o.out());
    assertEquals("FitOptions(epochs=1, batch_size=32)", o.toString());
  }

  @Test
  void optionsAreImmutableCopies() {
    FitOptions base = FitOptions.defaults();
    FitOptions custom = base.epochs(3).batchSize(64).validationSplit(0.1).seed(42).shuffle(false)
        .verbose(0).callbacks(new TerminateOnNaN()).initialEpoch(1).stepsPerEpoch(100);
    assertEquals(1, base.epochs());
    assertEquals(0, base.stepsPerEpoch());
    assertEquals(100, custom.stepsPerEpoch());
    assertEquals("FitOptions(epochs=3, batch_size=64, shuffle=false, verbose=0,"
        + " validation_split=0.1, callbacks=1, initial_epoch=1, steps_per_epoch=100, seed=42)",
        custom.toString());
    assertEquals(64, custom.epochs(5).batchSize(), "a copy keeps the other options");
  }

  @Test
  void invalidValuesFailNamingTheOption() {
    FitOptions o = FitOptions.defaults();
    assertEquals("FitOptions: batch size must be > 0; got 0.",
        assertThrows(IllegalArgumentException.class, () -> o.batchSize(0)).getMessage());
    assertEquals("FitOptions: epochs must be > 0; got 0.",
        assertThrows(IllegalArgumentException.class, () -> o.epochs(0)).getMessage());
    assertEquals("FitOptions: verbose must be 0, 1 or 2; got 3.",
        assertThrows(IllegalArgumentException.class, () -> o.verbose(3)).getMessage());
    assertEquals("FitOptions: validation split must be in [0.0, 1.0); got 1.0.",
        assertThrows(IllegalArgumentException.class, () -> o.validationSplit(1)).getMessage());
    assertEquals("FitOptions: initial epoch must be >= 0; got -1.",
        assertThrows(IllegalArgumentException.class, () -> o.initialEpoch(-1)).getMessage());
    assertEquals("FitOptions: steps per epoch must be > 0; got 0.",
        assertThrows(IllegalArgumentException.class, () -> o.stepsPerEpoch(0)).getMessage());
    assertEquals("FitOptions: callback must be non-null; got null.",
        assertThrows(IllegalArgumentException.class,
            () -> o.callbacks(new TerminateOnNaN(), null)).getMessage());
  }
}
