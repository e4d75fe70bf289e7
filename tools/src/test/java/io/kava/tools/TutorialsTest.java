package io.kava.tools;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kava.tools.tutorials.AlexNetTutorial;
import io.kava.tools.tutorials.Cifar10Tutorial;
import io.kava.tools.tutorials.MnistCnnTutorial;
import io.kava.tools.tutorials.OddEvenTutorial;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tutorials' quick modes run end to end on ../shared/data and learn something. */
class TutorialsTest {
  final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  @Test
  void mnistCnn() {
    double acc = MnistCnnTutorial.run(out, true);
    String text = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(acc > 0.9, text);
    assertTrue(text.contains("Loss curves") && text.contains("First test digit"), text);
  }

  @Test
  void oddEven() {
    var results = OddEvenTutorial.run(out, true);
    assertTrue(results.keySet().containsAll(java.util.List.of("MLP", "CNN", "deep CNN")));
    results.forEach((model, acc) -> assertTrue(acc > 0.7, model + " " + acc));
  }

  @Test
  void cifar10(@TempDir Path output) {
    var results = Cifar10Tutorial.run(out, true, Path.of("../../shared/data/cifar10-jpg"),
        output);
    String text = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(results.get("plain") > 0.2, text);
    assertTrue(results.get("augmented") > 0.12, text);
    assertTrue(text.contains("precision    recall  f1-score   support"), text);
    assertTrue(Files.isRegularFile(output.resolve("cifar10_cnn/kava.json")));
  }

  @Test
  void alexNetPipelineRunsEndToEnd() {
    // Six SGD steps of a 58M-parameter network cannot show learning; this checks the whole
    // pipeline: 256x256 images, mean subtraction, random crops, training, 10-crop prediction.
    double acc = AlexNetTutorial.run(out, true, null, Path.of("../../shared/data/cifar10-jpg"),
        1);
    String text = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(acc >= 0 && acc <= 1, text);
    assertTrue(text.contains("Total params: 58,289,538"), text);
    assertTrue(text.contains("6/6"), "96 images in batches of 16: " + text);
    assertTrue(text.lines().anyMatch(l -> l.matches("\\s+accuracy\\s+\\d\\.\\d\\d\\s+32")),
        text);
  }
}
