package io.kava.layers;

import static io.kava.TestArrays.array;
import static io.kava.TestArrays.flat;
import static io.kava.TestArrays.matrix;
import static io.kava.TestArrays.shape;
import static io.kava.TestArrays.uniform;
import static io.kava.TestArrays.vector;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kava.Sequential;
import io.kava.losses.MeanSquaredError;
import io.kava.optimizers.SGD;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.FloatNdArray;

class BatchNormalizationTest extends LayerContract {
  private static final double EPSILON = 1e-3;

  @Override
  List<ShapeCase> shapeCases() {
    return List.of(
        ShapeCase.of(BatchNormalization.of(), shape(3), 3),
        ShapeCase.of(BatchNormalization.of().momentum(0.9), shape(4, 4, 2), 4, 4, 2));
  }

  @Override
  List<String> expectedWeightNames() {
    return List.of("batch_normalization/gamma", "batch_normalization/beta",
        "batch_normalization/moving_mean", "batch_normalization/moving_variance");
  }

  /** Per-channel statistics over batch, height and width, on the training loss. */
  @Override
  GradientCase gradientCase() {
    Sequential model = new Sequential(Input.of(3, 3, 2), Conv2D.of(2, 1).useBias(false),
        BatchNormalization.of(), Flatten.of(), Dense.of(1)).seed(4);
    return new GradientCase(model, uniform(1, -1, 1, 4, 3, 3, 2), uniform(2, -1, 1, 4, 1), null,
        true);
  }

  @Test
  void inferenceUsesTheMovingStatistics() {
    var gamma = vector(2, 0.5f);
    var beta = vector(1, -1);
    var mean = vector(0.5f, -1);
    var variance = vector(4, 0.25f);
    var x = matrix(new float[] {1.5f, 0}, new float[] {0.5f, -2});
    float[] expected = new float[4];
    for (int i = 0; i < 2; i++) {
      for (int c = 0; c < 2; c++) {
        expected[2 * i + c] = (float) (gamma.getFloat(c) * (x.getFloat(i, c) - mean.getFloat(c))
            / Math.sqrt(variance.getFloat(c) + EPSILON) + beta.getFloat(c));
      }
    }
    assertValues(shape(2, 2), expected,
        predict(BatchNormalization.of(), x, gamma, beta, mean, variance));
  }

  @Test
  void trainingNormalizesWithBatchStatisticsAndMovesTheStoredOnes() {
    // Feature 0: 1, 2, 3, 6 (mean 3, variance 3.5); feature 1: 0, 0, 4, 4 (mean 2, variance 4).
    FloatNdArray x = matrix(new float[] {1, 0}, new float[] {2, 0}, new float[] {3, 4},
        new float[] {6, 4});
    FloatNdArray zeros = array(shape(4, 2), new float[8]);
    try (Sequential model = new Sequential(Input.of(2), BatchNormalization.of().momentum(0.5))) {
      model.compile(new SGD(0.1), new MeanSquaredError());
      double trainingLoss = model.fit(x, zeros, oneStep(x)).last("loss");
      // With gamma 1, beta 0 and target 0 the loss is the mean of normalized squares:
      // var / (var + eps) per feature.
      assertEquals((3.5 / (3.5 + EPSILON) + 4 / (4 + EPSILON)) / 2, trainingLoss, 1e-6);

      List<FloatNdArray> w = model.getWeights();
      // moving = 0.5 * moving + 0.5 * batch: mean from 0, variance from 1.
      assertArrayEquals(new float[] {1.5f, 1f}, flat(w.get(2)), 1e-6f);
      assertArrayEquals(new float[] {2.25f, 2.5f}, flat(w.get(3)), 1e-6f);
      assertFalse(flat(w.get(0))[0] == 1f, "gamma trained");

      // predict uses the moving statistics, not those of the batch it is given.
      float[] out = flat(model.predict(x));
      float[] gamma = flat(w.get(0));
      float[] beta = flat(w.get(1));
      float[] mm = flat(w.get(2));
      float[] mv = flat(w.get(3));
      float[] batchMean = {3, 2};
      float[] batchVar = {3.5f, 4};
      double largestGap = 0;
      for (int i = 0; i < 4; i++) {
        for (int c = 0; c < 2; c++) {
          double moving = gamma[c] * (x.getFloat(i, c) - mm[c]) / Math.sqrt(mv[c] + EPSILON)
              + beta[c];
          double batch = gamma[c] * (x.getFloat(i, c) - batchMean[c])
              / Math.sqrt(batchVar[c] + EPSILON) + beta[c];
          assertEquals(moving, out[2 * i + c], 1e-5);
          largestGap = Math.max(largestGap, Math.abs(moving - batch));
        }
      }
      assertTrue(largestGap > 0.1, "batch and moving statistics must differ here");
    }
  }

  @Test
  void imagesTakeTheFusedKernelWithTheSameResultsAsRowsOfChannels() {
    // The same 24 numbers as 2 images of 2x2 pixels with 3 channels, and as 8 rows of 3.
    FloatNdArray images = uniform(5, -2, 3, 2, 2, 2, 3);
    FloatNdArray rows = array(shape(8, 3), flat(images));
    FloatNdArray zeroImages = array(shape(2, 2, 2, 3), new float[24]);
    FloatNdArray zeroRows = array(shape(8, 3), new float[24]);
    for (boolean centerAndScale : new boolean[] {true, false}) {
      BatchNormalization bn = BatchNormalization.of().momentum(0.5).center(centerAndScale)
          .scale(centerAndScale);
      try (Sequential fused = new Sequential(Input.of(2, 2, 3), bn);
          Sequential general = new Sequential(Input.of(3), bn)) {
        fused.compile(new SGD(0.1), new MeanSquaredError());
        general.compile(new SGD(0.1), new MeanSquaredError());
        assertEquals(general.fit(rows, zeroRows, oneStep(rows)).last("loss"),
            fused.fit(images, zeroImages, oneStep(images)).last("loss"), 1e-6);
        List<FloatNdArray> a = fused.getWeights();
        List<FloatNdArray> b = general.getWeights();
        for (int i = 0; i < a.size(); i++) {
          assertArrayEquals(flat(b.get(i)), flat(a.get(i)), 1e-5f, fused.weightNames().get(i));
        }
        assertArrayEquals(flat(general.predict(rows)), flat(fused.predict(images)), 1e-5f);
      }
    }
  }

  @Test
  void centerAndScaleAreOptional() {
    try (Sequential model = new Sequential(Input.of(3),
        BatchNormalization.of().center(false).scale(false))) {
      assertEquals(List.of("batch_normalization/moving_mean",
          "batch_normalization/moving_variance"), model.weightNames());
      // Moving statistics are not trained: no trainable parameters.
      assertTrue(model.summaryString().contains("Trainable params: 0"), model.summaryString());
      assertTrue(model.summaryString().contains("Non-trainable params: 6"),
          model.summaryString());
    }
  }

  @Test
  void invalidSettingsFailNamingTheValue() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> BatchNormalization.of().momentum(1.0));
    assertEquals("BatchNormalization: momentum must be in [0.0, 1.0); got 1.0.", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> BatchNormalization.of().name("bn").epsilon(0));
    assertEquals("BatchNormalization 'bn': epsilon must be a finite number > 0; got 0.0.",
        e.getMessage());
  }

  @Test
  void toStringShowsNonDefaultSettings() {
    assertEquals("BatchNormalization()", BatchNormalization.of().toString());
    assertEquals("BatchNormalization(momentum=0.9, center=false)",
        BatchNormalization.of().momentum(0.9).center(false).toString());
  }
}
