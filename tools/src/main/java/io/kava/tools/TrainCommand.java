package io.kava.tools;

import io.kava.FitOptions;
import io.kava.History;
import io.kava.Sequential;
import io.kava.data.datasets.ImageDataset;
import io.kava.data.datasets.Mnist;
import io.kava.losses.BinaryCrossentropy;
import io.kava.losses.CategoricalCrossentropy;
import io.kava.metrics.Accuracy;
import io.kava.metrics.Classes;
import io.kava.models.MnistDeepCnn;
import io.kava.models.MnistSimpleCnn;
import io.kava.optimizers.Adam;
import io.kava.optimizers.SGD;
import io.kava.saving.ModelVersions;
import io.kava.saving.SavedModel;
import io.kava.tools.tutorials.TutorialData;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.tensorflow.ndarray.FloatNdArray;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kava train}: trains a tutorial CNN on MNIST (the bundled 10,000-digit sample unless
 * {@code --data} points at IDX files), prints its test accuracy, saves a checkpoint to
 * resume from, exports the next SavedModel version in TF Serving's layout and predicts test
 * digits with the exported model. Unless {@code --no-plots}, it also writes the pictures of
 * the run next to the model: {@code train_curves.png} (loss and accuracy, train and
 * validation on the test digits), {@code train_confusion.png} and {@code train_samples.png}.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Trains a tutorial CNN on MNIST, prints its test accuracy, exports it as a"
        + " SavedModel (<output>/1) and predicts with the export.")
final class TrainCommand implements Runnable {

  enum ModelName { mnist_simple_cnn, mnist_deep_cnn }

  @Option(names = "--model", defaultValue = "mnist_simple_cnn",
      description = "Model: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}). The deep CNN"
          + " learns odd vs even digits with SGD and binary cross-entropy, as its tutorial.")
  ModelName model;

  @Option(names = "--data", description = "Folder with images-idx3-ubyte(.gz) and"
      + " labels-idx1-ubyte(.gz); default: the MNIST sample bundled with Kava.")
  Path data;

  @Option(names = "--train-samples", defaultValue = "8000",
      description = "Samples to train on; the rest are the test set (default: ${DEFAULT-VALUE}).")
  int trainSamples;

  @Option(names = "--epochs", defaultValue = "1",
      description = "Epochs (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(names = "--batch-size", defaultValue = "32",
      description = "Batch size (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--learning-rate", description = "Learning rate (default: Adam 0.003 for the"
      + " simple CNN, SGD 0.01 for the deep CNN).")
  Double learningRate;

  @Option(names = "--seed", defaultValue = "42", description = "Seed for weights, shuffling and"
      + " dropout (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--output", description = "Where to save: <output>/checkpoint (to resume)"
      + " and <output>/<n>, the next serving version (default: kava-output/<model>).")
  Path output;

  @Option(names = "--resume", description = "Continue training a model saved by Kava (e.g."
      + " <output>/checkpoint) for --epochs more epochs.")
  Path resume;

  @Option(names = "--no-plots", description = "Write no pictures (by default"
      + " <output>/train_curves.png, train_confusion.png and train_samples.png).")
  boolean noPlots;

