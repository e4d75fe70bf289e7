package io.kava;

import static io.kava.TestArrays.flat;
import static io.kava.TestArrays.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.Shape;

/**
 * Every Keras layer the importer maps, in one Keras 2 functional config, and its weights
 * through both weights layouts.
 */
class KerasLayersTest {
  @TempDir
  Path dir;

  static String layer(String cls, String name, String config, String... inbound) {
    StringBuilder in = new StringBuilder();
    for (String i : inbound) {
      in.append(in.length() == 0 ? "" : ", ").append("[\"").append(i).append("\", 0, 0, {}]");
    }
    return "{\"class_name\": \"" + cls + "\", \"name\": \"" + name + "\", \"config\": {\"name\": \""
        + name + "\", \"trainable\": true, \"dtype\": \"float32\""
        + (config.isEmpty() ? "" : ", " + config) + "}, \"inbound_nodes\": ["
        + (inbound.length == 0 ? "" : "[" + in + "]") + "]}";
  }

  static final String CONFIG = "{\"class_name\": \"Functional\", \"config\": {\"name\": \"all\","
      + " \"layers\": ["
      + layer("InputLayer", "img", "\"batch_input_shape\": [null, 8, 8, 3]") + ", "
      + layer("Rescaling", "scale", "\"scale\": 0.5, \"offset\": -1.0", "img") + ", "
      + layer("ZeroPadding2D", "pad", "\"padding\": [[1, 1], [1, 1]],"
          + " \"data_format\": \"channels_last\"", "scale") + ", "
      + layer("Conv2D", "conv", "\"filters\": 4, \"kernel_size\": [3, 3], \"strides\": [1, 1],"
          + " \"padding\": \"valid\", \"data_format\": \"channels_last\", \"dilation_rate\":"
          + " [1, 1], \"groups\": 1, \"activation\": \"relu\", \"use_bias\": true", "pad") + ", "
      + layer("DepthwiseConv2D", "dw", "\"kernel_size\": [3, 3], \"strides\": [1, 1],"
          + " \"padding\": \"same\", \"depth_multiplier\": 2, \"activation\": \"linear\","
          + " \"use_bias\": true, \"dilation_rate\": [1, 1]", "conv") + ", "
      + layer("SeparableConv2D", "sep", "\"filters\": 5, \"kernel_size\": [3, 3], \"strides\":"
          + " [1, 1], \"padding\": \"same\", \"depth_multiplier\": 1, \"activation\": \"elu\","
          + " \"use_bias\": true", "dw") + ", "
      + layer("BatchNormalization", "bn", "\"axis\": [3], \"momentum\": 0.9, \"epsilon\": 0.01,"
          + " \"center\": true, \"scale\": false", "sep") + ", "
      + layer("ReLU", "relu6", "\"max_value\": 6.0, \"negative_slope\": 0.0, \"threshold\":"
          + " 0.0", "bn") + ", "
      + layer("MaxPooling2D", "maxp", "\"pool_size\": [2, 2], \"padding\": \"valid\","
          + " \"strides\": null", "relu6") + ", "
      + layer("AveragePooling2D", "avgp", "\"pool_size\": [2, 2], \"padding\": \"same\","
          + " \"strides\": [1, 1]", "relu6") + ", "
      + layer("Resizing", "resize", "\"height\": 4, \"width\": 4, \"interpolation\":"
          + " \"bilinear\", \"crop_to_aspect_ratio\": false", "avgp") + ", "
      + layer("Add", "add", "", "maxp", "resize") + ", "
      + layer("Subtract", "sub", "", "add", "maxp") + ", "
      + layer("Multiply", "mul", "", "sub", "resize") + ", "
      + layer("LayerNormalization", "ln", "\"axis\": [3], \"epsilon\": 0.001, \"center\": true,"
          + " \"scale\": true", "mul") + ", "
      + layer("GlobalAveragePooling2D", "gap", "\"data_format\": \"channels_last\","
          + " \"keepdims\": false", "ln") + ", "
      + layer("GlobalMaxPooling2D", "gmp", "\"data_format\": \"channels_last\"", "ln") + ", "
      + layer("Concatenate", "cat", "\"axis\": -1", "gap", "gmp") + ", "
      + layer("Reshape", "reshape", "\"target_shape\": [2, 5]", "cat") + ", "
      + layer("Flatten", "flat", "\"data_format\": \"channels_last\"", "reshape") + ", "
      + layer("Dropout", "drop", "\"rate\": 0.5, \"noise_shape\": null, \"seed\": null", "flat")
      + ", "
      + layer("Dense", "dense", "\"units\": 3, \"activation\": \"linear\", \"use_bias\": false,"
          + " \"kernel_initializer\": {\"class_name\": \"VarianceScaling\", \"config\":"
          + " {\"scale\": 2.0, \"mode\": \"fan_in\", \"distribution\": \"truncated_normal\"}}",
          "drop") + ", "
      + layer("LeakyReLU", "leaky", "\"alpha\": 0.3", "dense") + ", "
      + layer("Activation", "act", "\"activation\": \"tanh\"", "leaky") + ", "
      + layer("Softmax", "soft", "\"axis\": -1", "act")
      + "], \"input_layers\": [[\"img\", 0, 0]], \"output_layers\": [[\"soft\", 0, 0]]},"
      + " \"keras_version\": \"2.15.0\", \"backend\": \"tensorflow\"}";

