package io.kava.tools.tutorials;

import io.kava.FitOptions;
import io.kava.History;
import io.kava.Sequential;
import io.kava.data.datasets.FashionMnist;
import io.kava.data.datasets.ImageDataset;
import io.kava.data.datasets.TrainTest;
import io.kava.data.image.FlowOptions;
import io.kava.data.image.ImageDataGenerator;
import io.kava.losses.SparseCategoricalCrossentropy;
import io.kava.metrics.Accuracy;
import io.kava.metrics.ConfusionMatrix;
import io.kava.models.Cifar10DeepCnn;
import io.kava.models.MnistCnn;
import io.kava.optimizers.Adam;
import io.kava.tools.Plots;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.tensorflow.ndarray.FloatNdArray;

/**
 * Tutorial 4, CNNs trained on class indices with {@code sparse_categorical_crossentropy} (no
 * one-hot labels): the MNIST CNN, the same network on Fashion-MNIST, the deep CIFAR-10 CNN,
 * and that network again on ImageDataGenerator batches (rotation 15, shifts 0.1, horizontal
 * flips) with 150% more images per epoch than the data set holds
 * ({@code stepsPerEpoch = 2.5 x} its batches). Adam, test accuracy and a classification
 * report for each, and their pictures in the output folder: curves, confusion matrix and
 * captioned test images ({@code sparse_mnist_*.png}, {@code sparse_fashion_mnist_*.png},
 * {@code sparse_cifar_10_deep_cnn_*.png}, {@code sparse_cifar_10_deep_cnn_augmented_*.png})
 * and a grid of the augmented training images ({@code sparse_cifar10_augmented_images.png}).
 *
 * <p>MNIST and Fashion-MNIST come from Keras's cache ({@code ~/.keras/datasets}), downloaded
 * in full mode if missing; without them MNIST falls back to the bundled 10,000 digits and
 * Fashion-MNIST is skipped, saying so. Quick mode never downloads: 1 epoch on 8,000 / 2,000
 * images of each, and 2 + 1 epochs of the CIFAR-10 CNNs on 3,000 / 1,000 JPEGs.
 *
 * <pre>{@code
 * $ tools/kava tutorial sparse --quick
 * $ tools/kava tutorial sparse --epochs 10 --data ../shared/data/cifar10-jpg
 * }</pre>
 */
public final class SparseLabelsTutorial {
  /** Images drawn per epoch by the augmented run, relative to the data set: 150% more. */
  static final double AUGMENTED_EPOCH = 2.5;

  private SparseLabelsTutorial() {}

  public static void main(String[] args) {
    boolean quick = args.length > 0 && args[0].equals("--quick");
    run(System.out, quick, Path.of("../shared/data/cifar10-jpg"), TutorialData.kerasCache(),
        Path.of("kava-output"), quick ? 0 : 10);
  }

  /**
   * Runs the four trainings and returns their test accuracies ("MNIST", "Fashion-MNIST" when
   * its files are there, "CIFAR-10", "CIFAR-10 augmented"). {@code epochs} applies to every
   * training; 0 takes quick mode's 1 / 1 / 2 / 1. Pictures go to {@code output}.
   */
  public static Map<String, Double> run(PrintStream out, boolean quick, Path cifar, Path cache,
      Path output, int epochs) {
    Map<String, Double> results = new LinkedHashMap<>();
    TrainTest mnist = TutorialData.mnist(quick, out, cache);
    results.put("MNIST", digits(out, output, "MNIST", MnistCnn.create(), mnist,
        epochs > 0 ? epochs : 1));

    TrainTest fashion = fashion(quick, cache, out);
    if (fashion != null) {
      results.put("Fashion-MNIST", digits(out, output, "Fashion-MNIST",
          MnistCnn.create().name("fashion_mnist_cnn"), fashion, epochs > 0 ? epochs : 1));
    }

    TrainTest images = TutorialData.cifar10(quick, cifar);
    FloatNdArray x = TutorialData.scaled(images.train().images());
    FloatNdArray y = images.train().sparseLabels();
    FloatNdArray xTest = TutorialData.scaled(images.test().images());
    FloatNdArray yTest = images.test().sparseLabels();
    try (Sequential model = deepCnn(out, "CIFAR-10 deep CNN")) {
      History h = model.fit(x, y, FitOptions.defaults().epochs(epochs > 0 ? epochs : 2)
          .batchSize(64).validationData(xTest, yTest).seed(4).verbose(2).printTo(out));
      results.put("CIFAR-10", report(out, output, "CIFAR-10 deep CNN", model, h, xTest,
          images.test()));
    }

    ImageDataGenerator gen = ImageDataGenerator.builder().rotationRange(15)
        .widthShiftRange(0.1).heightShiftRange(0.1).horizontalFlip(true).build();
    int steps = (int) Math.ceil(AUGMENTED_EPOCH * x.shape().get(0) / 64);
    Plots.augmented(out, gen.flow(x, y, FlowOptions.defaults().batchSize(64).seed(5)),
        images.train().classNames(), "CIFAR-10 augmented: rotation 15, shifts 0.1, flips",
        output.resolve("sparse_cifar10_augmented_images.png"));
    try (Sequential model = deepCnn(out, "CIFAR-10 deep CNN, augmented")) {
      out.printf(Locale.ROOT, "%d steps of 64 augmented images per epoch: 150%% more than the"
          + " %,d originals%n", steps, x.shape().get(0));
      History h = model.fit(gen.flow(x, y, FlowOptions.defaults().batchSize(64).seed(5)),
          FitOptions.defaults().epochs(epochs > 0 ? epochs : 1).stepsPerEpoch(steps)
              .validationData(xTest, yTest).seed(5).verbose(2).printTo(out));
      results.put("CIFAR-10 augmented", report(out, output, "CIFAR-10 deep CNN, augmented",
          model, h, xTest, images.test()));
    }
    out.println("== Test accuracy");
    results.forEach((k, v) -> out.printf(Locale.ROOT, "  %-20s %.4f%n", k, v));
    return results;
  }

