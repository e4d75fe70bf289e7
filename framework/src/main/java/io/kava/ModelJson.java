package io.kava;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kava.layers.Activation;
import io.kava.layers.AveragePooling2D;
import io.kava.layers.BatchNormalization;
import io.kava.layers.Conv2D;
import io.kava.layers.Dense;
import io.kava.layers.Dropout;
import io.kava.layers.Flatten;
import io.kava.layers.Initializer;
import io.kava.layers.Layer;
import io.kava.layers.MaxPooling2D;
import io.kava.layers.Padding;
import io.kava.layers.Regularizer;
import io.kava.losses.BinaryCrossentropy;
import io.kava.losses.CategoricalCrossentropy;
import io.kava.losses.Loss;
import io.kava.losses.MeanSquaredError;
import io.kava.losses.SparseCategoricalCrossentropy;
import io.kava.metrics.Accuracy;
import io.kava.metrics.Metric;
import io.kava.optimizers.Adagrad;
import io.kava.optimizers.Adam;
import io.kava.optimizers.Optimizer;
import io.kava.optimizers.RMSprop;
import io.kava.optimizers.SGD;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.ndarray.Shape;

/**
 * {@code kava.json}: a saved model's architecture, compile settings and training counters,
 * in a readable form close to Keras's {@code get_config()}.
 */
