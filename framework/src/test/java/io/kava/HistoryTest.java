package io.kava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HistoryTest {

  private static History twoEpochs() {
    History h = new History();
    Map<String, Double> e0 = new LinkedHashMap<>();
    e0.put("loss", 0.9);
    e0.put("accuracy", 0.5);
    h.onEpochEnd(null, 0, e0);
    Map<String, Double> e1 = new LinkedHashMap<>();
    e1.put("loss", 0.4);
    e1.put("accuracy", 0.75);
    h.onEpochEnd(null, 1, e1);
    return h;
  }

  @Test
  void valuesPerKeyInEpochOrder() {
    History h = twoEpochs();
    assertEquals(List.of("loss", "accuracy"), List.copyOf(h.keys()));
    assertEquals(List.of(0.9, 0.4), h.get("loss"));
    assertEquals(0.75, h.last("accuracy"));
    assertEquals(List.of(0, 1), h.epochs());
    assertEquals(Map.of("loss", List.of(0.9, 0.4), "accuracy", List.of(0.5, 0.75)), h.asMap());
  }

  @Test
  void unknownKeysFailListingTheKnownOnes() {
    var e = assertThrows(IllegalArgumentException.class, () -> twoEpochs().get("acc"));
    assertEquals("History: key must be one of [loss, accuracy]; got 'acc'.", e.getMessage());
  }

  @Test
  void isReadOnly() {
    History h = twoEpochs();
    assertThrows(UnsupportedOperationException.class, () -> h.get("loss").add(1.0));
    assertThrows(UnsupportedOperationException.class, () -> h.asMap().get("loss").add(1.0));
  }

  @Test
  void toStringShowsTheLastEpoch() {
    assertEquals("History(epochs=2, last: loss=0.4000, accuracy=0.7500)",
        twoEpochs().toString());
    assertEquals("History(epochs=0)", new History().toString());
    Locale saved = Locale.getDefault();
    try {
      Locale.setDefault(Locale.GERMANY);
      assertEquals("History(epochs=2, last: loss=0.4000, accuracy=0.7500)",
          twoEpochs().toString());
    } finally {
      Locale.setDefault(saved);
    }
  }
}
