package io.kava.tools.tutorials;

import io.kava.FitOptions;
import io.kava.History;
import io.kava.Sequential;
import io.kava.data.datasets.ImageDataset;
import io.kava.data.datasets.TrainTest;
import io.kava.layers.Activation;
import io.kava.layers.Conv2D;
import io.kava.layers.Dense;
import io.kava.layers.Flatten;
import io.kava.layers.Input;
import io.kava.layers.MaxPooling2D;
import io.kava.losses.BinaryCrossentropy;
import io.kava.metrics.Accuracy;
import io.kava.models.MnistDeepCnn;
import io.kava.models.MnistMlp;
import io.kava.optimizers.SGD;
import io.kava.tools.Plots;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.tensorflow.ndarray.FloatNdArray;

/**
 * Tutorial 2, MNIST odd vs even: a binary label per digit, and three models trained with
 * SGD(0.01) and binary cross-entropy, as the tutorial: an MLP, a small CNN and the deep CNN.
 * Full mode holds out the last 10,000 of the 60,000 training digits (50k/10k). Each model's
 * curves, confusion matrix (even / odd) and captioned held-out digits go to the output
 * folder as {@code odd_even_<model>_curves.png}, {@code _confusion.png}, {@code _samples.png}.
 *
 * <pre>{@code
 * $ tools/kava tutorial odd-even --quick
 * }</pre>
 */
public final class OddEvenTutorial {
  private OddEvenTutorial() {}

  public static void main(String[] args) {
    run(System.out, args.length > 0 && args[0].equals("--quick"), Path.of("kava-output"));
  }

  /** Runs the three models, writing their pictures to {@code output}; returns accuracies. */
  public static Map<String, Double> run(PrintStream out, boolean quick, Path output) {
    TrainTest data = TutorialData.mnist(quick, out);
    int n = data.train().size();
    int train = quick ? n : n - 10_000;
    var trainPart = data.train().take(0, train);
    var held = quick ? data.test() : data.train().take(train, n);
    FloatNdArray x = TutorialData.scaled(trainPart.images());
    FloatNdArray y = TutorialData.oddEven(trainPart.labels());
    FloatNdArray xVal = TutorialData.scaled(held.images());
    FloatNdArray yVal = TutorialData.oddEven(held.labels());
    int[] parity = new int[held.size()];
    for (int i = 0; i < parity.length; i++) {
      parity[i] = held.labels()[i] % 2;
    }
    ImageDataset heldParity = new ImageDataset(held.images(), parity, List.of("even", "odd"));
    out.printf("Training on %,d digits, validating on %,d (1 = odd)%n", train, held.size());

    Map<String, Supplier<Sequential>> models = new LinkedHashMap<>();
    models.put("MLP", MnistMlp::create);
    models.put("CNN", () -> new Sequential(Input.of(28, 28, 1),
        Conv2D.of(32, 3).activation(Activation.RELU), MaxPooling2D.of(2), Flatten.of(),
        Dense.of(1).activation(Activation.SIGMOID)).name("mnist_binary_cnn"));
    models.put("deep CNN", MnistDeepCnn::create);
    Map<String, Double> results = new LinkedHashMap<>();
    for (var e : models.entrySet()) {
      try (Sequential model = e.getValue().get().seed(7)) {
        out.println("== " + e.getKey() + String.format(Locale.ROOT, " (%,d params)",
            model.countParams()));
        model.compile(new SGD(0.01), new BinaryCrossentropy(), new Accuracy());
        int epochs = quick ? 1 : e.getKey().equals("deep CNN") ? 20 : 10;
        History h = model.fit(x, y, FitOptions.defaults().epochs(epochs).batchSize(32)
            .validationData(xVal, yVal).seed(7).verbose(2).printTo(out));
        double acc = model.evaluate(xVal, yVal).get("accuracy");
        results.put(e.getKey(), acc);
        out.printf(Locale.ROOT, "%s held-out accuracy: %.4f%n", e.getKey(), acc);
        Plots.results(out, output, "odd_even_" + e.getKey().replace(' ', '_').toLowerCase(
            Locale.ROOT), model.name() + " on MNIST odd vs even", h, heldParity,
            model.predictClasses(xVal));
      }
    }
    return results;
  }
}
