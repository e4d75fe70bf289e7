package io.kava.layers;

import static io.kava.TestArrays.array;
import static io.kava.TestArrays.flat;
import static io.kava.TestArrays.shape;
import static io.kava.TestArrays.uniform;
import static io.kava.TestArrays.vector;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kava.Sequential;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.Shape;

class Conv2DTest extends LayerContract {

  /** The 3x3 image 1..9, one channel. */
  private static final FloatNdArray IMAGE = array(shape(1, 3, 3, 1), 1, 2, 3, 4, 5, 6, 7, 8, 9);
  /** The 2x2 kernel [[1, 2], [3, 4]], one input channel, one filter. */
  private static final FloatNdArray KERNEL = array(shape(2, 2, 1, 1), 1, 2, 3, 4);

  @Override
  List<ShapeCase> shapeCases() {
    return List.of(
        ShapeCase.of(Conv2D.of(2, 3), shape(5, 5, 1), 3, 3, 2),
        ShapeCase.of(Conv2D.of(2, 3).padding(Padding.SAME), shape(5, 5, 1), 5, 5, 2),
        ShapeCase.of(Conv2D.of(2, 3).strides(2), shape(5, 5, 1), 2, 2, 2),
        ShapeCase.of(Conv2D.of(2, 3).strides(2).padding(Padding.SAME), shape(5, 5, 1), 3, 3, 2),
        ShapeCase.of(Conv2D.of(4, 2, 3), shape(4, 6, 3), 3, 4, 4),
        ShapeCase.of(Conv2D.of(1, 3).strides(2, 1), shape(6, 6, 2), 2, 4, 1),
        ShapeCase.of(Conv2D.of(32, 3).activation(Activation.RELU), shape(28, 28, 1), 26, 26,
            32));
  }

  @Override
  List<String> expectedWeightNames() {
    return List.of("conv2d/kernel", "conv2d/bias");
  }

  @Override
  GradientCase gradientCase() {
    // Strided SAME convolution over two channels, tanh, then a linear head to one output.
    Sequential model = new Sequential(Input.of(5, 5, 2),
        Conv2D.of(2, 3).strides(2).padding(Padding.SAME).activation(Activation.TANH),
        Flatten.of(), Dense.of(1)).seed(7);
    return GradientCase.of(model, uniform(1, -1, 1, 3, 5, 5, 2), uniform(2, -1, 1, 3, 1));
  }

  @Test
  void validConvolutionOfA3x3ImageByHand() {
    // out(0,0) = 1*1 + 2*2 + 4*3 + 5*4 = 37, then 47, 67, 77; plus the bias 0.5
    assertValues(shape(1, 2, 2, 1), new float[] {37.5f, 47.5f, 67.5f, 77.5f},
        predict(Conv2D.of(1, 2), IMAGE, KERNEL, vector(0.5f)));
  }

  @Test
  void samePaddingPadsBottomAndRightWithZeros() {
    // TF pads a 2x2 kernel by one row below and one column right of a 3x3 image.
    // out(0,2) = 3*1 + 6*3 = 21, out(1,2) = 6*1 + 9*3 = 33, out(2,0) = 7*1 + 8*2 = 23,
    // out(2,1) = 8*1 + 9*2 = 26, out(2,2) = 9*1.
    assertValues(shape(1, 3, 3, 1), new float[] {37, 47, 21, 67, 77, 33, 23, 26, 9},
        predict(Conv2D.of(1, 2).padding(Padding.SAME).useBias(false), IMAGE, KERNEL));
  }

  @Test
  void stridesSkipPositions() {
    FloatNdArray image = array(shape(1, 4, 4, 1), 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13,
        14, 15);
    // 2x2 windows at (0,0), (0,2), (2,0), (2,2) of 0..15 with kernel [[1, 2], [3, 4]].
    // (0,0): 0 + 2 + 12 + 20 = 34; (0,2): 2 + 6 + 18 + 28 = 54; (2,0): 8 + 18 + 36 + 52 = 114;
    // (2,2): 10 + 22 + 42 + 60 = 134
    assertValues(shape(1, 2, 2, 1), new float[] {34, 54, 114, 134},
        predict(Conv2D.of(1, 2).strides(2).useBias(false), image, KERNEL));
  }

  @Test
  void mixesChannelsLikeAReferenceConvolution() {
    // Two samples, three input channels, two filters, strided SAME: against a plain loop.
    FloatNdArray x = uniform(4, -1, 1, 2, 5, 4, 3);
    FloatNdArray kernel = uniform(5, -1, 1, 3, 2, 3, 2);
    FloatNdArray bias = vector(0.25f, -0.5f);
    for (Padding padding : Padding.values()) {
      FloatNdArray out = predict(Conv2D.of(2, 3, 2).strides(2, 1).padding(padding), x, kernel,
          bias);
      float[] expected = reference(x, kernel, bias, 2, 1, padding);
      assertEquals(expected.length, out.shape().size(), padding.toString());
      assertArrayEquals(expected, flat(out), 1e-5f, padding.toString());
    }
  }

