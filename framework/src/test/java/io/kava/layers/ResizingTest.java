package io.kava.layers;

import static io.kava.TestArrays.array;
import static io.kava.TestArrays.shape;
import static io.kava.TestArrays.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kava.Sequential;
import io.kava.saving.Config;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.FloatNdArray;

class ResizingTest extends LayerContract {

  @Override
  List<ShapeCase> shapeCases() {
    return List.of(
        ShapeCase.of(Resizing.of(4, 4), shape(2, 2, 3), 4, 4, 3),
        ShapeCase.of(Resizing.of(3, 5).interpolation(Interpolation.NEAREST), shape(6, 6, 1), 3,
            5, 1),
        ShapeCase.of(Resizing.of(2, 2).cropToAspectRatio(true), shape(4, 6, 2), 2, 2, 2));
  }

  @Override
  List<String> expectedWeightNames() {
    return List.of();
  }

  /** Between two convolutions, upsampling 3x4 to 5x6: gradients flow back through it. */
  @Override
  GradientCase gradientCase() {
    Sequential model = new Sequential(Input.of(3, 4, 1), Conv2D.of(2, 1), Resizing.of(5, 6),
        Conv2D.of(1, 2), Flatten.of(), Dense.of(1)).seed(5);
    return GradientCase.of(model, uniform(1, -1, 1, 3, 3, 4, 1), uniform(2, -1, 1, 3, 1));
  }

  @Test
  void bilinearUsesHalfPixelCentersAsTfImageResize() {
    // [[0, 1], [2, 3]] to 4x4: each axis samples 0, 0.25, 0.75, 1 of the way (edges held), so
    // out(i, j) = 2 * f(i) + f(j).
    float[] f = {0, 0.25f, 0.75f, 1};
    float[] expected = new float[16];
    for (int i = 0; i < 4; i++) {
      for (int j = 0; j < 4; j++) {
        expected[4 * i + j] = 2 * f[i] + f[j];
      }
    }
    assertValues(shape(1, 4, 4, 1), expected,
        predict(Resizing.of(4, 4), array(shape(1, 2, 2, 1), 0, 1, 2, 3)));
  }

  @Test
  void nearestPicksTheCentredSourcePixel() {
    // 4 -> 2 samples at (d + 0.5) * 2 = 1 and 3; 2 -> 4 repeats each pixel twice.
    FloatNdArray ramp = array(shape(1, 4, 4, 1), 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13,
        14, 15);
    assertValues(shape(1, 2, 2, 1), new float[] {5, 7, 13, 15},
        predict(Resizing.of(2, 2).interpolation(Interpolation.NEAREST), ramp));
    assertValues(shape(1, 1, 4, 1), new float[] {1, 1, 2, 2},
        predict(Resizing.of(1, 4).interpolation(Interpolation.NEAREST),
            array(shape(1, 1, 2, 1), 1, 2)));
  }

  @Test
  void cropToAspectRatioCutsTheCentredWindowFirst() {
    // 4x6 image x(r, c) = 6r + c to 2x2: the centred 4x4 window is columns 1..4; bilinear
    // halving then averages each 2x2 block of it.
    float[] v = new float[24];
    for (int k = 0; k < 24; k++) {
      v[k] = k;
    }
    assertValues(shape(1, 2, 2, 1), new float[] {4.5f, 6.5f, 16.5f, 18.5f},
        predict(Resizing.of(2, 2).cropToAspectRatio(true), array(shape(1, 4, 6, 1), v)));
    // Keras's box arithmetic (float32, rounded down): 5x7 to 3x2 keeps 5 rows and
    // floor(5 * 2 / 3) = 3 columns from column 2; to 2x5, floor(7 * 2 / 5) = 2 rows from row
    // floor(1.5) = 1 and all 7 columns.
    assertArrayEquals(new int[] {0, 2, 5, 3}, Resizing.of(3, 2).cropBox(5, 7));
    assertArrayEquals(new int[] {1, 0, 2, 7}, Resizing.of(2, 5).cropBox(5, 7));
  }

  @Test
  void badSettingsFailNamingTheValue() {
    var e = assertThrows(IllegalArgumentException.class, () -> Resizing.of(0, 4));
    assertEquals("Resizing: height must be > 0; got 0.", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Resizing.of(4, -2));
    assertEquals("Resizing: width must be > 0; got -2.", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Resizing.of(4, 4).name("rs").interpolation(null));
    assertEquals("Resizing 'rs': interpolation must be non-null; got null.", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new Sequential(Input.of(16), Resizing.of(4, 4)));
    assertEquals("Resizing: input must have rank 3 (height, width, channels) per sample; got"
        + " shape (16,). Images are NHWC: use Input.of(h, w, c).", e.getMessage());
  }

  @Test
  void configRefusesWhatKavaDoesNotImplement() {
    assertEquals("Resizing(height=8, width=6, interpolation=nearest)", Resizing.fromConfig(
        Config.of(Map.of("height", 8, "width", 6, "interpolation", "nearest",
            "pad_to_aspect_ratio", false))).toString());
    var e = assertThrows(IllegalArgumentException.class, () -> Resizing.fromConfig(
        Config.of(Map.of("height", 8, "width", 6, "antialias", true))));
    assertEquals("Resizing: config antialias must be false (not supported by Kava); got true.",
        e.getMessage());
  }

  @Test
  void toStringShowsNonDefaultSettings() {
    assertEquals("Resizing(height=224, width=224)", Resizing.of(224, 224).toString());
    assertEquals("Resizing(height=96, width=96, interpolation=nearest, crop_to_aspect_ratio=true,"
        + " name=rs)", Resizing.of(96, 96).interpolation(Interpolation.NEAREST)
        .cropToAspectRatio(true).name("rs").toString());
  }
}
