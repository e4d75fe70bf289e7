package io.kava;

import com.fasterxml.jackson.databind.JsonNode;
import io.kava.layers.Activation;
import io.kava.layers.Add;
import io.kava.layers.AveragePooling2D;
import io.kava.layers.BatchNormalization;
import io.kava.layers.Concatenate;
import io.kava.layers.Conv2D;
import io.kava.layers.Dense;
import io.kava.layers.DepthwiseConv2D;
import io.kava.layers.Dropout;
import io.kava.layers.Flatten;
import io.kava.layers.GlobalAveragePooling2D;
import io.kava.layers.GlobalMaxPooling2D;
import io.kava.layers.Layer;
import io.kava.layers.LayerNormalization;
import io.kava.layers.MaxPooling2D;
import io.kava.layers.Multiply;
import io.kava.layers.RandomFlip;
import io.kava.layers.RandomRotation;
import io.kava.layers.RandomTranslation;
import io.kava.layers.RandomZoom;
import io.kava.layers.ReLU;
import io.kava.layers.Rescaling;
import io.kava.layers.Reshape;
import io.kava.layers.Resizing;
import io.kava.layers.SeparableConv2D;
import io.kava.layers.Subtract;
import io.kava.layers.ZeroPadding2D;
import io.kava.saving.Config;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * One Keras layer config (Keras 1, 2 or 3 names) as the Kava layer that computes the same
 * thing. Settings Kava cannot reproduce throw {@link Unsupported}, which the importer collects
 * into one error for the whole model. Settings that only matter for training from scratch
 * (initializers Kava lacks, constraints, bias and activity regularizers) are not carried over:
 * an imported model starts from the file's weights.
 */
final class KerasLayers {
  private static final Map<String, Function<JsonNode, Made>> LAYERS = new TreeMap<>();
  private static final java.util.Set<String> FLOAT_POLICIES = java.util.Set.of("float32",
      "float16", "bfloat16", "float64", "mixed_float16", "mixed_bfloat16");

  static {
    LAYERS.put("Dense", c -> made(Dense.fromConfig(kernelOptions(c, Config.builder()
        .put("units", first(c, "units", "output_dim").asInt())))));
    LAYERS.put("Conv2D", KerasLayers::conv2d);
    LAYERS.put("Convolution2D", KerasLayers::conv2d);
    LAYERS.put("MaxPooling2D", c -> made(MaxPooling2D.fromConfig(pooling(c))));
    LAYERS.put("MaxPool2D", c -> made(MaxPooling2D.fromConfig(pooling(c))));
    LAYERS.put("AveragePooling2D", c -> made(AveragePooling2D.fromConfig(pooling(c))));
    LAYERS.put("AvgPool2D", c -> made(AveragePooling2D.fromConfig(pooling(c))));
    LAYERS.put("GlobalAveragePooling2D", c -> made(GlobalAveragePooling2D.fromConfig(
        Config.builder().put("keepdims", c.path("keepdims").asBoolean(false)).build())));
    LAYERS.put("GlobalMaxPooling2D", c -> made(GlobalMaxPooling2D.fromConfig(
        Config.builder().put("keepdims", c.path("keepdims").asBoolean(false)).build())));
    LAYERS.put("Flatten", c -> made(Flatten.fromConfig(Config.EMPTY)));
    LAYERS.put("Dropout", c -> made(Dropout.fromConfig(Config.builder()
        .put("rate", first(c, "rate", "p").asDouble()).build())));
    LAYERS.put("BatchNormalization", KerasLayers::batchNormalization);
    LAYERS.put("Activation", c -> made(activation(c.path("activation"))));
    LAYERS.put("ReLU", c -> made(ReLU.fromConfig(Config.builder()
        .put("max_value", c.path("max_value").isNumber() ? c.path("max_value").asDouble() : null)
        .put("negative_slope", c.path("negative_slope").asDouble(0))
        .put("threshold", c.path("threshold").asDouble(0)).build())));
    LAYERS.put("LeakyReLU", c -> made(ReLU.of().negativeSlope(
        first(c, "negative_slope", "alpha").asDouble(0.3))));
    LAYERS.put("Softmax", KerasLayers::softmax);
    LAYERS.put("Reshape", c -> made(Reshape.fromConfig(Config.builder()
        .put("target_shape", longs(c.path("target_shape"))).build())));
    LAYERS.put("ZeroPadding2D", c -> made(ZeroPadding2D.fromConfig(ModelJson.toConfig(c))));
    LAYERS.put("DepthwiseConv2D", c -> made(DepthwiseConv2D.fromConfig(depthwise(c, null))));
    LAYERS.put("SeparableConv2D", c -> made(SeparableConv2D.fromConfig(depthwise(c,
        Config.builder().put("filters", c.path("filters").asInt())))));
    LAYERS.put("Add", c -> made(Add.fromConfig(Config.EMPTY)));
    LAYERS.put("Subtract", c -> made(Subtract.fromConfig(Config.EMPTY)));
    LAYERS.put("Multiply", c -> made(Multiply.fromConfig(Config.EMPTY)));
    LAYERS.put("Concatenate", c -> made(Concatenate.fromConfig(Config.builder()
        .put("axis", c.path("axis").asInt(-1)).build())));
    LAYERS.put("Rescaling", c -> made(Rescaling.fromConfig(Config.builder()
        .put("scale", c.path("scale").asDouble()).put("offset", c.path("offset").asDouble(0))
        .build())));
    LAYERS.put("LayerNormalization", KerasLayers::layerNormalization);
    LAYERS.put("Resizing", c -> made(Resizing.fromConfig(ModelJson.toConfig(c))));
    LAYERS.put("RandomFlip", c -> made(RandomFlip.fromConfig(Config.builder()
        .put("mode", c.path("mode").asText("horizontal_and_vertical")).build())));
    LAYERS.put("RandomRotation", c -> made(RandomRotation.fromConfig(warp(c)
        .put("factor", factor(c.path("factor"))).build())));
    LAYERS.put("RandomZoom", c -> made(RandomZoom.fromConfig(factors(c, warp(c)))));
    LAYERS.put("RandomTranslation", c -> made(RandomTranslation.fromConfig(factors(c,
        warp(c)))));
  }

