package io.kava.tools.tutorials;

import io.kava.FitOptions;
import io.kava.History;
import io.kava.Sequential;
import io.kava.data.datasets.TrainTest;
import io.kava.losses.CategoricalCrossentropy;
import io.kava.metrics.Accuracy;
import io.kava.models.MnistSimpleCnn;
import io.kava.optimizers.Adam;
import io.kava.tools.Plots;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.tensorflow.ndarray.FloatNdArray;

/**
 * Tutorial 1, the Keras MNIST CNN, line for line: load MNIST, scale to [0, 1], one-hot
 * labels, a Conv2D 32 / MaxPooling / Dense 10 softmax model, Adam, fit with validation data,
 * the loss curves, evaluate, and the prediction for one test digit. Writes the pictures the
 * tutorial shows into the output folder: {@code mnist_cnn_curves.png} (loss and accuracy,
 * train and validation), {@code mnist_cnn_confusion.png} and {@code mnist_cnn_samples.png}.
 *
 * <pre>{@code
 * $ tools/kava tutorial mnist-cnn --quick
 * }</pre>
 */
public final class MnistCnnTutorial {
  private MnistCnnTutorial() {}

  public static void main(String[] args) {
    run(System.out, args.length > 0 && args[0].equals("--quick"), Path.of("kava-output"));
  }

  /** Runs the tutorial, writes its pictures into {@code output}; returns the test accuracy. */
  public static double run(PrintStream out, boolean quick, Path output) {
    TrainTest data = TutorialData.mnist(quick, out);
    FloatNdArray xTrain = TutorialData.scaled(data.train().images());
    FloatNdArray yTrain = data.train().oneHotLabels();
    FloatNdArray xTest = TutorialData.scaled(data.test().images());
    FloatNdArray yTest = data.test().oneHotLabels();
    out.printf("x_train %s, x_test %s%n", xTrain.shape(), xTest.shape());

    try (Sequential model = MnistSimpleCnn.create().seed(42)) {
      out.print(model.summaryString());
      model.compile(new Adam(0.001), new CategoricalCrossentropy(), new Accuracy());
      History history = model.fit(xTrain, yTrain, FitOptions.defaults()
          .epochs(quick ? 2 : 10).batchSize(32).validationData(xTest, yTest).seed(42)
          .verbose(2).printTo(out));

      out.println("Loss curves (train / validation):");
      for (int e = 0; e < history.epochs().size(); e++) {
        out.printf(Locale.ROOT, "  epoch %2d  loss %.4f / %.4f  accuracy %.4f / %.4f%n", e + 1,
            history.get("loss").get(e), history.get("val_loss").get(e),
            history.get("accuracy").get(e), history.get("val_accuracy").get(e));
      }
      Map<String, Double> scores = model.evaluate(xTest, yTest);
      out.printf(Locale.ROOT, "Test loss: %.4f%nTest accuracy: %.4f%n", scores.get("loss"),
          scores.get("accuracy"));

      FloatNdArray one = model.predict(xTest.slice(org.tensorflow.ndarray.index.Indices
          .range(0, 1)));
      int predicted = model.predictClasses(xTest.slice(org.tensorflow.ndarray.index.Indices
          .range(0, 1)))[0];
      out.printf(Locale.ROOT, "First test digit: predicted %d (p=%.3f), true %d%n", predicted,
          one.getFloat(0, predicted), data.test().labels()[0]);
      Plots.results(out, output, "mnist_cnn", model.name() + " on MNIST", history,
          data.test(), model.predictClasses(xTest));
      return scores.get("accuracy");
    }
  }
}
