package io.kava.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's JShell walkthrough, run as a user runs it: kava shell SCRIPT. */
class ShellCommandTest {

  @Test
  void theWalkthroughScriptTrainsAndExportsInJShell() {
    String out = KavaCommandsTest.run(0, "shell", "jshell/walkthrough.jsh")[0];
    assertTrue(out.contains("Total params: 54,410"), out);
    double acc = Double.parseDouble(out.replaceAll("(?s).*walkthrough accuracy: ([0-9.]+).*",
        "$1"));
    assertTrue(acc > 0.85, out);
    assertTrue(out.contains("exported signatures: [serving_default]"), out);
    assertTrue(Files.isRegularFile(Path.of(System.getProperty("java.io.tmpdir"),
        "kava-walkthrough", "1", "saved_model.pb")));
  }

  @Test
  void theCurvesScriptDrawsAHistoryTrainedOnIntLabels() throws IOException {
    Path png = Path.of(System.getProperty("java.io.tmpdir"), "kava-walkthrough", "curves.png");
    Files.deleteIfExists(png);
    String out = KavaCommandsTest.run(0, "shell", "jshell/curves.jsh")[0];
    assertTrue(out.contains("curves written to " + png.toAbsolutePath()), out);
    assertEquals(1120, PngAssert.picture(png, 1120, 400).getWidth(), "loss and accuracy");
  }

  @Test
  void aMissingScriptIsAClearError() {
    String err = KavaCommandsTest.run(2, "shell", "no/such.jsh")[1];
    assertTrue(err.contains("script no/such.jsh must exist"), err);
  }
}
