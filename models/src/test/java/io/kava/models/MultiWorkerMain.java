package io.kava.models;

import io.kava.FitOptions;
import io.kava.History;
import io.kava.Model;
import io.kava.callbacks.BackupAndRestore;
import io.kava.callbacks.CSVLogger;
import io.kava.callbacks.Callback;
import io.kava.callbacks.ModelCheckpoint;
import io.kava.callbacks.TensorBoard;
import io.kava.data.datasets.ImageDataset;
import io.kava.data.datasets.Mnist;
import io.kava.data.image.FlowOptions;
import io.kava.data.image.ImageDataGenerator;
import io.kava.distribute.MultiWorkerStrategy;
import io.kava.losses.CategoricalCrossentropy;
import io.kava.metrics.Accuracy;
import io.kava.optimizers.Adam;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tensorflow.ndarray.FloatNdArray;

/**
 * One worker of the multi-worker tests, run in its own JVM with {@code TF_CONFIG} set: trains
 * the MNIST simple CNN on the first digits and writes its losses ({@code <out>.txt}) and
 * weights ({@code <out>.weights}), with a checkpoint, CSV log and TensorBoard logs beside them
 * (on the chief only). The tests also call {@link #train} in process for the
 * single-replica reference run.
 *
 * <p>Arguments: {@code out samples epochs batchSize timeoutSeconds [pauseAtStep [resumeFrom
 * [iterator [backupDir]]]]}; with {@code pauseAtStep} (-1 for none), the worker writes
 * {@code <out>.paused} after that training step and waits to be killed; with
 * {@code resumeFrom} ({@code -} for none), it loads the model saved there and trains its
 * remaining epochs; with
 * {@code iterator}, it trains on an {@code ImageDataGenerator} iterator instead of arrays;
 * with {@code backupDir} ({@code -} for none), a {@code BackupAndRestore} callback backs the
 * training up there and resumes from it.
 */
public final class MultiWorkerMain {
  private MultiWorkerMain() {}

  public static void main(String[] args) {
    Path out = Path.of(args[0]);
    try {
      MultiWorkerStrategy strategy = MultiWorkerStrategy.fromEnvironment()
          .timeout(Duration.ofSeconds(Long.parseLong(args[4])))
          .startTimeout(Duration.ofSeconds(120));
      int pauseAt = args.length > 5 ? Integer.parseInt(args[5]) : -1;
      Path resume = args.length > 6 && !args[6].equals("-") ? Path.of(args[6]) : null;
      boolean iterator = args.length > 7 && args[7].equals("iterator");
      Path backup = args.length > 8 && !args[8].equals("-") ? Path.of(args[8]) : null;
      train(strategy, Integer.parseInt(args[1]), Integer.parseInt(args[2]),
          Integer.parseInt(args[3]), out, pauseAt, resume, iterator, backup);
    } catch (RuntimeException e) {
      write(out.resolveSibling(out.getFileName() + ".error"), String.valueOf(e.getMessage()));
      e.printStackTrace();
      // A worker's TensorFlow server cannot be stopped; only the process ending frees it.
      Runtime.getRuntime().halt(3);
    }
    Runtime.getRuntime().halt(0);
  }

  /** Trains and writes {@code <out>.txt} (one line per step and epoch) and the weights. */
  static void train(MultiWorkerStrategy strategy, int samples, int epochs, int batchSize,
      Path out, int pauseAt, Path resumeFrom, boolean iterator, Path backup) {
    Path dir = Path.of(System.getProperty("kava.mnist", "../../shared/data/mnist-10k"));
    ImageDataset digits = Mnist.fromIdx(dir.resolve("images-idx3-ubyte.gz"),
        dir.resolve("labels-idx1-ubyte.gz")).take(0, samples);
    FloatNdArray x = MnistModelsTest.rescaled(digits);
    List<String> lines = new ArrayList<>();
    List<Long> times = new ArrayList<>();
    Callback record = new Callback() {
      private int steps;

      @Override
      public void onBatchEnd(Model model, int batch, Map<String, Double> logs) {
        lines.add(String.format(Locale.ROOT, "step %d loss %.9g accuracy %.9g", steps,
            logs.get("loss"), logs.get("accuracy")));
        times.add(System.nanoTime());
        if (++steps == pauseAt) {
          write(out.resolveSibling(out.getFileName() + ".paused"), "step " + steps);
          sleepUntilKilled();
        }
      }
    };
    var checkpoint = new ModelCheckpoint(out.resolveSibling(out.getFileName()
        + "-checkpoint-{epoch}"));
    var csv = new CSVLogger(out.resolveSibling(out.getFileName() + ".csv"));
    var logs = new TensorBoard(out.resolveSibling(out.getFileName() + "-logs"));
    try (Model model = strategy.build(() -> resumeFrom != null ? Model.load(resumeFrom)
        : MnistSimpleCnn.create().seed(1))) {
      if (resumeFrom == null) {
        model.compile(new Adam(0.003), new CategoricalCrossentropy(), new Accuracy());
      }
      FitOptions options = FitOptions.defaults().epochs(epochs)
          .initialEpoch(model.epochsCompleted()).batchSize(batchSize).seed(3).verbose(0)
          .callbacks(record, checkpoint, csv, logs);
      if (backup != null) {
        options = options.callbacks(record, checkpoint, csv, logs, new BackupAndRestore(backup));
      }
      History h = iterator
          ? model.fit(ImageDataGenerator.identity().flow(x, digits.oneHotLabels(),
              FlowOptions.defaults().batchSize(batchSize).seed(5)), options)
          : model.fit(x, digits.oneHotLabels(), options);
      for (int e = 0; e < h.epochs().size(); e++) {
        lines.add(String.format(Locale.ROOT, "epoch %d loss %.9g accuracy %.9g",
            h.epochs().get(e), h.get("loss").get(e), h.get("accuracy").get(e)));
      }
      write(out.resolveSibling(out.getFileName() + ".txt"), String.join("\n", lines) + "\n");
      // Mean step time after the first five (graph optimization, connections).
      int from = Math.min(5, times.size() - 1);
      write(out.resolveSibling(out.getFileName() + ".time"), String.format(Locale.ROOT,
          "%.3f ms/step over %d steps%n", (times.get(times.size() - 1) - times.get(from))
          / 1e6 / (times.size() - 1 - from), times.size() - 1 - from));
      List<FloatNdArray> weights = model.getWeights();
      long n = weights.stream().mapToLong(FloatNdArray::size).sum();
      ByteBuffer bytes = ByteBuffer.allocate(Math.toIntExact(4 * n));
      weights.forEach(w -> w.scalars().forEach(s -> bytes.putFloat(s.getFloat())));
      Files.write(out.resolveSibling(out.getFileName() + ".weights"), bytes.array());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void sleepUntilKilled() {
    try {
      Thread.sleep(600_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void write(Path file, String text) {
    try {
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
