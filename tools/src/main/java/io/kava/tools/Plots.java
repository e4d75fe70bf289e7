package io.kava.tools;

import io.kava.History;
import io.kava.internal.AtomicFiles;
import io.kava.metrics.ConfusionMatrix;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.tensorflow.ndarray.FloatNdArray;

/**
 * The pictures the tutorials draw, as PNG files: training curves of a {@link History} (train
 * vs validation), a confusion-matrix heatmap, and a grid of images with predicted and true
 * labels. Files are written atomically.
 *
 * <pre>{@code
 * jshell> Plots.history(history, Path.of("curves.png"))
 * jshell> Plots.confusionMatrix(cm, classNames, Path.of("confusion.png"))
 * jshell> Plots.imageGrid(xTest, predicted, yTest, classNames, 16, Path.of("samples.png"))
 * }</pre>
 */
public final class Plots {
  private Plots() {}

  /** Loss (and accuracy, if logged) per epoch, training and validation, side by side. */
  public static void history(History history, Path png) {
    List<XYChart> charts = new ArrayList<>();
    for (String metric : List.of("loss", "accuracy")) {
      if (!history.keys().contains(metric)) {
        continue;
      }
      XYChart chart = new XYChartBuilder().width(560).height(400).title(metric)
          .xAxisTitle("epoch").yAxisTitle(metric).build();
      List<Integer> epochs = history.epochs().stream().map(e -> e + 1).toList();
      chart.addSeries("train", epochs, history.get(metric));
      if (history.keys().contains("val_" + metric)) {
        chart.addSeries("validation", epochs, history.get("val_" + metric));
      }
      charts.add(chart);
    }
    if (charts.isEmpty()) {
      throw new IllegalArgumentException("Plots.history: the history must hold 'loss'; got "
          + history.keys() + ".");
    }
    AtomicFiles.write(png, out -> BitmapEncoder.saveBitmap(charts, 1, charts.size(), out,
        BitmapEncoder.BitmapFormat.PNG));
  }

  /** Counts of (true, predicted) as a heatmap, classes named. */
  public static void confusionMatrix(ConfusionMatrix cm, List<String> classNames, Path png) {
    int k = cm.numClasses();
    if (classNames.size() != k) {
      throw new IllegalArgumentException("Plots.confusionMatrix: one name per class (" + k
          + ") is needed; got " + classNames.size() + ".");
    }
    HeatMapChart chart = new HeatMapChartBuilder().width(120 + 60 * k).height(100 + 50 * k)
        .title("Confusion matrix (rows: true, columns: predicted)").build();
    chart.getStyler().setShowValue(true);
    chart.getStyler().setLegendVisible(false);
    List<Number[]> cells = new ArrayList<>();
    for (int t = 0; t < k; t++) {
      for (int p = 0; p < k; p++) {
        cells.add(new Number[] {p, k - 1 - t, cm.count(t, p)});
      }
    }
    List<String> rows = new ArrayList<>(classNames);
    java.util.Collections.reverse(rows);
    chart.addSeries("counts", classNames, rows, cells);
    AtomicFiles.write(png, out -> BitmapEncoder.saveBitmap(chart, out,
        BitmapEncoder.BitmapFormat.PNG));
  }

  /**
   * The first {@code count} images ({@code [n, h, w, c]}, values 0..255 or 0..1) in a grid,
   * each captioned "predicted / true" (red when wrong). {@code truth} may be null.
   */
  public static void imageGrid(FloatNdArray images, int[] predicted, int[] truth,
      List<String> names, int count, Path png) {
    if (images.rank() != 4) {
      throw new IllegalArgumentException("Plots.imageGrid: images must have rank 4 (n, h, w,"
          + " c); got " + images.shape() + ".");
    }
    int n = (int) Math.min(count, images.shape().get(0));
    int h = (int) images.shape().get(1);
    int w = (int) images.shape().get(2);
    int c = (int) images.shape().get(3);
    int cols = (int) Math.ceil(Math.sqrt(n));
    int rows = (n + cols - 1) / cols;
    int scale = Math.max(1, 96 / Math.max(h, w));
    int cellW = w * scale + 16;
    int cellH = h * scale + 34;
    float max = 0;
    for (int i = 0; i < n; i++) {
      for (long y = 0; y < h; y++) {
        for (long x = 0; x < w; x++) {
          max = Math.max(max, images.getFloat(i, y, x, 0));
        }
      }
    }
    float toByte = max <= 1.0001f ? 255f : 1f;
    BufferedImage out = new BufferedImage(cols * cellW, rows * cellH, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING,
        RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, out.getWidth(), out.getHeight());
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    for (int i = 0; i < n; i++) {
      int ox = (i % cols) * cellW + 8;
      int oy = (i / cols) * cellH + 4;
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int r = clamp(images.getFloat(i, y, x, 0) * toByte);
          int gr = c >= 3 ? clamp(images.getFloat(i, y, x, 1) * toByte) : r;
          int b = c >= 3 ? clamp(images.getFloat(i, y, x, 2) * toByte) : r;
          g.setColor(new Color(r, gr, b));
          g.fillRect(ox + x * scale, oy + y * scale, scale, scale);
        }
      }
      boolean wrong = truth != null && truth[i] != predicted[i];
      g.setColor(wrong ? Color.RED : Color.DARK_GRAY);
      String caption = label(names, predicted[i]) + (truth == null ? ""
          : " / " + label(names, truth[i]));
      g.drawString(caption, ox, oy + h * scale + 16);
    }
    g.dispose();
    AtomicFiles.write(png, o -> ImageIO.write(out, "png", o));
  }

  private static String label(List<String> names, int k) {
    return names != null && k >= 0 && k < names.size() ? names.get(k) : Integer.toString(k);
  }

  private static int clamp(float v) {
    return Math.max(0, Math.min(255, Math.round(v)));
  }
}
