package io.kava.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Counts of (true class, predicted class) pairs, with per-class precision, recall and F1 and
 * scikit-learn's {@code classification_report}, from {@code model.predictClasses(x)}.
 *
 * <pre>{@code
 * jshell> var cm = ConfusionMatrix.of(testLabels, model.predictClasses(xTest), 10)
 * jshell> cm.accuracy()
 * jshell> System.out.print(cm.report(List.of("airplane", "automobile", ...)))
 * }</pre>
 */
public final class ConfusionMatrix {
  private final long[][] counts;

  private ConfusionMatrix(long[][] counts) {
    this.counts = counts;
  }

  /** Rows are true classes, columns predicted ones; every label must be in [0, classes). */
  public static ConfusionMatrix of(int[] trueLabels, int[] predicted, int numClasses) {
    if (numClasses <= 0) {
      throw new IllegalArgumentException("ConfusionMatrix: number of classes must be > 0; got "
          + numClasses + ".");
    }
    if (trueLabels == null || predicted == null || trueLabels.length != predicted.length) {
      throw new IllegalArgumentException("ConfusionMatrix: true and predicted labels must have"
          + " the same length; got " + (trueLabels == null ? "null" : trueLabels.length)
          + " and " + (predicted == null ? "null" : predicted.length) + ".");
    }
    long[][] c = new long[numClasses][numClasses];
    for (int i = 0; i < trueLabels.length; i++) {
      check("true", trueLabels[i], i, numClasses);
      check("predicted", predicted[i], i, numClasses);
      c[trueLabels[i]][predicted[i]]++;
    }
    return new ConfusionMatrix(c);
  }

  private static void check(String what, int label, int index, int k) {
    if (label < 0 || label >= k) {
      throw new IllegalArgumentException("ConfusionMatrix: " + what + " labels must be in [0, "
          + k + "); got " + label + " at index " + index + ".");
    }
  }

  public int numClasses() {
    return counts.length;
  }

  /** How many samples of class {@code actual} were predicted as {@code predicted}. */
  public long count(int actual, int predicted) {
    return counts[actual][predicted];
  }

  /** A copy of the whole matrix, rows true classes. */
  public long[][] counts() {
    long[][] copy = new long[counts.length][];
    for (int i = 0; i < counts.length; i++) {
      copy[i] = counts[i].clone();
    }
    return copy;
  }

  public long total() {
    long n = 0;
    for (long[] row : counts) {
      for (long v : row) {
        n += v;
      }
    }
    return n;
  }

  public double accuracy() {
    long right = 0;
    for (int i = 0; i < counts.length; i++) {
      right += counts[i][i];
    }
    long n = total();
    return n == 0 ? 0 : (double) right / n;
  }

  /** Samples of class {@code c}. */
  public long support(int c) {
    long n = 0;
    for (long v : counts[c]) {
      n += v;
    }
    return n;
  }

  /** Of the samples predicted {@code c}, the fraction that are {@code c} (0 if none). */
  public double precision(int c) {
    long predicted = 0;
    for (long[] row : counts) {
      predicted += row[c];
    }
    return predicted == 0 ? 0 : (double) counts[c][c] / predicted;
  }

  /** Of the samples of class {@code c}, the fraction predicted {@code c} (0 if none). */
  public double recall(int c) {
    long n = support(c);
    return n == 0 ? 0 : (double) counts[c][c] / n;
  }

  public double f1(int c) {
    double p = precision(c);
    double r = recall(c);
    return p + r == 0 ? 0 : 2 * p * r / (p + r);
  }

  /** scikit-learn's classification report: per class, accuracy, macro and weighted averages. */
  public String report(List<String> classNames) {
    List<String> names = classNames;
    if (names == null) {
      names = new ArrayList<>();
      for (int i = 0; i < counts.length; i++) {
        names.add(Integer.toString(i));
      }
    }
    if (names.size() != counts.length) {
      throw new IllegalArgumentException("ConfusionMatrix: report needs one name per class ("
          + counts.length + "); got " + names.size() + ".");
    }
    int width = Math.max(12, names.stream().mapToInt(String::length).max().orElse(0));
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "%" + width + "s %9s %9s %9s %9s%n%n", "", "precision",
        "recall", "f1-score", "support"));
    double mp = 0;
    double mr = 0;
    double mf = 0;
    double wp = 0;
    double wr = 0;
    double wf = 0;
    long n = total();
    for (int c = 0; c < counts.length; c++) {
      long s = support(c);
      b.append(String.format(Locale.ROOT, "%" + width + "s %9.2f %9.2f %9.2f %9d%n",
          names.get(c), precision(c), recall(c), f1(c), s));
      mp += precision(c);
      mr += recall(c);
      mf += f1(c);
      wp += precision(c) * s;
      wr += recall(c) * s;
      wf += f1(c) * s;
    }
    int k = counts.length;
    b.append('\n');
    b.append(String.format(Locale.ROOT, "%" + width + "s %9s %9s %9.2f %9d%n", "accuracy", "",
        "", accuracy(), n));
    b.append(String.format(Locale.ROOT, "%" + width + "s %9.2f %9.2f %9.2f %9d%n", "macro avg",
        mp / k, mr / k, mf / k, n));
    double div = Math.max(1, n);
    b.append(String.format(Locale.ROOT, "%" + width + "s %9.2f %9.2f %9.2f %9d%n",
        "weighted avg", wp / div, wr / div, wf / div, n));
    return b.toString();
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "ConfusionMatrix(classes=%d, samples=%d, accuracy=%.4f)",
        counts.length, total(), accuracy());
  }
}