  @Override
  public void run() {
    ImageDataset all = data == null ? Mnist.sample() : Mnist.fromIdx(
        find(data, "images-idx3-ubyte"), find(data, "labels-idx1-ubyte"));
    if (trainSamples <= 0 || trainSamples >= all.size()) {
      throw new IllegalArgumentException("--train-samples must be in [1, " + (all.size() - 1)
          + "] to leave a test set; got " + trainSamples + ".");
    }
    ImageDataset train = all.take(0, trainSamples);
    ImageDataset test = all.take(trainSamples, all.size());
    Path base = output != null ? output : resume != null
        ? resume.toAbsolutePath().getParent() : Path.of("kava-output", model.name());
    try (Sequential net = resume != null ? Sequential.load(resume) : create()) {
      boolean binary = net.outputShape().get(0) == 1;
      net.summary();
      System.out.printf("Training on %,d digits, testing on %,d.%n", train.size(), test.size());
      FloatNdArray yTrain = binary ? TutorialData.oddEven(train.labels())
          : train.oneHotLabels();
      FloatNdArray yTest = binary ? TutorialData.oddEven(test.labels())
          : test.oneHotLabels();
      int done = net.epochsCompleted();
      FloatNdArray xTest = TutorialData.scaled(test.images());
      History history = net.fit(TutorialData.scaled(train.images()), yTrain,
          FitOptions.defaults().epochs(done + epochs).initialEpoch(done).batchSize(batchSize)
              .seed(seed).validationData(xTest, yTest));
      Map<String, Double> scores = net.evaluate(xTest, yTest);
      System.out.println(history);
      System.out.printf("Test loss: %.4f%nTest accuracy: %.4f%n", scores.get("loss"),
          scores.get("accuracy"));
      if (!noPlots) {
        Plots.results(System.out, base, "train", net.name() + " on " + dataName(data),
            history, binary ? parity(test) : test, net.predictClasses(xTest));
      }
      Path checkpoint = base.resolve("checkpoint");
      net.save(checkpoint);
      System.out.println("Saved (resume with --resume " + checkpoint + ")");
      long version = nextVersion(base);
      net.export(base, version);
      System.out.println("Exported SavedModel to " + base.resolve(Long.toString(version))
          .toAbsolutePath());
      predictWithExport(base, test, binary);
    }
  }

  private Sequential create() {
    boolean binary = model == ModelName.mnist_deep_cnn;
    Sequential net = (binary ? MnistDeepCnn.create() : MnistSimpleCnn.create()).seed(seed);
    if (binary) {
      net.compile(new SGD(learningRate == null ? 0.01 : learningRate),
          new BinaryCrossentropy(), new Accuracy());
    } else {
      net.compile(new Adam(learningRate == null ? 0.003 : learningRate),
          new CategoricalCrossentropy(), new Accuracy());
    }
    return net;
  }

  /** What the pictures call the data: the bundled sample or the IDX folder's name. */
  static String dataName(Path data) {
    return data == null ? "the MNIST sample" : "MNIST (" + data.getFileName() + ")";
  }

  /** The digits labelled 0 (even) or 1 (odd), as the deep CNN learns them. */
  static ImageDataset parity(ImageDataset digits) {
    int[] labels = digits.labels().clone();
    for (int i = 0; i < labels.length; i++) {
      labels[i] %= 2;
    }
    return new ImageDataset(digits.images(), labels, List.of("even", "odd"));
  }

  /** One more than the newest numbered version under {@code base} (1 for a new base). */
  static long nextVersion(Path base) {
    if (!java.nio.file.Files.isDirectory(base)) {
      return 1;
    }
    var versions = ModelVersions.list(base);
    return versions.isEmpty() ? 1 : versions.lastKey() + 1;
  }

  /** Loads the export as any SavedModel and classifies the first test digits with it. */
  private static void predictWithExport(Path base, ImageDataset test, boolean binary) {
    try (SavedModel sm = SavedModel.load(base)) {
      String in = sm.signature(SavedModel.DEFAULT_SIGNATURE).inputs().keySet().iterator().next();
      int n = 8;
      FloatNdArray digits = TutorialData.scaled(test.take(0, n).images());
      FloatNdArray out = sm.predict(Map.of(in, digits)).values().iterator().next();
      int[] truth = test.labels();
      StringBuilder b = new StringBuilder("Predictions of the exported model:\n");
      int[] classes = Classes.of(out);
      for (int i = 0; i < n; i++) {
        int predicted = classes[i];
        String expected = binary ? (truth[i] % 2 == 1 ? "1 (odd)" : "0 (even)")
            : Integer.toString(truth[i]);
        b.append(String.format("  digit %d: predicted %d, true %s%n", i, predicted, expected));
      }
      System.out.print(b);
    }
  }

  private static Path find(Path dir, String stem) {
    for (String name : new String[] {stem + ".gz", stem}) {
      if (dir.resolve(name).toFile().isFile()) {
        return dir.resolve(name);
      }
    }
    throw new IllegalArgumentException("--data " + dir + " must contain " + stem + ".gz or "
        + stem + "; it does not.");
  }
}
