package io.kava.tools.tutorials;

import io.kava.FitOptions;
import io.kava.History;
import io.kava.Sequential;
import io.kava.data.datasets.ImageDataset;
import io.kava.data.datasets.TrainTest;
import io.kava.data.image.FlowOptions;
import io.kava.data.image.ImageDataGenerator;
import io.kava.losses.CategoricalCrossentropy;
import io.kava.metrics.Accuracy;
import io.kava.metrics.ConfusionMatrix;
import io.kava.models.Cifar10Cnn;
import io.kava.optimizers.RMSprop;
import io.kava.tools.Plots;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.tensorflow.ndarray.FloatNdArray;

/**
 * Tutorial 3, the CIFAR-10 CNN: RMSprop(1e-4), evaluate, predicted classes, the confusion
 * matrix and classification report, save; then the same model trained on batches augmented
 * by ImageDataGenerator (rotation 90, width shift 0.1, horizontal and vertical flips).
 * Reads the CIFAR-10 JPEG class folders ({@code train/}, {@code test/}); quick mode trains
 * two epochs on 3,000 random test-folder images and tests on 1,000 others. Into the output
 * folder go each training's curves, confusion matrix and captioned test images
 * ({@code cifar10_cnn_*.png}, {@code cifar10_cnn_augmented_*.png}) and a grid of augmented
 * training images ({@code cifar10_augmented_images.png}).
 *
 * <pre>{@code
 * $ tools/kava tutorial cifar10 --quick --data ../shared/data/cifar10-jpg
 * }</pre>
 */
public final class Cifar10Tutorial {
  private Cifar10Tutorial() {}

  public static void main(String[] args) {
    run(System.out, args.length > 0 && args[0].equals("--quick"),
        Path.of("../shared/data/cifar10-jpg"), Path.of("kava-output"));
  }

  /** Runs both trainings; returns their test accuracies ("plain", "augmented"). */
  public static Map<String, Double> run(PrintStream out, boolean quick, Path data, Path output) {
    return run(out, quick, data, output, quick ? 2 : 25);
  }

  /** As {@link #run(PrintStream, boolean, Path, Path)} with another number of epochs. */
  public static Map<String, Double> run(PrintStream out, boolean quick, Path data, Path output,
      int epochs) {
    TrainTest cifar = TutorialData.cifar10(quick, data);
    ImageDataset train = cifar.train();
    ImageDataset test = cifar.test();
    FloatNdArray x = TutorialData.scaled(train.images());
    FloatNdArray y = train.oneHotLabels();
    FloatNdArray xTest = TutorialData.scaled(test.images());
    FloatNdArray yTest = test.oneHotLabels();
    Map<String, Double> results = new LinkedHashMap<>();

    try (Sequential model = Cifar10Cnn.create().seed(3)) {
      out.print(model.summaryString());
      model.compile(new RMSprop(0.0001), new CategoricalCrossentropy(), new Accuracy());
      History h = model.fit(x, y, FitOptions.defaults().epochs(epochs).batchSize(32)
          .validationData(xTest, yTest).seed(3).verbose(2).printTo(out));
      double acc = model.evaluate(xTest, yTest).get("accuracy");
      out.printf(Locale.ROOT, "Test accuracy: %.4f (last val_loss %.4f)%n", acc,
          h.last("val_loss"));
      int[] predicted = model.predictClasses(xTest);
      ConfusionMatrix cm = ConfusionMatrix.of(test.labels(), predicted, 10);
      out.print(cm.report(test.classNames()));
      Plots.results(out, output, "cifar10_cnn", model.name() + " on CIFAR-10", h, test,
          predicted);
      Path saved = output.resolve("cifar10_cnn");
      model.save(saved);
      out.println("Saved to " + saved.toAbsolutePath());
      results.put("plain", acc);
    }

    ImageDataGenerator gen = ImageDataGenerator.builder().rotationRange(90)
        .widthShiftRange(0.1).horizontalFlip(true).verticalFlip(true).build();
    out.println("== with ImageDataGenerator augmentation");
    Plots.augmented(out, gen.flow(x, y, FlowOptions.defaults().batchSize(32).seed(4)),
        train.classNames(), "CIFAR-10 augmented: rotation 90, width shift 0.1, flips",
        output.resolve("cifar10_augmented_images.png"));
    try (Sequential model = Cifar10Cnn.create().seed(3)) {
      model.compile(new RMSprop(0.0001), new CategoricalCrossentropy(), new Accuracy());
      History h = model.fit(gen.flow(x, y, FlowOptions.defaults().batchSize(32).seed(4)),
          FitOptions.defaults().epochs(epochs).validationData(xTest, yTest).verbose(2)
              .printTo(out));
      double acc = model.evaluate(xTest, yTest).get("accuracy");
      out.printf(Locale.ROOT, "Augmented test accuracy: %.4f%n", acc);
      Plots.results(out, output, "cifar10_cnn_augmented", model.name()
          + " on CIFAR-10, augmented", h, test, model.predictClasses(xTest));
      results.put("augmented", acc);
    }
    return results;
  }
}
