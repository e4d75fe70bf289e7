package io.kava.layers;

import static io.kava.TestArrays.array;
import static io.kava.TestArrays.flat;
import static io.kava.TestArrays.shape;
import static io.kava.TestArrays.uniform;
import static io.kava.TestArrays.vector;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kava.Sequential;
import io.kava.saving.Config;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.Shape;

class DepthwiseConv2DTest extends LayerContract {

  @Override
  List<ShapeCase> shapeCases() {
    return List.of(
        ShapeCase.of(DepthwiseConv2D.of(3), shape(5, 5, 2), 3, 3, 2),
        ShapeCase.of(DepthwiseConv2D.of(3).padding(Padding.SAME), shape(5, 5, 2), 5, 5, 2),
        ShapeCase.of(DepthwiseConv2D.of(3).strides(2).padding(Padding.SAME), shape(7, 6, 1), 4,
            3, 1),
        ShapeCase.of(DepthwiseConv2D.of(2).depthMultiplier(2), shape(4, 4, 3), 3, 3, 6),
        ShapeCase.of(DepthwiseConv2D.of(2, 3).useBias(false), shape(4, 6, 2), 3, 4, 2));
  }

  @Override
  List<String> expectedWeightNames() {
    return List.of("depthwise_conv2d/depthwise_kernel", "depthwise_conv2d/bias");
  }

  /** Between a 1x1 convolution and a dense head: strided, SAME, two filters per channel. */
  @Override
  GradientCase gradientCase() {
    Sequential model = new Sequential(Input.of(5, 5, 2), Conv2D.of(2, 1),
        DepthwiseConv2D.of(3).strides(2).padding(Padding.SAME).depthMultiplier(2)
            .activation(Activation.TANH), Flatten.of(), Dense.of(1)).seed(7);
    return GradientCase.of(model, uniform(1, -1, 1, 3, 5, 5, 2), uniform(2, -1, 1, 3, 1));
  }

  @Test
  void eachChannelHasItsOwnKernel() {
    // Channel 0 is 1..9, channel 1 ten times that. Kernel of channel 0: [[1, 2], [3, 4]]
    // (37, 47, 67, 77 as in Conv2DTest); of channel 1: [[1, 0], [0, -1]], x(i,j) - x(i+1,j+1)
    // = -40 everywhere. Biases 0.5 and -1.
    float[] x = new float[18];
    for (int k = 0; k < 9; k++) {
      x[2 * k] = k + 1;
      x[2 * k + 1] = 10 * (k + 1);
    }
    FloatNdArray kernel = array(shape(2, 2, 2, 1), 1, 1, 2, 0, 3, 0, 4, -1);
    assertValues(shape(1, 2, 2, 2), new float[] {37.5f, -41, 47.5f, -41, 67.5f, -41, 77.5f, -41},
        predict(DepthwiseConv2D.of(2), array(shape(1, 3, 3, 2), x), kernel, vector(0.5f, -1)));
  }

  @Test
  void matchesAReferenceLoopWithAMultiplier() {
    FloatNdArray x = uniform(4, -1, 1, 2, 5, 4, 3);
    FloatNdArray kernel = uniform(5, -1, 1, 3, 2, 3, 2);
    FloatNdArray bias = uniform(6, -1, 1, 6);
    for (Padding padding : Padding.values()) {
      FloatNdArray out = predict(DepthwiseConv2D.of(3, 2).strides(2, 1).padding(padding)
          .depthMultiplier(2), x, kernel, bias);
      float[] expected = reference(x, kernel, bias, 2, 1, padding);
      assertEquals(expected.length, out.shape().size(), padding.toString());
      assertArrayEquals(expected, flat(out), 1e-5f, padding.toString());
    }
  }

