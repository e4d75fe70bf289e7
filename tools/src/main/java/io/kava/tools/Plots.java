package io.kava.tools;

import io.kava.Batch;
import io.kava.BatchIterator;
import io.kava.History;
import io.kava.data.datasets.ImageDataset;
import io.kava.internal.AtomicFiles;
import io.kava.metrics.Classes;
import io.kava.metrics.ConfusionMatrix;
import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.index.Indices;

/**
 * The pictures the Keras tutorials draw, as PNG files: training curves of a {@link History}
 * (train vs validation), a confusion-matrix heatmap, a grid of test images captioned with
 * predicted and true labels (the wrong ones in red), and a grid of augmented training
 * images. Every picture carries the title it is given (say the model and the data set), so
 * it reads without the text beside it. Files are written atomically, their folders created.
 *
 * <pre>{@code
 * jshell> Plots.history(history, "mnist_simple_cnn on MNIST", Path.of("curves.png"))
 * jshell> Plots.confusionMatrix(cm, classNames, "mnist_simple_cnn on MNIST test",
 *    ...>     Path.of("confusion.png"))
 * jshell> Plots.imageGrid(xTest, predicted, yTest, classNames, 25, "MNIST test",
 *    ...>     Path.of("samples.png"))
 * }</pre>
 */
public final class Plots {
  /** Images in the sample grids {@link #results} writes. */
  public static final int SAMPLES = 25;

  private static final Color BLUE = new Color(31, 119, 180);
  private static final Color ORANGE = new Color(255, 127, 14);

  private Plots() {}

  /**
   * Loss and accuracy per epoch, side by side (accuracy only if logged): each chart has the
   * training series ({@code loss}) and the validation one ({@code val_loss}) when logged,
   * plus any other logged key of its kind ({@code digit_loss}, {@code val_10crop_accuracy}).
   * The picture is 560 pixels wide per chart, 400 high.
   */
  public static void history(History history, String title, Path png) {
    check(title, png);
    if (history == null || !history.keys().contains("loss") || history.epochs().isEmpty()) {
      throw new IllegalArgumentException("Plots.history: history must hold at least one"
          + " epoch of 'loss'; got " + (history == null ? "null" : history.keys()) + ".");
    }
    List<Integer> epochs = history.epochs().stream().map(e -> e + 1).toList();
    List<XYChart> charts = new ArrayList<>();
    for (String kind : List.of("loss", "accuracy")) {
      List<String> keys = history.keys().stream().filter(k -> k.endsWith(kind)).sorted(
          (a, b) -> Integer.compare(rank(a, kind), rank(b, kind))).toList();
      if (keys.isEmpty()) {
        continue;
      }
      XYChart chart = new XYChartBuilder().width(560).height(400).title(title + ": " + kind)
          .xAxisTitle("epoch").yAxisTitle(kind).build();
      // Loss falls and accuracy rises: keep the legend in the corner the curves leave empty.
      chart.getStyler().setLegendPosition(kind.equals("loss") ? LegendPosition.InsideNE
          : LegendPosition.InsideSE);
      chart.getStyler().setMarkerSize(7);
      chart.getStyler().setYAxisDecimalPattern("#0.###");
      chart.setCustomXAxisTickLabelsFormatter(d -> d == Math.rint(d)
          ? Integer.toString(d.intValue()) : "");
      for (String key : keys) {
        var series = chart.addSeries(seriesName(key, kind), epochs, history.get(key));
        if (key.equals(kind)) {
          series.setLineColor(BLUE);
          series.setMarkerColor(BLUE);
        } else if (key.equals("val_" + kind)) {
          series.setLineColor(ORANGE);
          series.setMarkerColor(ORANGE);
        }
      }
      charts.add(chart);
    }
    AtomicFiles.write(png, out -> BitmapEncoder.saveBitmap(charts, 1, charts.size(), out,
        BitmapEncoder.BitmapFormat.PNG));
  }

