package io.kava.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kava.Batch;
import io.kava.BatchIterator;
import io.kava.Sequential;
import io.kava.layers.Dense;
import io.kava.layers.Flatten;
import io.kava.layers.Initializer;
import io.kava.layers.Input;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;

class CropsTest {

  /** One 4x4 grey image whose pixel (y, x) holds 10 * y + x. */
  static FloatNdArray grid(int n) {
    FloatNdArray a = NdArrays.ofFloats(Shape.of(n, 4, 4, 1));
    for (int i = 0; i < n; i++) {
      for (int y = 0; y < 4; y++) {
        for (int x = 0; x < 4; x++) {
          a.setFloat(10 * y + x + 100 * i, i, y, x, 0);
        }
      }
    }
    return a;
  }

  @Test
  void tenCropTakesCornersCentreAndMirrors() {
    FloatNdArray crops = Crops.tenCrop(grid(1), 2);
    assertEquals(Shape.of(10, 2, 2, 1), crops.shape());
    assertEquals(0f, crops.getFloat(0, 0, 0, 0));     // top-left
    assertEquals(2f, crops.getFloat(1, 0, 0, 0));     // top-right starts at x = 2
    assertEquals(20f, crops.getFloat(2, 0, 0, 0));    // bottom-left
    assertEquals(33f, crops.getFloat(3, 1, 1, 0));    // bottom-right corner pixel
    assertEquals(11f, crops.getFloat(4, 0, 0, 0));    // centre of 4x4 with 2x2: offset 1
    assertEquals(1f, crops.getFloat(5, 0, 0, 0));     // mirrored top-left: x = 1 first
    assertEquals(0f, crops.getFloat(5, 0, 1, 0));
  }

  @Test
  void predictTenCropAveragesTheModelsOutputs() {
    // A linear model summing the pixels: the mean over crops is checkable by hand.
    Sequential sum = new Sequential(Input.of(2, 2, 1), Flatten.of(),
        Dense.of(1).kernelInitializer(Initializer.ones()));
    FloatNdArray p = Crops.predictTenCrop(sum, grid(2), 2);
    // Crop sums: corners 22, 30, 102, 110, centre 66; mirrored the same: mean 66.
    assertEquals(66f, p.getFloat(0, 0), 1e-4f);
    assertEquals(466f, p.getFloat(1, 0), 1e-4f);
  }

  @Test
  void predictTenCropClassesTakesTheArgmaxOfTheAveragedOutputs() {
    // Output 0 is the crop's pixel sum, output 1 a constant 300: image 0 (mean sum 66) is
    // class 1, image 1 (mean sum 466) class 0.
    Sequential m = new Sequential(Input.of(2, 2, 1), Flatten.of(), Dense.of(2));
    FloatNdArray kernel = NdArrays.ofFloats(Shape.of(4, 2));
    for (int i = 0; i < 4; i++) {
      kernel.setFloat(1f, i, 0);
    }
    FloatNdArray bias = NdArrays.vectorOf(0f, 300f);
    m.setWeights(java.util.List.of(kernel, bias));
    assertArrayEquals(new int[] {1, 0}, Crops.predictTenCropClasses(m, grid(2), 2));
  }

  @Test
  void meanImageAndSubtract() {
    FloatNdArray mean = Crops.meanImage(grid(2));
    assertEquals(Shape.of(4, 4, 1), mean.shape());
    assertEquals(50f + 12f, mean.getFloat(1, 2, 0));
    FloatNdArray centred = Crops.subtract(grid(2), mean);
    assertEquals(-50f, centred.getFloat(0, 1, 2, 0));
    assertEquals(50f, centred.getFloat(1, 1, 2, 0));
  }

  @Test
  void randomCropsStayInsideFlipSometimesAndAreReproducible() {
    FloatNdArray x = grid(64);
    BatchIterator source = new BatchIterator() {
      public int size() {
        return 1;
      }

      public Batch get(int i) {
        return new Batch(x, null);
      }
    };
    Batch a = Crops.random(source, 3, 7).get(0);
    Batch b = Crops.random(source, 3, 7).get(0);
    assertEquals(a.x(), b.x());
    assertEquals(Shape.of(64, 3, 3, 1), a.x().shape());
    int mirrored = 0;
    for (int i = 0; i < 64; i++) {
      float left = a.x().getFloat(i, 0, 0, 0);
      float right = a.x().getFloat(i, 0, 2, 0);
      assertEquals(2f, Math.abs(right - left), "a 3-wide crop of a row spans 2 columns");
      mirrored += right < left ? 1 : 0;
    }
    assertTrue(mirrored > 16 && mirrored < 48, "about half mirrored: " + mirrored);
    var it = Crops.random(source, 3, 7);
    Batch first = it.get(0);
    it.onEpochEnd();
    assertNotEquals(first.x(), it.get(0).x(), "a new epoch draws new crops");
    var e = assertThrows(IllegalArgumentException.class, () -> Crops.tenCrop(grid(1), 5));
    assertTrue(e.getMessage().contains("crop size must be in [1, 4]"), e.getMessage());
  }
}
