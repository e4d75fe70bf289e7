package io.kava.callbacks;

import static io.kava.callbacks.Fixtures.epochs;
import static io.kava.callbacks.Fixtures.regression;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kava.Sequential;
import io.kava.callbacks.Fixtures.Script;
import io.kava.saving.Config;
import io.kava.saving.Registry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The configuration idiom every built-in callback shares: immutable settings, config(). */
class CallbacksTest {

  @Test
  void optionsReturnCopiesAndLeaveTheOriginalAlone() {
    EarlyStopping base = new EarlyStopping();
    EarlyStopping patient = base.patience(5);
    assertNotSame(base, patient);
    assertEquals(0, base.patience());
    assertEquals(5, patient.patience());

    ReduceLROnPlateau plateau = new ReduceLROnPlateau();
    plateau.factor(0.5);
    assertEquals(0.1, plateau.factor());
  }

  @Test
  void configsUseKerasNamesAndRoundTripThroughTheRegistry() {
    List<Callback> callbacks = List.of(
        new EarlyStopping().monitor("val_accuracy").patience(3).baseline(0.5)
            .restoreBestWeights(true).mode(Mode.MAX).startFromEpoch(2).verbose(false),
        new ReduceLROnPlateau().monitor("loss").factor(0.5).patience(2).cooldown(1)
            .minLr(1e-5).minDelta(0.01).mode(Mode.MIN),
        new ModelCheckpoint(Path.of("ckpt/e{epoch:02d}")).saveBestOnly(true).verbose(true),
        new CSVLogger(Path.of("log.csv")).separator(";").append(true),
        new TensorBoard(Path.of("logs/run1")),
        new TerminateOnNaN());
    for (Callback c : callbacks) {
      String type = c.getClass().getSimpleName();
      Callback back = Registry.defaults().create(Callback.class, type, c.getClass().getName(),
          c.config());
      assertEquals(c.config(), back.config(), type);
      assertEquals(c.toString(), back.toString(), type);
    }
    assertEquals(Map.of("monitor", "val_accuracy", "min_delta", 0.0, "patience", 3L,
        "verbose", 0L, "mode", "max", "baseline", 0.5, "restore_best_weights", true,
        "start_from_epoch", 2L), callbacks.get(0).config().asMap());
    assertEquals(List.of("filepath", "monitor", "verbose", "save_best_only", "mode"),
        List.copyOf(callbacks.get(2).config().asMap().keySet()));
  }

  @Test
  void missingKeysTakeTheDefaultsAndBadValuesAreNamed() {
    EarlyStopping e = EarlyStopping.fromConfig(Config.builder().put("patience", 4).build());
    assertEquals(new EarlyStopping().patience(4).config(), e.config());
    var err = assertThrows(IllegalArgumentException.class, () -> ReduceLROnPlateau.fromConfig(
        Config.builder().put("mode", "up").build()));
    assertEquals("ReduceLROnPlateau: mode must be one of auto, min, max; got up.",
        err.getMessage());
    err = assertThrows(IllegalArgumentException.class, () -> ReduceLROnPlateau.fromConfig(
        Config.builder().put("factor", 2).build()));
    assertEquals("ReduceLROnPlateau: factor must be in [0.0, 1.0); got 2.0.", err.getMessage());
  }

  @Test
  void oneCallbackServesSeveralFitsWithFreshStateEachTime() {
    var stop = new EarlyStopping().patience(1).verbose(false);
    try (Sequential model = regression(0.01)) {
      for (int fit = 0; fit < 2; fit++) {
        model.fit(Fixtures.X, Fixtures.Y, epochs(10).callbacks(
            new Script("val_loss", 1.0, 0.9, 0.95, 0.97, 0.99), stop));
        assertEquals(2, stop.stoppedEpoch(), "fit " + fit);
        assertEquals(1, stop.bestEpoch(), "fit " + fit);
      }
    }
  }
}
