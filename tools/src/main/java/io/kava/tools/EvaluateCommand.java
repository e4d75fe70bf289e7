package io.kava.tools;

import io.kava.Sequential;
import io.kava.data.datasets.ImageDataset;
import io.kava.data.datasets.ImageFolder;
import io.kava.data.datasets.Mnist;
import io.kava.metrics.ConfusionMatrix;
import io.kava.tools.tutorials.TutorialData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.tensorflow.ndarray.FloatNdArray;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kava evaluate}: a saved model's loss, metrics and classification report on the
 * MNIST test split (bundled or IDX files) or on class folders of images; unless
 * {@code --no-plots}, also the confusion-matrix heatmap ({@code evaluate_confusion.png}) and
 * captioned test images ({@code evaluate_samples.png}), next to the model by default.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = "Evaluates a model saved by Kava on MNIST (the bundled sample's last 2,000"
        + " digits, or IDX files) or on class folders of images, and prints the"
        + " classification report.")
final class EvaluateCommand implements Runnable {
  @Option(names = "--model", required = true, description = "Directory written by model.save.")
  Path model;

  @Option(names = "--data", description = "A folder of MNIST IDX files, or of class folders"
      + " of images; default: the bundled MNIST sample's last 2,000 digits.")
  Path data;

  @Option(names = "--output", description = "Folder for the pictures (default: the folder"
      + " that holds --model).")
  Path output;

  @Option(names = "--no-plots", description = "Write no pictures.")
  boolean noPlots;

  @Override
  public void run() {
    try (Sequential m = Sequential.load(model)) {
      ImageDataset test = testData(m);
      FloatNdArray x = TutorialData.scaled(test.images());
      boolean binary = m.outputShape().get(0) == 1;
      FloatNdArray y = binary ? TutorialData.oddEven(test.labels()) : test.oneHotLabels();
      Map<String, Double> scores = m.evaluate(x, y);
      scores.forEach((k, v) -> System.out.printf(Locale.ROOT, "%s: %.4f%n", k, v));
      ImageDataset labelled = binary ? TrainCommand.parity(test) : test;
      int[] predicted = m.predictClasses(x);
      ConfusionMatrix cm = ConfusionMatrix.of(labelled.labels(), predicted,
          labelled.classNames().size());
      System.out.print(cm.report(labelled.classNames()));
      if (!noPlots) {
        Path dir = output != null ? output : model.toAbsolutePath().getParent();
        Plots.results(System.out, dir, "evaluate", m.name() + " on " + dataName(), null,
            labelled, predicted);
      }
    }
  }

  private String dataName() {
    if (data == null) {
      return "the MNIST sample's last 2,000 digits";
    }
    return Files.isDirectory(data) ? data.getFileName().toString() : data.toString();
  }

  private ImageDataset testData(Sequential m) {
    if (data == null) {
      ImageDataset all = Mnist.sample();
      return all.take(8000, all.size());
    }
    if (Files.exists(data.resolve("t10k-images-idx3-ubyte.gz"))
        || Files.exists(data.resolve("images-idx3-ubyte.gz"))) {
      String stem = Files.exists(data.resolve("t10k-images-idx3-ubyte.gz")) ? "t10k-" : "";
      return Mnist.fromIdx(data.resolve(stem + "images-idx3-ubyte.gz"),
          data.resolve(stem + "labels-idx1-ubyte.gz"));
    }
    var in = m.inputShape();
    return ImageFolder.load(data, (int) in.get(0), (int) in.get(1));
  }
}