  static final List<String> WEIGHTS = List.of("conv/kernel", "conv/bias",
      "dw/depthwise_kernel", "dw/bias", "sep/depthwise_kernel", "sep/pointwise_kernel",
      "sep/bias", "bn/beta", "bn/moving_mean", "bn/moving_variance", "ln/gamma", "ln/beta",
      "dense/kernel");

  @Test
  void everyMappedLayerImportsWithKerasShapesAndWeightNames() {
    try (Model m = Model.fromKerasJson(CONFIG)) {
      assertEquals(WEIGHTS, m.weightNames());
      assertEquals(Shape.of(3), m.topology().outputShape(0));
      Map<String, String> types = new LinkedHashMap<>();
      for (int i = 0; i < m.topology().layers().size(); i++) {
        types.put(m.topology().layerNames().get(i), m.topology().layers().get(i).type());
      }
      assertEquals("{scale=Rescaling, pad=ZeroPadding2D, conv=Conv2D, dw=DepthwiseConv2D,"
          + " sep=SeparableConv2D, bn=BatchNormalization, relu6=ReLU, maxp=MaxPooling2D,"
          + " avgp=AveragePooling2D, resize=Resizing, add=Add, sub=Subtract, mul=Multiply,"
          + " ln=LayerNormalization, gap=GlobalAveragePooling2D, gmp=GlobalMaxPooling2D,"
          + " cat=Concatenate, reshape=Reshape, flat=Flatten, drop=Dropout, dense=Dense,"
          + " leaky=ReLU, act=Activation, soft=Activation}", types.toString());
      // conv 3*3*3*4+4, dw 3*3*4*2+8, sep 3*3*8*1 + 8*5 + 5, bn 3*5, ln 2*5, dense 10*3
      assertEquals(112 + 80 + 117 + 15 + 10 + 30, m.countParams());
    }
  }

  /** Random weights in Kava's order, for a model of {@link #CONFIG}. */
  private static List<FloatNdArray> randomWeights(Model m) {
    List<FloatNdArray> w = new ArrayList<>();
    long seed = 1;
    for (FloatNdArray a : m.getWeights()) {
      w.add(uniform(seed++, 0.1, 1.0, a.shape().asArray()));
    }
    return w;
  }

