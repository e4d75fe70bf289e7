package io.kava.models;

import io.kava.FitOptions;
import io.kava.History;
import io.kava.Model;
import io.kava.data.image.FlowOptions;
import io.kava.data.image.ImageDataGenerator;
import io.kava.distribute.MultiWorkerStrategy;
import io.kava.losses.CategoricalCrossentropy;
import io.kava.metrics.Accuracy;
import io.kava.optimizers.RMSprop;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Issue 15's example as a user writes it (the CIFAR-10 CNN, RMSprop, a global batch, data
 * from {@code flowFromDirectory}), run in each worker process by
 * {@link MultiWorkerExampleTest}: {@code <images dir> <out file>}, with its TF_CONFIG.
 */
public final class MultiWorkerExampleMain {
  private MultiWorkerExampleMain() {}

  public static void main(String[] args) throws IOException {
    var train = ImageDataGenerator.builder().rescale(1 / 255.0).horizontalFlip(true).build()
        .flowFromDirectory(Path.of(args[0]), FlowOptions.defaults().targetSize(32, 32)
            .batchSize(40).seed(7));
    var strategy = MultiWorkerStrategy.fromEnvironment();   // reads TF_CONFIG, as Keras does
    Model model = strategy.build(() -> Cifar10Cnn.create()); // variables placed by the strategy
    model.compile(new RMSprop(1e-4), new CategoricalCrossentropy(), new Accuracy());
    History h = model.fit(train, FitOptions.defaults().epochs(2).batchSize(40).verbose(0));
    StringBuilder out = new StringBuilder();
    for (int e = 0; e < h.epochs().size(); e++) {
      out.append(String.format(Locale.ROOT, "epoch %d loss %.9g accuracy %.9g%n",
          h.epochs().get(e), h.get("loss").get(e), h.get("accuracy").get(e)));
    }
    Files.writeString(Path.of(args[1]), out);
    model.close();
    // A worker's TensorFlow server cannot be stopped; only the process ending frees it.
    Runtime.getRuntime().halt(0);
  }
}