  private KerasLayers() {}

  /** A setting or class Kava cannot reproduce; the message says what and, if possible, why. */
  static final class Unsupported extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unsupported(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * A translated layer; {@code channelsRank} is the per-sample rank the layer's input must have
   * for its Keras axis to be the last one (batch normalization), or -1 when any rank will do.
   */
  record Made(Layer layer, int channelsRank) {}

  /** The Keras class names this importer maps, sorted. */
  static String supported() {
    return String.join(", ", LAYERS.keySet()) + ", InputLayer";
  }

  /** The Kava layer for Keras's {@code className} with {@code config}. */
  static Made layer(String className, JsonNode config) {
    Function<JsonNode, Made> f = LAYERS.get(className);
    if (f == null) {
      throw new Unsupported(unsupportedClass(className));
    }
    checkCommon(config);
    try {
      return f.apply(config);
    } catch (IllegalArgumentException e) {
      throw new Unsupported(e.getMessage().replaceAll("\\.$", ""));
    }
  }

  private static String unsupportedClass(String className) {
    return switch (className) {
      case "Lambda" -> "Lambda layers hold Python code, which cannot be imported";
      case "LSTM", "GRU", "SimpleRNN", "RNN", "Bidirectional", "ConvLSTM2D", "TimeDistributed"
          -> "recurrent layers are not in Kava";
      default -> "not a Kava layer (a custom class, or a Keras layer Kava lacks)";
    };
  }

  /** Settings every layer may have: the image layout and the dtype policy. */
  private static void checkCommon(JsonNode c) {
    String format = c.path("data_format").asText("channels_last");
    if (format.equals("channels_first") || c.path("dim_ordering").asText().equals("th")) {
      throw new Unsupported("data_format 'channels_first' (NCHW): Kava computes channels_last"
          + " (NHWC) only; re-save the model with data_format='channels_last'");
    }
    String dtype = dtype(c.path("dtype"));
    if (dtype != null && !FLOAT_POLICIES.contains(dtype)) {
      throw new Unsupported("dtype policy '" + dtype + "': Kava layers compute in float32"
          + " (float and mixed-precision policies are read as float32; quantized ones are not)");
    }
  }

  /** The dtype policy's name: a string (Keras 1/2) or a DTypePolicy object (Keras 3). */
  static String dtype(JsonNode d) {
    if (d.isTextual()) {
      return d.asText();
    }
    if (d.isObject()) {
      JsonNode name = d.path("config").path("name");
      return name.isTextual() ? name.asText() : d.path("class_name").asText(null);
    }
    return null;
  }

  private static Made made(Layer l) {
    return new Made(l, -1);
  }

  private static JsonNode first(JsonNode c, String key, String keras1) {
    return c.has(key) ? c.get(key) : c.path(keras1);
  }

  // ------------------------------------------------------------------ layers

  private static Made conv2d(JsonNode c) {
    requireOnes(c, "dilation_rate");
    requireOnes(c, "atrous_rate");
    if (c.path("groups").asInt(1) != 1) {
      throw new Unsupported("groups=" + c.path("groups") + ": grouped convolutions are not in"
          + " Kava");
    }
    JsonNode kernel = c.has("kernel_size") ? c.get("kernel_size")
        : com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode()
            .add(c.path("nb_row").asInt()).add(c.path("nb_col").asInt());
    Config.Builder b = Config.builder().put("filters", first(c, "filters", "nb_filter").asInt())
        .put("kernel_size", longs(kernel)).put("padding", padding(c));
    JsonNode strides = first(c, "strides", "subsample");
    if (!strides.isMissingNode()) {
      b.put("strides", longs(strides));
    }
    return made(Conv2D.fromConfig(kernelOptions(c, b)));
  }

  private static Config pooling(JsonNode c) {
    Config.Builder b = Config.builder().put("pool_size", longs(c.path("pool_size")))
        .put("padding", padding(c));
    if (c.has("strides") && !c.get("strides").isNull()) {
      b.put("strides", longs(c.get("strides")));
    }
    return b.build();
  }

  private static String padding(JsonNode c) {
    return first(c, "padding", "border_mode").asText("valid");
  }

  private static Made batchNormalization(JsonNode c) {
    if (c.path("mode").asInt(0) != 0) {
      throw new Unsupported("Keras 1 mode=" + c.path("mode") + ": only mode 0 (feature-wise)"
          + " is supported");
    }
    if (c.path("renorm").asBoolean(false)) {
      throw new Unsupported("renorm=true: batch renormalization is not in Kava");
    }
    JsonNode axis = c.path("axis");
    if (axis.isArray()) {
      if (axis.size() != 1) {
        throw new Unsupported("axis=" + axis + ": Kava normalizes over the last axis only");
      }
      axis = axis.get(0);
    }
    int a = axis.asInt(-1);
    Layer l = BatchNormalization.fromConfig(Config.builder()
        .put("momentum", c.path("momentum").asDouble(0.99))
        .put("epsilon", c.path("epsilon").asDouble(1e-3))
        .put("center", c.path("center").asBoolean(true))
        .put("scale", c.path("scale").asBoolean(true)).build());
    return new Made(l, a < 0 ? -1 : a);
  }

  private static Made softmax(JsonNode c) {
    JsonNode axis = c.path("axis");
    int a = axis.isArray() && axis.size() == 1 ? axis.get(0).asInt() : axis.asInt(-1);
    if (a != -1) {
      throw new Unsupported("axis=" + axis + ": Kava's softmax acts on the last axis only");
    }
    return made(Activation.SOFTMAX);
  }

  private static Made layerNormalization(JsonNode c) {
    if (c.path("rms_scaling").asBoolean(false)) {
      throw new Unsupported("rms_scaling=true is not in Kava's LayerNormalization");
    }
    return made(LayerNormalization.fromConfig(Config.builder()
        .put("axis", c.path("axis").isMissingNode() ? new long[] {-1} : longs(c.path("axis")))
        .put("epsilon", c.path("epsilon").asDouble(1e-3))
        .put("center", c.path("center").asBoolean(true))
        .put("scale", c.path("scale").asBoolean(true)).build()));
  }

  /** The fill and interpolation settings of Keras's warping augmentation layers. */
  private static Config.Builder warp(JsonNode c) {
    return Config.builder().put("fill_mode", c.path("fill_mode").asText("reflect"))
        .put("interpolation", c.path("interpolation").asText("bilinear"))
        .put("fill_value", c.path("fill_value").asDouble(0));
  }

  /** height_factor and width_factor, each a number or a pair; a null width is left out. */
  private static Config factors(JsonNode c, Config.Builder b) {
    b.put("height_factor", factor(c.path("height_factor")));
    if (c.hasNonNull("width_factor")) {
      b.put("width_factor", factor(c.get("width_factor")));
    }
    return b.build();
  }

  /** A factor as Kava's config holds one: a number, or a list of two. */
  private static Object factor(JsonNode f) {
    if (f.isArray()) {
      java.util.List<Double> pair = new java.util.ArrayList<>();
      f.forEach(x -> pair.add(x.asDouble()));
      return pair;
    }
    if (!f.isNumber()) {
      throw new Unsupported("a factor must be a number or a pair of numbers; got " + f);
    }
    return f.asDouble();
  }

  /** DepthwiseConv2D's settings, and SeparableConv2D's when {@code b} holds its filters. */
  private static Config depthwise(JsonNode c, Config.Builder b) {
    requireOnes(c, "dilation_rate");
    Config.Builder out = b == null ? Config.builder() : b;
    out.put("kernel_size", longs(c.path("kernel_size"))).put("padding", padding(c))
        .put("depth_multiplier", c.path("depth_multiplier").asInt(1))
        .put("activation", activation(c.path("activation")).function())
        .put("use_bias", c.path("use_bias").asBoolean(true));
    if (c.has("strides")) {
      out.put("strides", longs(c.get("strides")));
    }
    putInitializer(out, "depthwise_initializer", c.path("depthwise_initializer"));
    putInitializer(out, "pointwise_initializer", c.path("pointwise_initializer"));
    putInitializer(out, "bias_initializer", c.path("bias_initializer"));
    return out.build();
  }

  /** Dense's and Conv2D's shared options, Keras 1 names included. */
  private static Config kernelOptions(JsonNode c, Config.Builder b) {
    b.put("activation", activation(c.path("activation")).function())
        .put("use_bias", first(c, "use_bias", "bias").asBoolean(true));
    putInitializer(b, "kernel_initializer", first(c, "kernel_initializer", "init"));
    putInitializer(b, "bias_initializer", c.path("bias_initializer"));
    Config reg = regularizer(first(c, "kernel_regularizer", "W_regularizer"));
    if (reg != null) {
      b.put("kernel_regularizer", reg);
    }
    return b.build();
  }

  private static void requireOnes(JsonNode c, String key) {
    for (JsonNode d : c.path(key)) {
      if (d.asInt() != 1) {
        throw new Unsupported(key + "=" + c.get(key) + ": dilated convolutions are not in Kava");
      }
    }
    if (c.path(key).isInt() && c.get(key).asInt() != 1) {
      throw new Unsupported(key + "=" + c.get(key) + ": dilated convolutions are not in Kava");
    }
  }

  // ------------------------------------------------------------------ settings

  /**
   * Keras's activation name, or a Keras 3 serialized built-in, as Kava's; Keras 3 calls
   * swish {@code silu}.
   */
  static Activation activation(JsonNode a) {
    if (a.isMissingNode() || a.isNull()) {
      return Activation.LINEAR;
    }
    String name = a.isTextual() ? a.asText()
        : a.path("config").isTextual() ? a.path("config").asText() : a.path("class_name").asText();
    String n = name.toLowerCase(Locale.ROOT);
    if (n.equals("silu")) {
      return Activation.SWISH;
    }
    try {
      return Activation.of(n);
    } catch (IllegalArgumentException e) {
      throw new Unsupported("activation '" + name + "' is not one of Kava's (linear, relu,"
          + " sigmoid, softmax, tanh, elu, selu, softplus, softsign, swish/silu)");
    }
  }

  /** Kava's form of a Keras initializer, if it has one; otherwise Kava's default stays. */
  private static void putInitializer(Config.Builder b, String key, JsonNode init) {
    String s = initializer(init);
    if (s != null) {
      b.put(key, s);
    }
  }

  private static String initializer(JsonNode init) {
    if (init.isTextual()) {
      return switch (init.asText()) {
        case "glorot_uniform", "glorot_normal", "he_uniform", "he_normal", "zeros", "ones" ->
            init.asText();
        case "zero" -> "zeros";
        case "one" -> "ones";
        default -> null;
      };
    }
    JsonNode c = init.path("config");
    return switch (init.path("class_name").asText()) {
      case "GlorotUniform" -> "glorot_uniform";
      case "GlorotNormal" -> "glorot_normal";
      case "HeUniform" -> "he_uniform";
      case "HeNormal" -> "he_normal";
      case "Zeros" -> "zeros";
      case "Ones" -> "ones";
      case "Constant" -> "constant(" + c.path("value").asDouble() + ")";
      case "RandomNormal" -> "random_normal(mean=" + c.path("mean").asDouble(0) + ", stddev="
          + c.path("stddev").asDouble(0.05) + ")";
      case "RandomUniform" -> "random_uniform(min=" + c.path("minval").asDouble(-0.05)
          + ", max=" + c.path("maxval").asDouble(0.05) + ")";
      case "VarianceScaling" -> varianceScaling(c);
      default -> null;
    };
  }

  private static String varianceScaling(JsonNode c) {
    double scale = c.path("scale").asDouble(1);
    String mode = c.path("mode").asText("fan_in");
    boolean uniform = c.path("distribution").asText().equals("uniform");
    if (scale == 1 && mode.equals("fan_avg")) {
      return uniform ? "glorot_uniform" : "glorot_normal";
    }
    if (scale == 2 && mode.equals("fan_in")) {
      return uniform ? "he_uniform" : "he_normal";
    }
    return null;
  }

  /** Kava's {@code {l1, l2}} of a Keras L1/L2/L1L2 regularizer, or null. */
  private static Config regularizer(JsonNode r) {
    String cls = r.path("class_name").asText(r.path("name").asText());
    JsonNode c = r.has("config") ? r.path("config") : r;
    return switch (cls) {
      case "L1L2", "L1", "L2", "WeightRegularizer" -> Config.builder()
          .put("l1", c.path("l1").asDouble(0)).put("l2", c.path("l2").asDouble(0)).build();
      default -> null;
    };
  }

  static long[] longs(JsonNode a) {
    if (a.isNumber()) {
      return new long[] {a.asLong()};
    }
    long[] d = new long[a.size()];
    for (int i = 0; i < d.length; i++) {
      d[i] = a.get(i).asLong();
    }
    return d;
  }
}