  private static int rank(String key, String kind) {
    return key.equals(kind) ? 0 : key.equals("val_" + kind) ? 1 : 2;
  }

  private static String seriesName(String key, String kind) {
    return key.equals(kind) ? "train" : key.equals("val_" + kind) ? "validation" : key;
  }

  /**
   * Counts of (true, predicted) as a heatmap: true classes down the side, predicted along
   * the bottom, each cell showing its count. Size grows with the number of classes.
   */
  public static void confusionMatrix(ConfusionMatrix cm, List<String> classNames, String title,
      Path png) {
    check(title, png);
    int k = cm.numClasses();
    if (classNames == null || classNames.size() != k) {
      throw new IllegalArgumentException("Plots.confusionMatrix: one name per class (" + k
          + ") is needed; got " + (classNames == null ? "null" : classNames.size()) + ".");
    }
    int longest = classNames.stream().mapToInt(String::length).max().orElse(1);
    // Wide enough for the title too: a two-class matrix is small, its title is not.
    int width = Math.max(220 + 6 * longest + 64 * k, 60 + 9 * title.length());
    HeatMapChart chart = new HeatMapChartBuilder().width(width)
        .height(Math.max(360, 180 + 6 * longest + 48 * k)).title(title)
        .xAxisTitle("predicted class").yAxisTitle("true class").build();
    var styler = chart.getStyler();
    styler.setShowValue(true);
    styler.setLegendVisible(true);
    styler.setRangeColors(new Color[] {Color.WHITE, new Color(158, 202, 225),
        new Color(49, 130, 189)});
    styler.setValueFont(new Font(Font.SANS_SERIF, Font.BOLD, k > 12 ? 10 : 13));
    styler.setValueFontColor(Color.BLACK);
    styler.setHeatMapValueDecimalPattern("#");
    styler.setMin(0);
    styler.setXAxisLabelRotation(k > 4 && longest > 5 ? 45 : 0);
    styler.setChartBackgroundColor(Color.WHITE);
    styler.setPlotGridLinesVisible(false);
    List<Number[]> cells = new ArrayList<>();
    for (int t = 0; t < k; t++) {
      for (int p = 0; p < k; p++) {
        cells.add(new Number[] {p, k - 1 - t, cm.count(t, p)});
      }
    }
    List<String> rows = new ArrayList<>(classNames);
    Collections.reverse(rows);
    chart.addSeries("count", classNames, rows, cells);
    AtomicFiles.write(png, out -> BitmapEncoder.saveBitmap(chart, out,
        BitmapEncoder.BitmapFormat.PNG));
  }

  /**
   * The first {@code count} images ({@code [n, h, w, c]}; values 0..1 or 0..255, anything
   * else stretched per image) in a grid, each captioned "predicted / true" and framed in red
   * when they differ; the title line says how many are wrong. {@code truth} may be null: the
   * captions are then the predictions alone.
   */
  public static void imageGrid(FloatNdArray images, int[] predicted, int[] truth,
      List<String> names, int count, String title, Path png) {
    check(title, png);
    int n = shown(images, count, "imageGrid");
    if (predicted == null || predicted.length < n || (truth != null && truth.length < n)) {
      throw new IllegalArgumentException("Plots.imageGrid: predicted and truth must hold a"
          + " label for each of the " + n + " images shown; got " + length(predicted) + " and "
          + length(truth) + ".");
    }
    String[] captions = new String[n];
    boolean[] wrong = new boolean[n];
    int errors = 0;
    for (int i = 0; i < n; i++) {
      wrong[i] = truth != null && truth[i] != predicted[i];
      errors += wrong[i] ? 1 : 0;
      captions[i] = ImageGrid.label(names, predicted[i])
          + (truth == null ? "" : " / " + ImageGrid.label(names, truth[i]));
    }
    String footer = truth == null ? "predicted class" : "predicted / true class; " + errors
        + " of " + n + " wrong, in red";
    write(ImageGrid.draw(images, n, captions, wrong, title, footer), png);
  }

