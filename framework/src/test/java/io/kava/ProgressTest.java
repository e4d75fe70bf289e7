package io.kava;

import static io.kava.TestArrays.oneHot;
import static io.kava.TestArrays.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kava.layers.Activation;
import io.kava.layers.Dense;
import io.kava.layers.Input;
import io.kava.losses.CategoricalCrossentropy;
import io.kava.metrics.Accuracy;
import io.kava.optimizers.SGD;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.FloatNdArray;

/** What fit prints, per verbose level, to the stream given with FitOptions.printTo. */
class ProgressTest {
  private final FloatNdArray x = uniform(1, -1, 1, 6, 3);
  private final FloatNdArray y = oneHot(2, 0, 1, 1, 0, 1, 0);

  private record Run(History history, String[] lines) {}

  private Run fit(FitOptions options) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (Sequential model = new Sequential(Input.of(3),
        Dense.of(2).activation(Activation.SOFTMAX)).seed(1)) {
      model.compile(new SGD(0.1), new CategoricalCrossentropy(), new Accuracy());
      History h = model.fit(x, y, options.batchSize(2).seed(1)
          .printTo(new PrintStream(bytes, true, StandardCharsets.UTF_8)));
      String out = bytes.toString(StandardCharsets.UTF_8);
      return new Run(h, out.isEmpty() ? new String[0] : out.split("\n"));
    }
  }

  private static String f(double v) {
    return String.format(Locale.ROOT, "%.4f", v);
  }

  @Test
  void verboseOnePrintsTheEpochAndAFinishedBarPerEpoch() {
    Run run = fit(FitOptions.defaults().epochs(2).validationData(x, y));
    assertEquals(4, run.lines().length, String.join("\n", run.lines()));
    assertEquals("Epoch 1/2", run.lines()[0]);
    assertEquals("Epoch 2/2", run.lines()[2]);
    for (int e = 0; e < 2; e++) {
      String line = run.lines()[2 * e + 1];
      History h = run.history();
      String metrics = " - accuracy: " + f(h.get("accuracy").get(e)) + " - loss: "
          + f(h.get("loss").get(e)) + " - val_accuracy: " + f(h.get("val_accuracy").get(e))
          + " - val_loss: " + f(h.get("val_loss").get(e));
      assertTrue(line.matches("3/3 \\[={30}] - \\d+s \\d+(ms|us)/step\\Q" + metrics + "\\E"),
          line);
    }
  }

  @Test
  void verboseTwoPrintsOneLineWithoutBar() {
    Run run = fit(FitOptions.defaults().epochs(1).verbose(2));
    assertEquals(2, run.lines().length);
    assertEquals("Epoch 1/1", run.lines()[0]);
    assertTrue(run.lines()[1].matches("3/3 - \\d+s - \\d+(ms|us)/step - accuracy: \\d\\.\\d{4}"
        + " - loss: \\d\\.\\d{4}"), run.lines()[1]);
  }

  @Test
  void verboseZeroPrintsNothing() {
    assertEquals(0, fit(FitOptions.defaults().epochs(2).verbose(0)).lines().length);
  }

  @Test
  void numbersUseADecimalPointInEveryLocale() {
    Locale saved = Locale.getDefault();
    try {
      Locale.setDefault(Locale.GERMANY);
      Run run = fit(FitOptions.defaults().epochs(1));
      assertTrue(run.lines()[1].contains(" - loss: " + f(run.history().last("loss"))),
          run.lines()[1]);
    } finally {
      Locale.setDefault(saved);
    }
  }

  @Test
  void resumedRunsCountEpochsFromTheInitialEpoch() {
    Run run = fit(FitOptions.defaults().epochs(3).initialEpoch(2));
    assertEquals("Epoch 3/3", run.lines()[0]);
    assertEquals(java.util.List.of(2), run.history().epochs());
  }

  @Test
  void formatsValuesAsKeras() {
    assertEquals("0.6931", Progress.format(0.693147));
    assertEquals("12.3457", Progress.format(12.345678));
    assertEquals("0.0000", Progress.format(0));
    assertEquals("1.2346e-04", Progress.format(1.23456e-4));
    assertEquals("nan", Progress.format(Double.NaN));
    assertEquals("infinity", Progress.format(Double.POSITIVE_INFINITY));
  }
}
