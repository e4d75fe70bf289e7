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
 * MNIST test split (bundled or IDX files) or on class folders of images.
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

  @Override
  public void run() {
    try (Sequential m = Sequential.load(model)) {
      ImageDataset test = testData(m);
      FloatNdArray x = TutorialData.scaled(test.images());
      boolean binary = m.outputShape().get(0) == 1;
      FloatNdArray y = binary ? TutorialData.oddEven(test.labels()) : test.oneHotLabels();
      Map<String, Double> scores = m.evaluate(x, y);
      scores.forEach((k, v) -> System.out.printf(Locale.ROOT, "%s: %.4f%n", k, v));
      int[] truth = test.labels();
      if (binary) {
        for (int i = 0; i < truth.length; i++) {
          truth[i] %= 2;
        }
      }
      ConfusionMatrix cm = ConfusionMatrix.of(truth, m.predictClasses(x), binary ? 2
          : test.classNames().size());
      System.out.print(cm.report(binary ? java.util.List.of("even", "odd")
          : test.classNames()));
    }
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
