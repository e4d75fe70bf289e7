package io.kava.tools;

import io.kava.data.datasets.Npy;
import io.kava.data.image.ColorMode;
import io.kava.data.image.ImageReader;
import io.kava.data.image.Interpolation;
import io.kava.metrics.Classes;
import io.kava.saving.SavedModel;
import io.kava.saving.TensorSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kava predict}: runs a SavedModel's {@code serving_default} on image files (resized
 * to the model's input) or on an {@code .npy} array, and prints each row's class and score.
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
    description = "Predicts with a SavedModel (Kava's or Python's) on image files or an .npy"
        + " array and prints the top class and its score per input.")
final class PredictCommand implements Runnable {
  @Option(names = "--model", required = true,
      description = "SavedModel directory or TF Serving base path.")
  Path model;

  @Option(names = "--rescale", defaultValue = "0.00392156862745098",
      description = "Factor applied to image pixels (default 1/255, as the tutorials train).")
  double rescale;

  @Option(names = "--npy", description = "An .npy array of inputs instead of images.")
  Path npy;

  @Parameters(arity = "0..*", description = "Image files (JPEG, PNG, GIF, BMP, TIFF, PPM).")
  List<Path> images = List.of();

  @Override
  public void run() {
    if (npy == null && images.isEmpty()) {
      throw new IllegalArgumentException("predict: give image files or --npy FILE; got"
          + " neither.");
    }
    try (SavedModel sm = SavedModel.load(model)) {
      TensorSpec input = sm.signature(SavedModel.DEFAULT_SIGNATURE).inputs().values()
          .iterator().next();
      FloatNdArray x = npy != null ? Npy.read(npy) : images(input);
      Map<String, FloatNdArray> out = sm.predict(Map.of(input.key(), x));
      FloatNdArray y = out.values().iterator().next();
      int[] classes = Classes.of(y);
      boolean single = y.shape().numDimensions() == 1 || y.shape().get(1) == 1;
      for (int i = 0; i < classes.length; i++) {
        String what = npy != null ? "row " + i : images.get(i).toString();
        float score = y.shape().numDimensions() == 1 ? y.getFloat(i)
            : y.getFloat(i, single ? 0 : classes[i]);
        System.out.printf(Locale.ROOT, "%s: class %d (score %.4f)%n", what, classes[i], score);
      }
    }
  }

  private FloatNdArray images(TensorSpec input) {
    Shape s = input.shape();
    if (s.isUnknown() || s.numDimensions() != 4 || s.get(1) <= 0 || s.get(2) <= 0
        || s.get(3) <= 0) {
      throw new IllegalArgumentException("predict: the model's input must be images [n, h, w,"
          + " c] of known size to read image files; got " + input.shapeText()
          + ". Use --npy.");
    }
    int c = (int) s.get(3);
    ColorMode mode = c == 1 ? ColorMode.GRAYSCALE : c == 4 ? ColorMode.RGBA : ColorMode.RGB;
    ImageReader reader = ImageReader.of((int) s.get(1), (int) s.get(2), mode,
        Interpolation.BILINEAR, false);
    FloatNdArray x = NdArrays.ofFloats(Shape.of(images.size()).append(reader.shape()));
    for (int i = 0; i < images.size(); i++) {
      FloatNdArray img = reader.read(images.get(i));
      int row = i;
      img.scalars().forEachIndexed((idx, v) -> {
        long[] at = new long[idx.length + 1];
        at[0] = row;
        System.arraycopy(idx, 0, at, 1, idx.length);
        x.setFloat((float) (v.getFloat() * rescale), at);
      });
    }
    return x;
  }
}
