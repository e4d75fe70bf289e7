package io.kava;

import com.fasterxml.jackson.databind.JsonNode;
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
import io.kava.saving.Config;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A Keras training config (Keras 2's {@code training_config}, Keras 3's
 * {@code compile_config}) as Kava compile settings: the optimizer with its settings, the
 * loss (one, or one per output) and the metrics. Anything without an exact Kava counterpart
 * (another optimizer, learning-rate schedules, decay, gradient clipping, {@code from_logits},
 * other metrics) is listed in {@link Mapped#unmapped()} and the model stays uncompiled, rather
 * than training differently from Keras without saying so.
 */
final class KerasTraining {
  private final List<String> unmapped = new ArrayList<>();

  private KerasTraining() {}

  /** The compile settings, or null with the reasons in {@code unmapped}. */
  record Mapped(Compile compile, List<String> unmapped) {}

  static Mapped map(JsonNode tc, List<String> outputs) {
    KerasTraining k = new KerasTraining();
    Compile c = k.compile(tc, outputs);
    return new Mapped(k.unmapped.isEmpty() ? c : null, List.copyOf(k.unmapped));
  }

  private Compile compile(JsonNode tc, List<String> outputs) {
    Optimizer opt = optimizer(tc.has("optimizer_config") ? tc.get("optimizer_config")
        : tc.path("optimizer"));
    JsonNode lossJson = tc.path("loss");
    Loss loss = null;
    Map<String, Loss> losses = null;
    if (lossJson.isArray() || (lossJson.isObject() && !lossJson.has("class_name"))) {
      losses = new LinkedHashMap<>();
      for (int i = 0; i < outputs.size(); i++) {
        JsonNode l = lossJson.isArray() ? lossJson.path(i) : lossJson.path(outputs.get(i));
        losses.put(outputs.get(i), loss(l));
      }
    } else {
      loss = loss(lossJson);
    }
    Map<String, Double> weights = new LinkedHashMap<>();
    JsonNode lw = tc.path("loss_weights");
    for (int i = 0; i < outputs.size() && !lw.isNull() && !lw.isMissingNode(); i++) {
      JsonNode w = lw.isArray() ? lw.path(i) : lw.path(outputs.get(i));
      if (w.isNumber()) {
        weights.put(outputs.get(i), w.asDouble());
      }
    }
    JsonNode wm = tc.path("weighted_metrics");
    if (!wm.isNull() && !wm.isMissingNode() && !wm.isEmpty()) {
      unmapped.add("weighted_metrics " + wm);
    }
    List<Metric> metrics = new ArrayList<>();
    metrics(tc.path("metrics"), metrics);
    if (losses != null && losses.containsValue(null) || loss == null && losses == null
        || opt == null) {
      return null;
    }
    return new Compile(opt, loss, losses, weights, metrics);
  }

  private Optimizer optimizer(JsonNode o) {
    if (o.isMissingNode() || o.isNull()) {
      unmapped.add("optimizer (none given)");
      return null;
    }
    String cls = (o.isTextual() ? o.asText() : o.path("class_name").asText())
        .toLowerCase(Locale.ROOT);
    JsonNode c = o.path("config");
    JsonNode lr = c.has("learning_rate") ? c.get("learning_rate") : c.path("lr");
    if (lr.isObject()) {
      unmapped.add("learning-rate schedule " + lr.path("class_name").asText());
    }
    for (String key : new String[] {"decay", "weight_decay", "clipnorm", "clipvalue",
        "global_clipnorm"}) {
      if (c.path(key).isNumber() && c.get(key).asDouble() != 0) {
        unmapped.add("optimizer " + key + "=" + c.get(key));
      }
    }
    for (String key : new String[] {"amsgrad", "use_ema", "centered"}) {
      if (c.path(key).asBoolean(false)) {
        unmapped.add("optimizer " + key + "=true");
      }
    }
    Config.Builder b = Config.builder();
    if (lr.isNumber()) {
      b.put("learning_rate", lr.asDouble());
    }
    for (String key : new String[] {"beta_1", "beta_2", "epsilon", "rho", "momentum",
        "nesterov", "initial_accumulator_value"}) {
      JsonNode v = c.path(key);
      if (v.isNumber()) {
        b.put(key, v.asDouble());
      } else if (v.isBoolean()) {
        b.put(key, v.asBoolean());
      }
    }
    Config config = b.build();
    return switch (cls) {
      case "adam" -> Adam.fromConfig(config);
      case "sgd" -> SGD.fromConfig(config);
      case "rmsprop" -> RMSprop.fromConfig(config);
      case "adagrad" -> Adagrad.fromConfig(config);
      default -> {
        unmapped.add("optimizer " + (o.isTextual() ? o.asText() : o.path("class_name").asText())
            + " (Kava has Adam, SGD, RMSprop, Adagrad)");
        yield null;
      }
    };
  }

  private Loss loss(JsonNode l) {
    String name = l.isTextual() ? l.asText() : l.path("class_name").asText(l.toString());
    JsonNode c = l.path("config");
    if (c.path("from_logits").asBoolean(false)) {
      unmapped.add("loss " + name + " with from_logits=true");
      return null;
    }
    if (c.path("label_smoothing").asDouble(0) != 0) {
      unmapped.add("loss " + name + " with label_smoothing=" + c.get("label_smoothing"));
      return null;
    }
    String key = name.replace("_", "").toLowerCase(Locale.ROOT);
    return switch (key) {
      case "categoricalcrossentropy" -> new CategoricalCrossentropy();
      case "sparsecategoricalcrossentropy" -> new SparseCategoricalCrossentropy();
      case "binarycrossentropy" -> new BinaryCrossentropy();
      case "meansquarederror", "mse" -> new MeanSquaredError();
      default -> {
        unmapped.add("loss " + name);
        yield null;
      }
    };
  }

  /** Metrics in a list, per-output lists (Keras 2.x nests them) or a per-output dict. */
  private void metrics(JsonNode m, List<Metric> out) {
    if (m.isArray() || m.isObject() && !m.has("class_name")) {
      m.forEach(x -> metrics(x, out));
      return;
    }
    if (m.isNull() || m.isMissingNode()) {
      return;
    }
    String name = m.isTextual() ? m.asText() : m.path("config").path("fn").isTextual()
        ? m.path("config").path("fn").asText() : m.path("class_name").asText();
    Metric metric = switch (name.replace("_", "").toLowerCase(Locale.ROOT)) {
      case "accuracy", "acc" -> new Accuracy();
      case "categoricalaccuracy" -> Accuracy.categorical();
      case "sparsecategoricalaccuracy" -> Accuracy.sparseCategorical();
      case "binaryaccuracy" -> m.path("config").path("threshold").asDouble(0.5) == 0.5
          ? Accuracy.binary() : null;
      default -> null;
    };
    if (metric == null) {
      unmapped.add("metric " + name);
    } else if (out.stream().noneMatch(x -> x.name().equals(metric.name()))) {
      out.add(metric);
    }
  }
}
