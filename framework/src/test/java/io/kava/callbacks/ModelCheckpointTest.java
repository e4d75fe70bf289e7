package io.kava.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The path template; saving itself is covered by io.kava.SavingTest. */
class ModelCheckpointTest {

  @Test
  void fillsEpochAndLogPlaceholdersWhateverTheLocale() {
    Locale saved = Locale.getDefault();
    try {
      Locale.setDefault(Locale.GERMANY);
      assertEquals("ckpt/epoch-03-0.25", ModelCheckpoint.format("ckpt/epoch-{epoch:02d}-"
          + "{val_loss:.2f}", 2, Map.of("val_loss", 0.2512)));
    } finally {
      Locale.setDefault(saved);
    }
  }

  @Test
  void unknownPlaceholdersFailListingTheKeys() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> ModelCheckpoint.format("ckpt/{val_acc}", 0, Map.of("loss", 1.0)));
    assertEquals("ModelCheckpoint: path placeholder {val_acc} must be 'epoch' or a log key"
        + " [loss]; got 'val_acc'.", e.getMessage());
  }
}