  @Test
  void keras2WeightsMatchByNameInAnyOrder() {
    List<FloatNdArray> values;
    try (Model source = Model.fromKerasJson(CONFIG)) {
      values = randomWeights(source);
    }
    // Keras 2 layout, each layer's weights listed in reverse to prove matching by name.
    Path k2 = dir.resolve("k2.h5");
    try (WritableHdfFile f = HdfFile.write(k2)) {
      Map<String, List<Integer>> byLayer = new LinkedHashMap<>();
      for (int i = 0; i < WEIGHTS.size(); i++) {
        byLayer.computeIfAbsent(WEIGHTS.get(i).split("/")[0], k -> new ArrayList<>()).add(i);
      }
      f.putAttribute("layer_names", byLayer.keySet().toArray(new String[0]));
      f.putAttribute("backend", "tensorflow");
      byLayer.forEach((layer, idx) -> {
        WritableGroup g = f.putGroup(layer);
        WritableGroup inner = g.putGroup(layer);
        List<String> names = new ArrayList<>();
        for (int j = idx.size() - 1; j >= 0; j--) {
          String w = WEIGHTS.get(idx.get(j)).split("/")[1];
          names.add(layer + "/" + w + ":0");
          inner.putDataset(w + ":0", values.get(idx.get(j)).shape().numDimensions() == 1
              ? flat(values.get(idx.get(j))) : nested(values.get(idx.get(j))));
        }
        g.putAttribute("weight_names", names.toArray(new String[0]));
      });
    }
    try (Model m = Model.fromKerasJson(CONFIG)) {
      m.loadKerasWeights(k2);
      for (int i = 0; i < values.size(); i++) {
        assertArrayEquals(flat(values.get(i)), flat(m.getWeights().get(i)), WEIGHTS.get(i));
      }
    }
  }

  @Test
  void keras3WeightsFollowKerasClassPathsInLayerOrder() {
    List<FloatNdArray> values;
    try (Model source = Model.fromKerasJson(CONFIG)) {
      values = randomWeights(source);
    }
    Path k3 = dir.resolve("k3.weights.h5");
    try (WritableHdfFile f = HdfFile.write(k3)) {
      WritableGroup layers = f.putGroup("layers");
      String[] paths = {"conv2d", "depthwise_conv2d", "separable_conv2d", "batch_normalization",
          "layer_normalization", "dense"};
      int[] counts = {2, 2, 3, 3, 2, 1};
      int w = 0;
      for (int p = 0; p < paths.length; p++) {
        WritableGroup vars = layers.putGroup(paths[p]).putGroup("vars");
        for (int j = 0; j < counts[p]; j++, w++) {
          vars.putDataset(Integer.toString(j), values.get(w).shape().numDimensions() == 1
              ? flat(values.get(w)) : nested(values.get(w)));
        }
      }
    }
    try (Model m = Model.fromKerasJson(CONFIG)) {
      m.loadKerasWeights(k3);
      for (int i = 0; i < values.size(); i++) {
        assertArrayEquals(flat(values.get(i)), flat(m.getWeights().get(i)), WEIGHTS.get(i));
      }
    }
  }

  /** A rank 2 to 4 array as nested Java arrays, which jHDF writes with their shape. */
  private static Object nested(FloatNdArray a) {
    float[] f = flat(a);
    long[] s = a.shape().asArray();
    return switch (s.length) {
      case 2 -> {
        float[][] o = new float[(int) s[0]][(int) s[1]];
        for (int i = 0; i < f.length; i++) {
          o[i / (int) s[1]][i % (int) s[1]] = f[i];
        }
        yield o;
      }
      case 4 -> {
        float[][][][] o = new float[(int) s[0]][(int) s[1]][(int) s[2]][(int) s[3]];
        int n = 0;
        for (float[][][] x : o) {
          for (float[][] y : x) {
            for (float[] z : y) {
              for (int k = 0; k < z.length; k++) {
                z[k] = f[n++];
              }
            }
          }
        }
        yield o;
      }
      default -> throw new IllegalArgumentException("rank " + s.length);
    };
  }

  @Test
  void kerasSnakeCaseNamesOfWeightedLayers() {
    assertEquals("conv2d", KerasWeights.snakeCase("Conv2D"));
    assertEquals("batch_normalization", KerasWeights.snakeCase("BatchNormalization"));
    assertEquals("depthwise_conv2d", KerasWeights.snakeCase("DepthwiseConv2D"));
    assertEquals("separable_conv2d", KerasWeights.snakeCase("SeparableConv2D"));
    assertEquals("layer_normalization", KerasWeights.snakeCase("LayerNormalization"));
    assertEquals("re_lu", KerasWeights.snakeCase("ReLU"));
  }
}
