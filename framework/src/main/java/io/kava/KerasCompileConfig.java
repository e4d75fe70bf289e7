package io.kava;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kava.losses.Loss;
import io.kava.metrics.Accuracy;
import io.kava.metrics.Metric;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A model's compile settings as Keras 3's {@code compile_config} (optimizer, losses by
 * output, loss weights, metrics), as {@link KerasSave} writes it into a {@code .keras} file.
 */
final class KerasCompileConfig {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private KerasCompileConfig() {}

  /** The optimizer, losses and metrics that are not Kava's own (Keras cannot know them). */
  static List<String> customParts(Compile c) {
    List<Object> parts = new ArrayList<>();
    parts.add(c.optimizer());
    if (c.loss() != null) {
      parts.add(c.loss());
    } else {
      parts.addAll(c.losses().values());
    }
    parts.addAll(c.metrics());
    List<String> out = new ArrayList<>();
    for (Object p : parts) {
      String pkg = p.getClass().getPackageName();
      if (!pkg.equals("io.kava.optimizers") && !pkg.equals("io.kava.losses")
          && !pkg.equals("io.kava.metrics")) {
        out.add(p.getClass().getName());
      }
    }
    return out;
  }

  /** Keras 3's compile_config of the model's compile settings (Kava's built-ins all map). */
  static ObjectNode of(Compile c, double learningRate, List<String> outputNames) {
    ObjectNode n = MAPPER.createObjectNode();
    ObjectNode opt = n.putObject("optimizer");
    opt.put("module", "keras.optimizers");
    opt.put("class_name", c.optimizer().name());
    ObjectNode oc = opt.putObject("config");
    oc.put("name", c.optimizer().name().equals("SGD") ? "SGD"
        : c.optimizer().name().toLowerCase(Locale.ROOT));
    c.optimizer().config().asMap().forEach((k, v) -> oc.set(k, MAPPER.valueToTree(v)));
    // The current rate (callbacks may have changed it), as the float32 Kava trains with.
    oc.put("learning_rate", Double.parseDouble(Float.toString((float) learningRate)));
    KerasLayerConfigs.nulls(oc, "weight_decay", "clipnorm", "global_clipnorm", "clipvalue");
    oc.put("use_ema", false);
    opt.putNull("registered_name");
    if (c.loss() != null) {
      n.set("loss", loss(c.loss()));
      n.putNull("loss_weights");
    } else {
      ObjectNode losses = n.putObject("loss");
      for (String out : outputNames) {
        losses.set(out, loss(c.losses().get(out)));
      }
      if (c.lossWeights().isEmpty()) {
        n.putNull("loss_weights");
      } else {
        ObjectNode w = n.putObject("loss_weights");
        for (String out : outputNames) {
          w.put(out, c.lossWeights().getOrDefault(out, 1.0));
        }
      }
    }
    ArrayNode metrics = n.putArray("metrics");
    for (Metric m : c.metrics()) {
      metrics.add(metric(m));
    }
    n.putNull("weighted_metrics");
    n.put("run_eagerly", false);
    n.put("steps_per_execution", 1);
    n.put("jit_compile", false);
    return n;
  }

  private static ObjectNode loss(Loss loss) {
    String name = loss.name();
    StringBuilder cls = new StringBuilder();
    for (String part : name.split("_")) {
      cls.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
    }
    ObjectNode n = MAPPER.createObjectNode().put("module", "keras.losses")
        .put("class_name", cls.toString());
    ObjectNode c = n.putObject("config").put("name", name)
        .put("reduction", "sum_over_batch_size");
    if (name.contains("crossentropy")) {
      c.put("from_logits", false);
    }
    n.putNull("registered_name");
    return n;
  }

  private static String metric(Metric m) {
    if (m instanceof Accuracy a && a.kind() != null) {
      return a.kind().name().toLowerCase(Locale.ROOT) + "_accuracy";
    }
    return m.name();
  }
}
