package io.kava;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kava.layers.Layer;
import io.kava.saving.Config;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kava layers' settings as Keras 3's layer configs ({@code get_config} keys and defaults, as
 * {@link KerasSave} writes them into a {@code .keras} file's {@code config.json}), with Keras 3's
 * activation and initializer objects.
 */
final class KerasLayerConfigs {
  private static final Pattern INIT = Pattern.compile(
      "(constant|random_normal|random_uniform)\\((.*)\\)");
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private KerasLayerConfigs() {}

  /** Fills Keras's config keys of {@code layer}; returns why it cannot, or null. */
  static String fill(Layer layer, ObjectNode c) {
    Config k = layer.config();
    switch (layer.type()) {
      case "Dense" -> {
        c.put("units", k.getInt("units"));
        kernelOptions(k, c);
      }
      case "Conv2D" -> {
        c.put("filters", k.getInt("filters"));
        window(k, c, "kernel_size");
        c.put("data_format", "channels_last");
        c.set("dilation_rate", ints(1, 1));
        c.put("groups", 1);
        kernelOptions(k, c);
        c.putNull("activity_regularizer");
      }
      case "MaxPooling2D", "AveragePooling2D" -> {
        c.set("pool_size", ints(k.getInts("pool_size", null)));
        c.put("padding", k.getString("padding"));
        c.set("strides", ints(k.getInts("strides", null)));
        c.put("data_format", "channels_last");
      }
      case "GlobalAveragePooling2D", "GlobalMaxPooling2D" -> {
        c.put("data_format", "channels_last");
        c.put("keepdims", k.getBoolean("keepdims", false));
      }
      case "Flatten" -> c.put("data_format", "channels_last");
      case "Dropout" -> {
        c.put("rate", k.getDouble("rate", 0));
        c.putNull("seed");
        c.putNull("noise_shape");
      }
      case "BatchNormalization" -> {
        c.put("axis", -1);
        c.put("momentum", k.getDouble("momentum", 0.99));
        c.put("epsilon", k.getDouble("epsilon", 1e-3));
        c.put("center", k.getBoolean("center", true));
        c.put("scale", k.getBoolean("scale", true));
        c.set("beta_initializer", initializer("zeros"));
        c.set("gamma_initializer", initializer("ones"));
        c.set("moving_mean_initializer", initializer("zeros"));
        c.set("moving_variance_initializer", initializer("ones"));
        nulls(c, "beta_regularizer", "gamma_regularizer", "beta_constraint", "gamma_constraint");
        c.put("synchronized", false);
      }
      case "Activation" -> c.put("activation", activation(k.getString("activation")));
      case "ReLU" -> {
        Object max = k.get("max_value");
        if (max == null) {
          c.putNull("max_value");
        } else {
          c.put("max_value", ((Number) max).doubleValue());
        }
        c.put("negative_slope", k.getDouble("negative_slope", 0));
        c.put("threshold", k.getDouble("threshold", 0));
      }
      case "Reshape" -> {
        ArrayNode s = c.putArray("target_shape");
        for (long d : k.getLongs("target_shape", null)) {
          s.add(d);
        }
      }
      case "ZeroPadding2D" -> {
        c.set("padding", MAPPER.valueToTree(k.get("padding")));
        c.put("data_format", "channels_last");
      }
      case "DepthwiseConv2D", "SeparableConv2D" -> {
        boolean separable = layer.type().equals("SeparableConv2D");
        if (separable) {
          c.put("filters", k.getInt("filters"));
        }
        window(k, c, "kernel_size");
        c.put("data_format", "channels_last");
        c.set("dilation_rate", ints(1, 1));
        c.put("depth_multiplier", k.getInt("depth_multiplier", 1));
        c.put("activation", activation(k.getString("activation")));
        c.put("use_bias", k.getBoolean("use_bias", true));
        c.set("depthwise_initializer", initializer(k.getString("depthwise_initializer")));
        if (separable) {
          c.set("pointwise_initializer", initializer(k.getString("pointwise_initializer")));
        }
        c.set("bias_initializer", initializer(k.getString("bias_initializer")));
        if (separable) {
          nulls(c, "depthwise_regularizer", "pointwise_regularizer", "bias_regularizer",
              "activity_regularizer", "depthwise_constraint", "pointwise_constraint",
              "bias_constraint");
        } else {
          nulls(c, "depthwise_regularizer", "bias_regularizer", "activity_regularizer",
              "depthwise_constraint", "bias_constraint");
        }
      }
      case "Add", "Subtract", "Multiply" -> {
        // Keras's merge layers have only the base config.
      }
      case "Concatenate" -> c.put("axis", k.getInt("axis", -1));
      case "Rescaling" -> {
        c.put("scale", k.getDouble("scale", 1));
        c.put("offset", k.getDouble("offset", 0));
      }
      case "LayerNormalization" -> {
        int[] axes = k.getInts("axis", new int[] {-1});
        if (axes.length == 1) {
          c.put("axis", axes[0]);
        } else {
          c.set("axis", ints(axes));
        }
        c.put("epsilon", k.getDouble("epsilon", 1e-3));
        c.put("center", k.getBoolean("center", true));
        c.put("scale", k.getBoolean("scale", true));
        c.set("beta_initializer", initializer("zeros"));
        c.set("gamma_initializer", initializer("ones"));
        nulls(c, "beta_regularizer", "gamma_regularizer", "beta_constraint", "gamma_constraint");
      }
      case "Resizing" -> {
        c.put("height", k.getInt("height"));
        c.put("width", k.getInt("width"));
        c.put("interpolation", k.getString("interpolation"));
        c.put("crop_to_aspect_ratio", k.getBoolean("crop_to_aspect_ratio", false));
        c.put("data_format", "channels_last");
      }
      // Keras 3's augmentation layers (keras/src/layers/preprocessing/image_preprocessing/
      // random_*.py): their get_config keys in its order. Their SeedGenerator is no weight
      // (Layer.save_own_variables saves layer variables only), so they have no vars; Kava
      // draws from the fit seed, so the seed is written as unset.
      case "RandomFlip" -> {
        c.putNull("seed");
        c.put("mode", k.getString("mode"));
        c.put("data_format", "channels_last");
      }
      case "RandomRotation" -> {
        // Keras keeps a rotation factor as its (lower, upper) pair.
        c.set("factor", pair(k.get("factor")));
        c.put("data_format", "channels_last");
        c.put("fill_mode", k.getString("fill_mode"));
        c.put("fill_value", k.getDouble("fill_value", 0));
        c.put("interpolation", k.getString("interpolation"));
        c.putNull("seed");
      }
      case "RandomTranslation", "RandomZoom" -> {
        c.set("height_factor", factor(k.get("height_factor")));
        c.set("width_factor", factor(k.get("width_factor")));
        c.put("fill_mode", k.getString("fill_mode"));
        c.put("interpolation", k.getString("interpolation"));
        c.putNull("seed");
        c.put("fill_value", k.getDouble("fill_value", 0));
        c.put("data_format", "channels_last");
      }
      default -> {
        return "not a Keras layer (Keras has no class '" + layer.type() + "')";
      }
    }
    return null;
  }

  private static void window(Config k, ObjectNode c, String sizeKey) {
    c.set(sizeKey, ints(k.getInts(sizeKey, null)));
    c.set("strides", ints(k.getInts("strides", new int[] {1, 1})));
    c.put("padding", k.getString("padding", "valid"));
  }

  private static void kernelOptions(Config k, ObjectNode c) {
    c.put("activation", activation(k.getString("activation")));
    c.put("use_bias", k.getBoolean("use_bias", true));
    c.set("kernel_initializer", initializer(k.getString("kernel_initializer")));
    c.set("bias_initializer", initializer(k.getString("bias_initializer")));
    Config reg = k.getConfig("kernel_regularizer");
    if (reg == null) {
      c.putNull("kernel_regularizer");
    } else {
      ObjectNode r = c.putObject("kernel_regularizer");
      r.put("module", "keras.regularizers");
      r.put("class_name", "L1L2");
      r.putObject("config").put("l1", reg.getDouble("l1", 0)).put("l2", reg.getDouble("l2", 0));
      r.putNull("registered_name");
    }
    nulls(c, "bias_regularizer", "kernel_constraint", "bias_constraint");
  }

  /** A factor as Keras keeps it as given: a number, a pair, or null. */
  private static com.fasterxml.jackson.databind.JsonNode factor(Object v) {
    if (v == null) {
      return MAPPER.nullNode();
    }
    return v instanceof Number n ? MAPPER.getNodeFactory().numberNode(n.doubleValue())
        : MAPPER.valueToTree(v);
  }

  /** A factor as a {@code [lower, upper]} pair; a number f is {@code [-f, f]}. */
  private static ArrayNode pair(Object v) {
    if (v instanceof Number n) {
      return MAPPER.createArrayNode().add(-n.doubleValue()).add(n.doubleValue());
    }
    return MAPPER.valueToTree(v);
  }

  static void nulls(ObjectNode c, String... keys) {
    for (String key : keys) {
      c.putNull(key);
    }
  }

  static ArrayNode ints(int... v) {
    ArrayNode a = MAPPER.createArrayNode();
    for (int x : v) {
      a.add(x);
    }
    return a;
  }

  /** Kava's activation name as Keras 3's: Keras 3 serializes swish as {@code silu}. */
  static String activation(String kava) {
    return kava.equals("swish") ? "silu" : kava;
  }

  /** Kava's initializer text as Keras 3's serialized initializer object. */
  static ObjectNode initializer(String kava) {
    ObjectNode n = MAPPER.createObjectNode().put("module", "keras.initializers");
    ObjectNode c = MAPPER.createObjectNode();
    String cls = switch (kava) {
      case "glorot_uniform" -> "GlorotUniform";
      case "glorot_normal" -> "GlorotNormal";
      case "he_uniform" -> "HeUniform";
      case "he_normal" -> "HeNormal";
      case "zeros" -> "Zeros";
      case "ones" -> "Ones";
      default -> null;
    };
    if (cls != null) {
      if (!cls.equals("Zeros") && !cls.equals("Ones")) {
        c.putNull("seed");
      }
    } else {
      Matcher m = INIT.matcher(kava);
      if (!m.matches()) {
        throw new IllegalStateException("Kava initializer '" + kava + "' has no Keras form");
      }
      List<Double> args = new ArrayList<>();
      for (String part : m.group(2).split(",")) {
        args.add(Double.parseDouble(part.substring(part.indexOf('=') + 1).trim()));
      }
      switch (m.group(1)) {
        case "constant" -> {
          cls = "Constant";
          c.put("value", args.get(0));
        }
        case "random_normal" -> {
          cls = "RandomNormal";
          c.put("mean", args.get(0)).put("stddev", args.get(1)).putNull("seed");
        }
        default -> {
          cls = "RandomUniform";
          c.put("minval", args.get(0)).put("maxval", args.get(1)).putNull("seed");
        }
      }
    }
    n.put("class_name", cls);
    n.set("config", c);
    n.putNull("registered_name");
    return n;
  }
}
