package io.kava.tools.tutorials;

import io.kava.Batch;
import io.kava.FitOptions;
import io.kava.History;
import io.kava.Sequential;
import io.kava.callbacks.AccuracyEvaluator;
import io.kava.callbacks.ReduceLROnPlateau;
import io.kava.data.datasets.DogsVsCats;
import io.kava.data.datasets.ImageDataset;
import io.kava.data.image.ClassMode;
import io.kava.data.image.DirectoryIterator;
import io.kava.data.image.FlowOptions;
import io.kava.data.image.ImageDataGenerator;
import io.kava.data.image.Interpolation;
import io.kava.losses.CategoricalCrossentropy;
import io.kava.metrics.Accuracy;
import io.kava.metrics.ConfusionMatrix;
import io.kava.models.AlexNet;
import io.kava.models.Crops;
import io.kava.optimizers.SGD;
import io.kava.tools.Plots;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * Tutorial 5, AlexNet on Dogs vs Cats, as the tutorial: 256x256 images, the mean image
 * subtracted, training on random 227x227 crops with 50% horizontal flips, SGD with momentum
 * 0.9 (weight decay 0.0005 is in the model), 10-crop prediction on a validation set after
 * each epoch to select the best model (an {@link AccuracyEvaluator} that counts only gains
 * of more than 1%), the learning rate divided by 10 when that accuracy stalls, and 10-crop
 * prediction of the best model on the test set. Reads Kaggle's {@code train/} folder
 * ({@code --kaggle}); without it (and in quick mode) it uses the cat and dog JPEGs of
 * CIFAR-10 resized to 256x256, a small stand-in that only shows the pipeline runs. The
 * pictures go to the output folder: {@code alexnet_curves.png} (loss, accuracy and the
 * 10-crop validation accuracy), {@code alexnet_confusion.png}, {@code alexnet_samples.png}
 * and the random crops and flips it trains on, {@code alexnet_augmented_images.png}.
 *
 * <pre>{@code
 * $ tools/kava tutorial alexnet --quick
 * $ tools/kava tutorial alexnet --kaggle dogs-vs-cats/train --epochs 30
 * }</pre>
 */
public final class AlexNetTutorial {
  private AlexNetTutorial() {}

  public static void main(String[] args) {
    run(System.out, args.length > 0 && args[0].equals("--quick"), null,
        Path.of("../shared/data/cifar10-jpg"), Path.of("kava-output"), 1);
  }

  /**
   * Runs the tutorial and returns the 10-crop test accuracy. {@code kaggle} is Kaggle's
   * train folder or null; {@code cifar} the CIFAR-10 JPEG folders used instead; the pictures
   * go to {@code output}.
   */
  public static double run(PrintStream out, boolean quick, Path kaggle, Path cifar,
      Path output, int epochs) {
    int trainCount = quick ? 96 : 2000;
    int valCount = quick ? 32 : 500;
    int testCount = quick ? 32 : 500;
    int total = trainCount + valCount + testCount;
    boolean dogsVsCats = kaggle != null && Files.isDirectory(kaggle);
    ImageDataset all = dogsVsCats ? DogsVsCats.load(kaggle, 256, total)
        : cifarCatsAndDogs(cifar.resolve("test"), total, out);
    String data = dogsVsCats ? "Dogs vs Cats" : "CIFAR-10 cats and dogs at 256x256";
    ImageDataset train = all.take(0, trainCount);
    ImageDataset val = all.take(trainCount, trainCount + valCount);
    ImageDataset test = all.take(trainCount + valCount, total);
    FloatNdArray mean = Crops.meanImage(train.images());
    FloatNdArray x = Crops.subtract(train.images(), mean);
    FloatNdArray xVal = Crops.subtract(val.images(), mean);
    FloatNdArray xTest = Crops.subtract(test.images(), mean);
    out.printf("Training on %d images, validating on %d, testing on %d, 256x256 with 227x227"
        + " crops%n", train.size(), val.size(), test.size());

    try (Sequential model = AlexNet.create(2).seed(1)) {
      out.print(model.summaryString());
      model.compile(new SGD(0.01).momentum(0.9), new CategoricalCrossentropy(), new Accuracy());
      var batches = ImageDataGenerator.identity().flow(x, train.oneHotLabels(),
          FlowOptions.defaults().batchSize(16).seed(2));
      // The best model is the one with the best 10-crop validation accuracy, counting only
      // gains of more than 1% (relative); the learning rate drops by 10 when it stalls.
      var best = AccuracyEvaluator.of(val.labels(),
          m -> Crops.predictTenCropClasses(m, xVal, 227)).name("val_10crop_accuracy")
          .threshold(0.01).restoreBestWeights(true).verbose(true);
      // The crops and flips it trains on, drawn from the images before mean subtraction.
      Plots.augmented(out, Crops.random(ImageDataGenerator.identity().flow(train.images(),
          train.oneHotLabels(), FlowOptions.defaults().batchSize(25).seed(2)), 227, 3),
          train.classNames(), data + ": random 227x227 crops, horizontal flips",
          output.resolve("alexnet_augmented_images.png"));
      History h = model.fit(Crops.random(batches, 227, 3), FitOptions.defaults().epochs(epochs)
          .verbose(2).printTo(out).callbacks(best, new ReduceLROnPlateau()
              .monitor("val_10crop_accuracy").patience(3).verbose(false)));
      out.printf(Locale.ROOT, "Best model: epoch %d, 10-crop validation accuracy %.4f%n",
          best.bestEpoch() + 1, best.bestAccuracy());
      int[] predicted = Crops.predictTenCropClasses(model, xTest, 227);
      ConfusionMatrix cm = ConfusionMatrix.of(test.labels(), predicted, 2);
      out.printf(Locale.ROOT, "10-crop test accuracy: %.4f%n", cm.accuracy());
      out.print(cm.report(List.of("cat", "dog")));
      Plots.results(out, output, "alexnet", model.name() + " on " + data + ", 10-crop", h,
          test, predicted);
      return cm.accuracy();
    }
  }

  /** The cat (0) and dog (1) images of a CIFAR-10 folder, resized to 256x256, shuffled. */
  private static ImageDataset cifarCatsAndDogs(Path dir, int n, PrintStream out) {
    out.println("No Dogs vs Cats folder given: using CIFAR-10's cats and dogs at 256x256.");
    DirectoryIterator it = ImageDataGenerator.identity().flowFromDirectory(dir,
        FlowOptions.defaults().classes("cat", "dog").targetSize(256, 256)
            .interpolation(Interpolation.BILINEAR).classMode(ClassMode.SPARSE).batchSize(n)
            .seed(5));
    Batch b = it.get(0);
    int count = b.size();
    int[] labels = new int[count];
    for (int i = 0; i < count; i++) {
      labels[i] = (int) b.y().getFloat(i);
    }
    float[] px = new float[Math.toIntExact(b.x().shape().size())];
    b.x().copyTo(DataBuffers.of(px, false, false));
    return new ImageDataset(NdArrays.wrap(Shape.of(count, 256, 256, 3), DataBuffers.of(px,
        false, false)), labels, List.of("cat", "dog"));
  }
}
