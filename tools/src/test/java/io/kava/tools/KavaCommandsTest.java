package io.kava.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kava.saving.SavedModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kava command as a user runs it: exit codes, output and files. */
class KavaCommandsTest {

  /** Runs the command, capturing stdout and stderr. */
  static String[] run(int expectedExit, String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    var o = new ByteArrayOutputStream();
    var e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      int code = Kava.execute(args);
      assertEquals(expectedExit, code, "exit code; stderr: " + e);
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
    return new String[] {o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8)};
  }

  @Test
  void trainExportsAndPredictsWithTheExport(@TempDir Path tmp) throws IOException {
    String out = run(0, "train", "--train-samples", "3000", "--output",
        tmp.resolve("mnist").toString(), "--seed", "1")[0];
    assertTrue(out.contains("Total params: 54,410"), out);
    assertTrue(out.contains("Epoch 1/1"), out);
    double accuracy = Double.parseDouble(out.replaceAll("(?s).*Test accuracy: ([0-9.]+).*",
        "$1"));
    assertTrue(accuracy > 0.85, out);
    assertTrue(Files.isRegularFile(tmp.resolve("mnist/1/saved_model.pb")));
    assertTrue(out.contains("Predictions of the exported model:"), out);
    long right = out.lines().filter(l -> l.matches("  digit \\d: predicted (\\d), true \\1"))
        .count();
    assertTrue(right >= 6, out);
    try (SavedModel sm = SavedModel.load(tmp.resolve("mnist"))) {
      assertEquals("1", sm.directory().getFileName().toString());
    }
    for (String kind : List.of("curves", "confusion", "samples")) {
      Path png = tmp.resolve("mnist/train_" + kind + ".png");
      PngAssert.picture(png, 600, 400);
      assertTrue(out.contains("Plot: " + png.toAbsolutePath()), out);
    }
    assertTrue(out.contains("val_accuracy"), "validated on the test digits: " + out);

    // Resume the saved checkpoint for one more epoch: epoch 2 of 2, exported as version 2;
    // --no-plots leaves the pictures alone.
    Files.delete(tmp.resolve("mnist/train_curves.png"));
    String resumed = run(0, "train", "--train-samples", "3000", "--resume",
        tmp.resolve("mnist/checkpoint").toString(), "--seed", "1", "--no-plots")[0];
    assertTrue(resumed.contains("Epoch 2/2"), resumed);
    assertTrue(Files.notExists(tmp.resolve("mnist/train_curves.png")), resumed);
    assertFalse(resumed.contains("Plot: "), resumed);
    assertTrue(Files.isRegularFile(tmp.resolve("mnist/2/saved_model.pb")), resumed);
  }

  @Test
  void inspectPrintsTheSavedModelCliReport() {
    String out = run(0, "inspect", "--dir", "../../shared/fixtures/half_plus_two/00000123",
        "--all")[0];
    assertTrue(out.startsWith(
        "MetaGraphDef with tag-set: 'serve' contains the following SignatureDefs:\n"), out);
    assertTrue(out.contains(
        """
        signature_def['serving_default']:
          The given SavedModel SignatureDef contains the following input(s):
            inputs['x'] tensor_info:
                dtype: DT_FLOAT
                shape: (-1, 1)
                name: x:0
          The given SavedModel SignatureDef contains the following output(s):
            outputs['y'] tensor_info:
                dtype: DT_FLOAT
                shape: (-1, 1)
                name: y:0
          Method name is: tensorflow/serving/predict
        """), out);
  }

  @Test
  void badArgumentsExitWithAClearMessage(@TempDir Path tmp) {
    String err = run(2, "train", "--train-samples", "10000")[1];
    assertTrue(err.contains("--train-samples must be in [1, 9999]"), err);
    err = run(2, "inspect", "--dir", tmp.resolve("missing").toString())[1];
    assertTrue(err.contains("must exist"), err);
    err = run(2, "train", "--epochs", "many")[1];
    assertTrue(err.contains("many"), err);
  }

  @Test
  void benchOnlyNamesEveryPart() {
    String err = run(2, "bench", "--only", "memory")[1];
    assertTrue(err.contains("--only must be training, mixed, data, serve, soak or distribute;"
        + " got 'memory'."), err);
  }
}
