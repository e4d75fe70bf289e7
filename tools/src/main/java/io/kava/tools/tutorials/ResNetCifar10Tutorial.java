package io.kava.tools.tutorials;

import io.kava.FitOptions;
import io.kava.History;
import io.kava.Model;
import io.kava.callbacks.LearningRateScheduler;
import io.kava.data.datasets.ImageDataset;
import io.kava.data.datasets.TrainTest;
import io.kava.data.image.FlowOptions;
import io.kava.data.image.ImageDataGenerator;
import io.kava.losses.CategoricalCrossentropy;
import io.kava.metrics.Accuracy;
import io.kava.metrics.ConfusionMatrix;
import io.kava.models.Crops;
import io.kava.models.ResNet20;
import io.kava.optimizers.Adam;
import io.kava.tools.Plots;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import org.tensorflow.ndarray.FloatNdArray;

/**
 * Keras's "Trains a ResNet on the CIFAR10 dataset" example ({@code cifar10_resnet.py}) with
 * ResNet-20 v1: pixels scaled to [0, 1] minus the training set's per-pixel mean, Adam 1e-3,
 * ImageDataGenerator with 10% shifts and horizontal flips (batch 32), test accuracy and the
 * classification report at the end. The example trains 200 epochs, dividing the learning
 * rate by 10 at epochs 80, 120 and 160; this short run divides it by 10 at 70% and again at
 * 90% of its epochs. Quick mode: one epoch on 2,000 test-folder images. Writes
 * {@code resnet20_cifar10_curves.png}, {@code _confusion.png}, {@code _samples.png} and a grid
 * of augmented training images, {@code resnet20_cifar10_augmented_images.png}.
 *
 * <pre>{@code
 * $ tools/kava tutorial cifar10-resnet --epochs 10
 * }</pre>
 */
public final class ResNetCifar10Tutorial {
  private ResNetCifar10Tutorial() {}

  /** Trains and returns the test accuracy. */
  public static double run(PrintStream out, boolean quick, Path data, Path output, int epochs) {
    TrainTest cifar = quick ? TutorialData.firstOf(TutorialData.cifar10(true, data), 2000, 1000)
        : TutorialData.cifar10(false, data);
    ImageDataset train = cifar.train();
    ImageDataset test = cifar.test();
    FloatNdArray scaled = TutorialData.scaled(train.images());
    FloatNdArray mean = Crops.meanImage(scaled);
    FloatNdArray x = Crops.subtract(scaled, mean);
    FloatNdArray xTest = Crops.subtract(TutorialData.scaled(test.images()), mean);
    FloatNdArray y = train.oneHotLabels();
    FloatNdArray yTest = test.oneHotLabels();
    ImageDataGenerator augment = ImageDataGenerator.builder().widthShiftRange(0.1)
        .heightShiftRange(0.1).horizontalFlip(true).build();
    Plots.augmented(out, augment.flow(scaled, y,
        FlowOptions.defaults().batchSize(32).seed(2)), train.classNames(),
        "CIFAR-10 augmented: shifts 0.1, horizontal flips",
        output.resolve("resnet20_cifar10_augmented_images.png"));
    double lr = 1e-3;
    try (Model model = ResNet20.create().seed(1)) {
      out.print(model.summaryString());
      model.compile(new Adam(lr), new CategoricalCrossentropy(), new Accuracy());
      var schedule = new LearningRateScheduler((epoch, current) ->
          epoch >= Math.round(0.9 * epochs) ? lr / 100
              : epoch >= Math.round(0.7 * epochs) ? lr / 10 : lr);
      long start = System.nanoTime();
      History h = model.fit(augment.flow(x, y, FlowOptions.defaults().batchSize(32).seed(2)),
          FitOptions.defaults().epochs(epochs).validationData(xTest, yTest).verbose(2)
              .printTo(out).callbacks(schedule));
      double minutes = (System.nanoTime() - start) / 60e9;
      double acc = model.evaluate(xTest, yTest).get("accuracy");
      out.printf(Locale.ROOT, "Trained %d epochs on %,d images in %.1f min; test accuracy:"
          + " %.4f (best val_accuracy %.4f)%n", epochs, train.size(), minutes, acc,
          h.get("val_accuracy").stream().mapToDouble(Double::doubleValue).max().orElse(0));
      int[] predicted = model.predictClasses(xTest);
      ConfusionMatrix cm = ConfusionMatrix.of(test.labels(), predicted, 10);
      out.print(cm.report(test.classNames()));
      Plots.results(out, output, "resnet20_cifar10", model.name() + " on CIFAR-10", h, test,
          predicted);
      Path saved = output.resolve("resnet20_cifar10");
      model.save(saved);
      out.println("Saved to " + saved.toAbsolutePath());
      return acc;
    }
  }
}