  /** NHWC cross-correlation as TensorFlow defines it (SAME pads more after than before). */
  private static float[] reference(FloatNdArray x, FloatNdArray kernel, FloatNdArray bias,
      int sh, int sw, Padding padding) {
    long[] xs = x.shape().asArray();
    long[] ks = kernel.shape().asArray();
    int n = (int) xs[0];
    int h = (int) xs[1];
    int w = (int) xs[2];
    int c = (int) xs[3];
    int kh = (int) ks[0];
    int kw = (int) ks[1];
    int f = (int) ks[3];
    int oh = padding == Padding.SAME ? (h + sh - 1) / sh : (h - kh) / sh + 1;
    int ow = padding == Padding.SAME ? (w + sw - 1) / sw : (w - kw) / sw + 1;
    int top = padding == Padding.SAME ? Math.max((oh - 1) * sh + kh - h, 0) / 2 : 0;
    int left = padding == Padding.SAME ? Math.max((ow - 1) * sw + kw - w, 0) / 2 : 0;
    float[] out = new float[n * oh * ow * f];
    int at = 0;
    for (int b = 0; b < n; b++) {
      for (int i = 0; i < oh; i++) {
        for (int j = 0; j < ow; j++) {
          for (int o = 0; o < f; o++) {
            double sum = bias.getFloat(o);
            for (int di = 0; di < kh; di++) {
              for (int dj = 0; dj < kw; dj++) {
                int r = i * sh + di - top;
                int s = j * sw + dj - left;
                if (r < 0 || r >= h || s < 0 || s >= w) {
                  continue;
                }
                for (int ch = 0; ch < c; ch++) {
                  sum += x.getFloat(b, r, s, ch) * kernel.getFloat(di, dj, ch, o);
                }
              }
            }
            out[at++] = (float) sum;
          }
        }
      }
    }
    return out;
  }

  @Test
  void kernelSizeMustBePositive() {
    var e = assertThrows(IllegalArgumentException.class, () -> Conv2D.of(32, 0));
    assertTrue(e.getMessage().contains("Conv2D"), e.getMessage());
    assertTrue(e.getMessage().contains("kernel size must be > 0; got 0"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Conv2D.of(0, 3));
    assertEquals("Conv2D: filters must be > 0; got 0.", e.getMessage());
  }

  @Test
  void stridesMustBePositive() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> Conv2D.of(8, 3).name("conv1").strides(0));
    assertEquals("Conv2D 'conv1': strides must be > 0; got [0, 0].", e.getMessage());
  }

  @Test
  void kernelBiggerThanTheInputFailsUnlessSame() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> new Sequential(Input.of(4, 4, 1), Conv2D.of(1, 5)));
    assertTrue(e.getMessage().startsWith("Conv2D: window 5x5 must fit in the input; got input"
        + " (4, 4, 1) with padding valid."), e.getMessage());
    try (Sequential same = new Sequential(Input.of(4, 4, 1),
        Conv2D.of(1, 5).padding(Padding.SAME))) {
      assertEquals(Shape.of(4, 4, 1), same.outputShape());
    }
  }

  @Test
  void inputMustBeAnImage() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> new Sequential(Input.of(28, 28), Conv2D.of(8, 3)));
    assertTrue(e.getMessage().startsWith("Conv2D: input must have rank 3 (height, width,"
        + " channels) per sample; got shape (28, 28)."), e.getMessage());
  }

  @Test
  void inputChannelsAreInferred() {
    try (Sequential model = new Sequential(Input.of(8, 8, 3), Conv2D.of(16, 3), Conv2D.of(4, 1))) {
      assertEquals(List.of("conv2d/kernel", "conv2d/bias", "conv2d_1/kernel", "conv2d_1/bias"),
          model.weightNames());
      assertEquals(Shape.of(3, 3, 3, 16),
          model.getWeights().get(0).shape());
      assertEquals(Shape.of(1, 1, 16, 4),
          model.getWeights().get(2).shape());
    }
  }

  @Test
  void toStringShowsKernelAndStrides() {
    assertEquals("Conv2D(filters=32, kernel_size=(3, 3), strides=(1, 1), activation=relu)",
        Conv2D.of(32, 3).activation(Activation.RELU).toString());
    assertEquals("Conv2D(filters=96, kernel_size=(11, 11), strides=(4, 4), padding=same)",
        Conv2D.of(96, 11).strides(4).padding(Padding.SAME).toString());
  }
}