  /**
   * The first {@code count} images an augmenting iterator yields (e.g. an
   * {@code ImageDataGenerator} flow), captioned with their labels (one-hot, class indices or
   * none): the check Keras users make of their augmentation settings.
   */
  public static void augmented(BatchIterator flow, List<String> names, int count, String title,
      Path png) {
    check(title, png);
    if (flow == null || flow.size() == 0) {
      throw new IllegalArgumentException("Plots.augmented: flow must yield batches; got "
          + (flow == null ? "null" : "an empty iterator") + ".");
    }
    Batch b = flow.get(0);
    int n = shown(b.x(), count, "augmented");
    FloatNdArray x = b.x().slice(Indices.range(0, n));
    String[] captions = new String[n];
    int[] labels = b.y() == null ? null : b.y().rank() == 1 ? rounded(b.y())
        : Classes.of(b.y());
    for (int i = 0; i < n; i++) {
      captions[i] = labels == null ? "#" + (i + 1) : ImageGrid.label(names, labels[i]);
    }
    write(ImageGrid.draw(x, n, captions, null, title, "augmented training images (label)"),
        png);
  }

  /**
   * The pictures of a classifier's run, into {@code dir}: {@code <stem>_curves.png} (when
   * {@code history} is not null), {@code <stem>_confusion.png} and {@code <stem>_samples.png}
   * (the first {@value #SAMPLES} test images, raw pixels, captioned). Prints each path to
   * {@code out} and returns them.
   */
  public static List<Path> results(PrintStream out, Path dir, String stem, String title,
      History history, ImageDataset test, int[] predicted) {
    List<Path> written = new ArrayList<>();
    if (history != null) {
      written.add(dir.resolve(stem + "_curves.png"));
      history(history, title, written.get(0));
    }
    Path confusion = dir.resolve(stem + "_confusion.png");
    confusionMatrix(ConfusionMatrix.of(test.labels(), predicted, test.classNames().size()),
        test.classNames(), title + ": confusion matrix (" + test.size() + " test images)",
        confusion);
    written.add(confusion);
    Path samples = dir.resolve(stem + "_samples.png");
    imageGrid(test.images(), predicted, test.labels(), test.classNames(), SAMPLES,
        title + ": test images", samples);
    written.add(samples);
    written.forEach(p -> out.println("Plot: " + p.toAbsolutePath()));
    return written;
  }

  /** Writes {@link #augmented} to {@code png} and prints its path to {@code out}. */
  public static Path augmented(PrintStream out, BatchIterator flow, List<String> names,
      String title, Path png) {
    augmented(flow, names, SAMPLES, title, png);
    out.println("Plot: " + png.toAbsolutePath());
    return png;
  }

  private static void check(String title, Path png) {
    if (title == null || title.isBlank()) {
      throw new IllegalArgumentException("Plots: title must name the model and data set; got "
          + (title == null ? "null" : "'" + title + "'") + ".");
    }
    if (png == null) {
      throw new IllegalArgumentException("Plots: png must be a file path; got null.");
    }
  }

  private static int shown(FloatNdArray images, int count, String method) {
    if (images == null || images.rank() != 4) {
      throw new IllegalArgumentException("Plots." + method + ": images must have rank 4 (n, h,"
          + " w, c); got " + (images == null ? "null" : images.shape()) + ".");
    }
    if (count <= 0) {
      throw new IllegalArgumentException("Plots." + method + ": count must be > 0; got "
          + count + ".");
    }
    return (int) Math.min(count, images.shape().get(0));
  }

  private static String length(int[] a) {
    return a == null ? "null" : Integer.toString(a.length);
  }

  private static int[] rounded(FloatNdArray y) {
    int[] v = new int[(int) y.shape().get(0)];
    for (int i = 0; i < v.length; i++) {
      v[i] = Math.round(y.getFloat(i));
    }
    return v;
  }

  private static void write(BufferedImage image, Path png) {
    AtomicFiles.write(png, o -> ImageIO.write(image, "png", o));
  }
}