final class ModelJson {
  static final String FILE = "kava.json";
  static final int VERSION = 1;
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT);

  private ModelJson() {}

  /** What a saved model holds besides its weights. */
  record Saved(String name, Shape inputShape, List<Layer> layers, List<String> names,
      Optimizer optimizer, Loss loss,
      List<Metric> metrics, int epochsCompleted, long weightSeed) {}

  static String write(Saved s) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("format", "kava-model");
    root.put("format_version", VERSION);
    root.put("name", s.name());
    ArrayNode in = root.putArray("input_shape");
    for (long d : s.inputShape().asArray()) {
      in.add(d);
    }
    ArrayNode layers = root.putArray("layers");
    for (int i = 0; i < s.layers().size(); i++) {
      layers.add(layer(s.layers().get(i), s.names().get(i)));
    }
    if (s.optimizer() != null) {
      ObjectNode c = root.putObject("compile");
      c.set("optimizer", optimizer(s.optimizer()));
      c.put("loss", s.loss().name());
      ArrayNode m = c.putArray("metrics");
      for (Metric metric : s.metrics()) {
        m.add(metric(metric));
      }
    }
    ObjectNode t = root.putObject("training");
    t.put("epochs_completed", s.epochsCompleted());
    t.put("weight_seed", s.weightSeed());
    try {
      return MAPPER.writeValueAsString(root) + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ObjectNode layer(Layer l, String name) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("class_name", l.type());
    n.put("name", name);
    ObjectNode c = n.putObject("config");
    if (l instanceof Dense d) {
      c.put("units", d.units());
      c.put("activation", d.activation().function());
      c.put("use_bias", d.useBias());
      c.put("kernel_initializer", d.kernelInitializer().toString());
      c.put("bias_initializer", d.biasInitializer().toString());
      regularizer(c, d.kernelRegularizer());
    } else if (l instanceof Conv2D v) {
      c.put("filters", v.filters());
      pair(c, "kernel_size", v.kernelSize());
      pair(c, "strides", v.strides());
      c.put("padding", v.padding().kerasName());
      c.put("activation", v.activation().function());
      c.put("use_bias", v.useBias());
      c.put("kernel_initializer", v.kernelInitializer().toString());
      c.put("bias_initializer", v.biasInitializer().toString());
      regularizer(c, v.kernelRegularizer());
    } else if (l instanceof MaxPooling2D p) {
      pair(c, "pool_size", p.poolSize());
      pair(c, "strides", p.strides());
      c.put("padding", p.padding().kerasName());
    } else if (l instanceof AveragePooling2D p) {
      pair(c, "pool_size", p.poolSize());
      pair(c, "strides", p.strides());
      c.put("padding", p.padding().kerasName());
    } else if (l instanceof Dropout d) {
      c.put("rate", d.rate());
    } else if (l instanceof BatchNormalization b) {
      c.put("momentum", b.momentum());
      c.put("epsilon", b.epsilon());
      c.put("center", b.center());
      c.put("scale", b.scale());
    } else if (l instanceof Activation a) {
      c.put("activation", a.function());
    } else if (!(l instanceof Flatten)) {
      throw new IllegalArgumentException("Sequential: save supports Kava's built-in layers; got"
          + " a " + l.getClass().getName() + ". Use export(dir) for an inference SavedModel.");
    }
    return n;
  }

  private static void pair(ObjectNode c, String key, int[] v) {
    c.putArray(key).add(v[0]).add(v[1]);
  }

  private static void regularizer(ObjectNode c, Regularizer r) {
    if (r == null) {
      c.putNull("kernel_regularizer");
    } else {
      c.putObject("kernel_regularizer").put("l1", r.l1()).put("l2", r.l2());
    }
  }

  private static ObjectNode optimizer(Optimizer o) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("class_name", o.name());
    n.put("learning_rate", o.learningRate());
    if (o instanceof SGD s) {
      n.put("momentum", s.momentum()).put("nesterov", s.nesterov());
    } else if (o instanceof Adam a) {
      n.put("beta_1", a.beta1()).put("beta_2", a.beta2()).put("epsilon", a.epsilon());
    } else if (o instanceof RMSprop r) {
      n.put("rho", r.rho()).put("momentum", r.momentum()).put("epsilon", r.epsilon());
    } else if (o instanceof Adagrad a) {
      n.put("initial_accumulator_value", a.initialAccumulatorValue())
          .put("epsilon", a.epsilon());
    } else {
      throw new IllegalArgumentException("Sequential: save supports Kava's optimizers; got "
          + o.getClass().getName() + ".");
    }
    return n;
  }

  private static String metric(Metric m) {
    if (m instanceof Accuracy a) {
      return a.kind() == null ? "accuracy"
          : a.kind().name().toLowerCase(java.util.Locale.ROOT) + "_accuracy";
    }
    throw new IllegalArgumentException("Sequential: save supports Kava's metrics; got "
        + m.getClass().getName() + ".");
  }

  // ------------------------------------------------------------------ reading

  static Saved read(String json, String source) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw bad(source, "is not valid JSON: " + e.getOriginalMessage());
    }
    if (root == null || !"kava-model".equals(root.path("format").asText())) {
      throw bad(source, "must have \"format\": \"kava-model\"");
    }
    if (root.path("format_version").asInt() != VERSION) {
      throw bad(source, "format_version must be " + VERSION + "; got "
          + root.path("format_version"));
    }
    JsonNode in = root.path("input_shape");
    long[] dims = new long[in.size()];
    for (int i = 0; i < dims.length; i++) {
      dims[i] = in.get(i).asLong();
    }
    List<Layer> layers = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (JsonNode l : root.path("layers")) {
      Layer layer = layer(l, source);
      layers.add(layer);
      names.add(layer.name());
    }
    Optimizer opt = null;
    Loss loss = null;
    List<Metric> metrics = new ArrayList<>();
    JsonNode c = root.path("compile");
    if (!c.isMissingNode()) {
      opt = optimizer(c.path("optimizer"), source);
      loss = loss(c.path("loss").asText(), source);
      for (JsonNode m : c.path("metrics")) {
        metrics.add(metric(m.asText(), source));
      }
    }
    JsonNode t = root.path("training");
    return new Saved(root.path("name").asText("sequential"), Shape.of(dims), layers, names,
        opt, loss,
        metrics, t.path("epochs_completed").asInt(0), t.path("weight_seed").asLong(0));
  }

  private static Layer layer(JsonNode n, String source) {
    JsonNode c = n.path("config");
    String name = n.path("name").asText(null);
    Layer l = switch (n.path("class_name").asText()) {
      case "Dense" -> {
        Dense d = Dense.of(c.path("units").asInt())
            .activation(Activation.of(c.path("activation").asText("linear")))
            .useBias(c.path("use_bias").asBoolean(true))
            .kernelInitializer(Initializer.parse(c.path("kernel_initializer").asText()))
            .biasInitializer(Initializer.parse(c.path("bias_initializer").asText()))
            .kernelRegularizer(regularizer(c.path("kernel_regularizer")));
        yield name == null ? d : d.name(name);
      }
      case "Conv2D" -> {
        Conv2D v = Conv2D.of(c.path("filters").asInt(), c.path("kernel_size").path(0).asInt(),
                c.path("kernel_size").path(1).asInt())
            .strides(c.path("strides").path(0).asInt(1), c.path("strides").path(1).asInt(1))
            .padding(Padding.of(c.path("padding").asText("valid")))
            .activation(Activation.of(c.path("activation").asText("linear")))
            .useBias(c.path("use_bias").asBoolean(true))
            .kernelInitializer(Initializer.parse(c.path("kernel_initializer").asText()))
            .biasInitializer(Initializer.parse(c.path("bias_initializer").asText()))
            .kernelRegularizer(regularizer(c.path("kernel_regularizer")));
        yield name == null ? v : v.name(name);
      }
      case "MaxPooling2D" -> {
        MaxPooling2D p = MaxPooling2D.of(c.path("pool_size").path(0).asInt(),
                c.path("pool_size").path(1).asInt())
            .strides(c.path("strides").path(0).asInt(), c.path("strides").path(1).asInt())
            .padding(Padding.of(c.path("padding").asText("valid")));
        yield name == null ? p : p.name(name);
      }
      case "AveragePooling2D" -> {
        AveragePooling2D p = AveragePooling2D.of(c.path("pool_size").path(0).asInt(),
                c.path("pool_size").path(1).asInt())
            .strides(c.path("strides").path(0).asInt(), c.path("strides").path(1).asInt())
            .padding(Padding.of(c.path("padding").asText("valid")));
        yield name == null ? p : p.name(name);
      }
      case "Flatten" -> name == null ? Flatten.of() : Flatten.of().name(name);
      case "Dropout" -> {
        Dropout d = Dropout.of(c.path("rate").asDouble());
        yield name == null ? d : d.name(name);
      }
      case "BatchNormalization" -> {
        BatchNormalization b = BatchNormalization.of().momentum(c.path("momentum").asDouble(0.99))
            .epsilon(c.path("epsilon").asDouble(1e-3)).center(c.path("center").asBoolean(true))
            .scale(c.path("scale").asBoolean(true));
        yield name == null ? b : b.name(name);
      }
      case "Activation" -> {
        Activation a = Activation.of(c.path("activation").asText());
        yield name == null ? a : a.name(name);
      }
      default -> throw bad(source, "layer class_name must be a Kava layer; got '"
          + n.path("class_name").asText() + "'");
    };
    return l;
  }

  private static Regularizer regularizer(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return null;
    }
    return Regularizer.l1l2(n.path("l1").asDouble(0), n.path("l2").asDouble(0));
  }

  private static Optimizer optimizer(JsonNode n, String source) {
    double lr = n.path("learning_rate").asDouble();
    return switch (n.path("class_name").asText()) {
      case "SGD" -> {
        SGD s = new SGD(lr).nesterov(n.path("nesterov").asBoolean(false));
        double m = n.path("momentum").asDouble(0);
        yield m == 0 ? s : s.momentum(m);
      }
      case "Adam" -> new Adam(lr).beta1(n.path("beta_1").asDouble(0.9))
          .beta2(n.path("beta_2").asDouble(0.999)).epsilon(n.path("epsilon").asDouble(1e-7));
      case "RMSprop" -> {
        RMSprop r = new RMSprop(lr).rho(n.path("rho").asDouble(0.9))
            .epsilon(n.path("epsilon").asDouble(1e-7));
        double m = n.path("momentum").asDouble(0);
        yield m == 0 ? r : r.momentum(m);
      }
      case "Adagrad" -> new Adagrad(lr)
          .initialAccumulatorValue(n.path("initial_accumulator_value").asDouble(0.1))
          .epsilon(n.path("epsilon").asDouble(1e-7));
      default -> throw bad(source, "optimizer class_name must be SGD, Adam, RMSprop or"
          + " Adagrad; got '" + n.path("class_name").asText() + "'");
    };
  }

  private static Loss loss(String name, String source) {
    return switch (name) {
      case "categorical_crossentropy" -> new CategoricalCrossentropy();
      case "sparse_categorical_crossentropy" -> new SparseCategoricalCrossentropy();
      case "binary_crossentropy" -> new BinaryCrossentropy();
      case "mean_squared_error" -> new MeanSquaredError();
      default -> throw bad(source, "loss must be a Kava loss; got '" + name + "'");
    };
  }

  private static Metric metric(String name, String source) {
    return switch (name) {
      case "accuracy" -> new Accuracy();
      case "binary_accuracy" -> Accuracy.binary();
      case "categorical_accuracy" -> Accuracy.categorical();
      case "sparse_categorical_accuracy" -> Accuracy.sparseCategorical();
      default -> throw bad(source, "metric must be a Kava metric; got '" + name + "'");
    };
  }

  private static IllegalArgumentException bad(String source, String what) {
    return new IllegalArgumentException(FILE + " " + source + ": " + what + ".");
  }
}