  /** TensorFlow's depthwise convolution: output channel {@code c * m + j}. */
  static float[] reference(FloatNdArray x, FloatNdArray kernel, FloatNdArray bias, int sh,
      int sw, Padding padding) {
    long[] xs = x.shape().asArray();
    long[] ks = kernel.shape().asArray();
    int n = (int) xs[0];
    int h = (int) xs[1];
    int w = (int) xs[2];
    int c = (int) xs[3];
    int kh = (int) ks[0];
    int kw = (int) ks[1];
    int m = (int) ks[3];
    int oh = padding == Padding.SAME ? (h + sh - 1) / sh : (h - kh) / sh + 1;
    int ow = padding == Padding.SAME ? (w + sw - 1) / sw : (w - kw) / sw + 1;
    int top = padding == Padding.SAME ? Math.max((oh - 1) * sh + kh - h, 0) / 2 : 0;
    int left = padding == Padding.SAME ? Math.max((ow - 1) * sw + kw - w, 0) / 2 : 0;
    float[] out = new float[n * oh * ow * c * m];
    int at = 0;
    for (int b = 0; b < n; b++) {
      for (int i = 0; i < oh; i++) {
        for (int j = 0; j < ow; j++) {
          for (int ch = 0; ch < c; ch++) {
            for (int f = 0; f < m; f++) {
              double sum = bias == null ? 0 : bias.getFloat(ch * m + f);
              for (int di = 0; di < kh; di++) {
                for (int dj = 0; dj < kw; dj++) {
                  int r = i * sh + di - top;
                  int s = j * sw + dj - left;
                  if (r >= 0 && r < h && s >= 0 && s < w) {
                    sum += x.getFloat(b, r, s, ch) * kernel.getFloat(di, dj, ch, f);
                  }
                }
              }
              out[at++] = (float) sum;
            }
          }
        }
      }
    }
    return out;
  }

  @Test
  void paramsAreKernelPerChannelPlusBias() {
    // MobileNet's first depthwise layer: 3x3 over 32 channels.
    try (Sequential model = new Sequential(Input.of(112, 112, 32),
        DepthwiseConv2D.of(3).padding(Padding.SAME))) {
      assertEquals(3 * 3 * 32 + 32, model.countParams());
      assertEquals(Shape.of(3, 3, 32, 1), model.getWeights().get(0).shape());
    }
  }

  @Test
  void badSettingsFailNamingTheValue() {
    var e = assertThrows(IllegalArgumentException.class, () -> DepthwiseConv2D.of(0));
    assertEquals("DepthwiseConv2D: kernel size must be > 0; got 0.", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> DepthwiseConv2D.of(3).name("dw").depthMultiplier(0));
    assertEquals("DepthwiseConv2D 'dw': depth multiplier must be > 0; got 0.", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> DepthwiseConv2D.of(3).strides(0, 1));
    assertEquals("DepthwiseConv2D: strides must be > 0; got [0, 1].", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new Sequential(Input.of(2, 2, 4), DepthwiseConv2D.of(3)));
    assertEquals("DepthwiseConv2D: window 3x3 must fit in the input; got input (2, 2, 4) with"
        + " padding valid. Use Padding.SAME or a smaller window.", e.getMessage());
  }

  @Test
  void configHasKerasKeysAndRefusesRegularizers() {
    Config c = DepthwiseConv2D.of(3).strides(2).depthMultiplier(2).config();
    assertEquals(List.of("kernel_size", "strides", "padding", "depth_multiplier", "activation",
        "use_bias", "depthwise_initializer", "bias_initializer"), List.copyOf(c.asMap().keySet()));
    var e = assertThrows(IllegalArgumentException.class, () -> DepthwiseConv2D.fromConfig(
        Config.of(Map.of("kernel_size", List.of(3, 3), "depthwise_regularizer",
            Map.of("l2", 0.01)))));
    assertEquals("DepthwiseConv2D: config depthwise_regularizer must be null (not supported by"
        + " Kava's DepthwiseConv2D); got {l2=0.01}.", e.getMessage());
  }

  @Test
  void toStringShowsNonDefaultSettings() {
    assertEquals("DepthwiseConv2D(kernel_size=(3, 3), strides=(1, 1), padding=same)",
        DepthwiseConv2D.of(3).padding(Padding.SAME).toString());
    assertEquals("DepthwiseConv2D(kernel_size=(3, 3), strides=(2, 2), depth_multiplier=2,"
        + " activation=relu, use_bias=false, name=dw)", DepthwiseConv2D.of(3).strides(2)
        .depthMultiplier(2).activation(Activation.RELU).useBias(false).name("dw").toString());
  }
}