  /** Trains the MNIST CNN on a 28x28 grey data set with class-index labels. */
  private static double digits(PrintStream out, Path output, String title, Sequential cnn,
      TrainTest data, int epochs) {
    try (Sequential model = cnn.seed(2)) {
      out.printf(Locale.ROOT, "== %s: %s (%,d params), %,d training images%n", title,
          model.name(), model.countParams(), data.train().size());
      model.compile(new Adam(), new SparseCategoricalCrossentropy(), new Accuracy());
      FloatNdArray xTest = TutorialData.scaled(data.test().images());
      History h = model.fit(TutorialData.scaled(data.train().images()), data.train().labels(),
          FitOptions.defaults().epochs(epochs).batchSize(32)
              .validationData(xTest, data.test().labels()).seed(2).verbose(2)
              .printTo(out));
      return report(out, output, title, model, h, xTest, data.test());
    }
  }

  private static Sequential deepCnn(PrintStream out, String title) {
    Sequential model = Cifar10DeepCnn.create().seed(3);
    out.printf(Locale.ROOT, "== %s (%,d params)%n", title, model.countParams());
    model.compile(new Adam(), new SparseCategoricalCrossentropy(), new Accuracy());
    return model;
  }

  /**
   * Test loss and accuracy, the classification report and the pictures, named after
   * {@code title} ("Fashion-MNIST" writes {@code sparse_fashion_mnist_*.png}); {@code x} is
   * the test images scaled.
   */
  private static double report(PrintStream out, Path output, String title, Sequential model,
      History history, FloatNdArray x, ImageDataset test) {
    Map<String, Double> scores = model.evaluate(x, test.labels());
    out.printf(Locale.ROOT, "%s test loss %.4f, test accuracy %.4f%n", title,
        scores.get("loss"), scores.get("accuracy"));
    int[] predicted = model.predictClasses(x);
    ConfusionMatrix cm = ConfusionMatrix.of(test.labels(), predicted, test.classNames().size());
    out.print(cm.report(test.classNames()));
    String stem = "sparse_" + title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
    Plots.results(out, output, stem, model.name() + " (" + title + ")", history, test,
        predicted);
    return scores.get("accuracy");
  }

  /** Fashion-MNIST from the cache (downloaded in full mode), or null when unavailable. */
  private static TrainTest fashion(boolean quick, Path cache, PrintStream out) {
    Path dir = cache.resolve("fashion-mnist");
    if (quick && !Files.isRegularFile(dir.resolve("train-images-idx3-ubyte.gz"))) {
      out.println("== Fashion-MNIST skipped: no files in " + dir
          + " (quick mode never downloads).");
      return null;
    }
    try {
      TrainTest all = FashionMnist.load(cache);
      return quick ? TutorialData.firstOf(all, 8000, 2000) : all;
    } catch (RuntimeException e) {
      out.println("== Fashion-MNIST skipped: " + e.getMessage());
      return null;
    }
  }
}
