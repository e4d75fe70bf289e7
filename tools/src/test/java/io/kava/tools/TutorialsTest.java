package io.kava.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kava.tools.tutorials.AlexNetTutorial;
import io.kava.tools.tutorials.Cifar10Tutorial;
import io.kava.tools.tutorials.MnistCnnTutorial;
import io.kava.tools.tutorials.OddEvenTutorial;
import io.kava.tools.tutorials.ResNetCifar10Tutorial;
import io.kava.tools.tutorials.SparseLabelsTutorial;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tutorials' quick modes run end to end on ../shared/data, learn something and write the
 * pictures their originals show (curves, confusion matrix, captioned test images, augmented
 * training images), printing each path.
 */
class TutorialsTest {
  final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  /** Each run's curves, confusion matrix and samples, plus the named extra files. */
  private void assertPictures(Path dir, List<String> runs, String... extra) {
    String text = bytes.toString(StandardCharsets.UTF_8);
    List<Path> files = new java.util.ArrayList<>();
    for (String run : runs) {
      for (String kind : List.of("curves", "confusion", "samples")) {
        files.add(dir.resolve(run + "_" + kind + ".png"));
      }
    }
    for (String name : extra) {
      files.add(dir.resolve(name));
    }
    for (Path png : files) {
      PngAssert.picture(png, 400, 300);
      assertTrue(text.contains("Plot: " + png.toAbsolutePath()), "path printed: " + png);
    }
  }

  @Test
  void mnistCnn(@TempDir Path output) {
    double acc = MnistCnnTutorial.run(out, true, output);
    String text = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(acc > 0.9, text);
    assertTrue(text.contains("Loss curves") && text.contains("First test digit"), text);
    assertPictures(output, List.of("mnist_cnn"));
  }

  @Test
  void oddEven(@TempDir Path output) {
    var results = OddEvenTutorial.run(out, true, output);
    assertTrue(results.keySet().containsAll(java.util.List.of("MLP", "CNN", "deep CNN")));
    results.forEach((model, acc) -> assertTrue(acc > 0.7, model + " " + acc));
    assertPictures(output, List.of("odd_even_mlp", "odd_even_cnn", "odd_even_deep_cnn"));
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
    assertPictures(output, List.of("cifar10_cnn", "cifar10_cnn_augmented"),
        "cifar10_augmented_images.png");
  }

  @Test
  void cifar10ResNet(@TempDir Path output) {
    double acc = ResNetCifar10Tutorial.run(out, true, Path.of("../../shared/data/cifar10-jpg"),
        output, 1);
    String text = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("Total params: 274,442"), text);
    assertTrue(acc > 0.15, "better than chance after one epoch: " + text);
    assertTrue(text.contains("precision    recall  f1-score   support"), text);
    assertTrue(Files.isRegularFile(output.resolve("resnet20_cifar10/kava.json")));
    assertPictures(output, List.of("resnet20_cifar10"), "resnet20_cifar10_augmented_images.png");
  }

  @Test
  void sparseLabels(@TempDir Path cache, @TempDir Path output) throws IOException {
    // ../shared/data has no Fashion-MNIST: the test lays out Keras's cache with real IDX files
    // (the bundled digits under Fashion-MNIST's names) so that path runs end to end too.
    Path fashion = Files.createDirectories(cache.resolve("fashion-mnist"));
    Path digits = Path.of("../../shared/data/mnist-10k");
    for (String part : List.of("train", "t10k")) {
      Files.copy(digits.resolve("images-idx3-ubyte.gz"),
          fashion.resolve(part + "-images-idx3-ubyte.gz"));
      Files.copy(digits.resolve("labels-idx1-ubyte.gz"),
          fashion.resolve(part + "-labels-idx1-ubyte.gz"));
    }
    var results = SparseLabelsTutorial.run(out, true, Path.of("../../shared/data/cifar10-jpg"),
        cache, output, 0);
    String text = bytes.toString(StandardCharsets.UTF_8);
    assertEquals(List.of("MNIST", "Fashion-MNIST", "CIFAR-10", "CIFAR-10 augmented"),
        List.copyOf(results.keySet()), text);
    assertTrue(results.get("MNIST") > 0.9, text);
    assertTrue(results.get("Fashion-MNIST") > 0.9, text);
    assertTrue(results.get("CIFAR-10") > 0.15, text);  // chance is 0.10 +- 0.01
    assertTrue(results.get("CIFAR-10 augmented") > 0.15, text);
    assertTrue(text.contains("Total params: 616,362") || text.contains("(616,362 params)"), text);
    assertTrue(text.contains("118 steps of 64 augmented images per epoch"), text);
    assertTrue(text.contains("118/118"), text);
    assertTrue(text.contains("Ankle boot"), "Fashion-MNIST's class names: " + text);
    assertPictures(output, List.of("sparse_mnist", "sparse_fashion_mnist",
        "sparse_cifar_10_deep_cnn", "sparse_cifar_10_deep_cnn_augmented"),
        "sparse_cifar10_augmented_images.png");
  }

  @Test
  void alexNetPipelineRunsEndToEnd(@TempDir Path output) {
    // Six SGD steps of a 58M-parameter network cannot show learning; this checks the whole
    // pipeline: 256x256 images, mean subtraction, random crops, training, 10-crop prediction.
    double acc = AlexNetTutorial.run(out, true, null, Path.of("../../shared/data/cifar10-jpg"),
        output, 1);
    String text = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(acc >= 0 && acc <= 1, text);
    assertTrue(text.contains("Total params: 58,289,538"), text);
    assertTrue(text.contains("6/6"), "96 images in batches of 16: " + text);
    assertTrue(text.contains("Epoch 1: val_10crop_accuracy ")
        && text.contains(", the first best"), "10-crop best-model selection: " + text);
    assertTrue(text.contains("Best model: epoch 1, 10-crop validation accuracy "), text);
    assertTrue(text.lines().anyMatch(l -> l.matches("\\s+accuracy\\s+\\d\\.\\d\\d\\s+32")),
        text);
    assertPictures(output, List.of("alexnet"), "alexnet_augmented_images.png");
  }
}
