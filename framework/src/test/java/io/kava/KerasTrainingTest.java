package io.kava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kava.losses.BinaryCrossentropy;
import io.kava.losses.MeanSquaredError;
import io.kava.metrics.Accuracy;
import io.kava.optimizers.Adam;
import io.kava.optimizers.RMSprop;
import io.kava.optimizers.SGD;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Keras training configs of each version to Kava compile settings, or to what did not map. */
class KerasTrainingTest {

  static KerasTraining.Mapped map(String json, String... outputs) throws Exception {
    return KerasTraining.map(new ObjectMapper().readTree(json), List.of(outputs));
  }

  @Test
  void keras1And2OptimizerConfigsWithLr() throws Exception {
    KerasTraining.Mapped m = map("{\"optimizer_config\": {\"class_name\": \"RMSprop\","
        + " \"config\": {\"lr\": 0.01, \"rho\": 0.8, \"epsilon\": 1e-08, \"decay\": 0.0}},"
        + " \"loss\": \"mse\", \"metrics\": [], \"sample_weight_mode\": null,"
        + " \"loss_weights\": null}", "out");
    RMSprop r = assertInstanceOf(RMSprop.class, m.compile().optimizer());
    assertEquals(0.01, r.learningRate(), 1e-12);
    assertEquals(0.8, r.rho());
    assertEquals(1e-8, r.epsilon());
    assertInstanceOf(MeanSquaredError.class, m.compile().loss());
    assertEquals(List.of(), m.unmapped());
  }

  @Test
  void perOutputLossesWeightsAndNestedMetrics() throws Exception {
    KerasTraining.Mapped m = map("{\"optimizer\": \"sgd\", \"loss\": {\"a\":"
        + " \"binary_crossentropy\", \"b\": \"mean_squared_error\"}, \"loss_weights\": [1.0,"
        + " 0.5], \"metrics\": [[\"acc\"], [{\"class_name\": \"MeanMetricWrapper\", \"config\":"
        + " {\"name\": \"acc\", \"fn\": \"binary_accuracy\"}}]]}", "a", "b");
    assertInstanceOf(SGD.class, m.compile().optimizer());
    assertInstanceOf(BinaryCrossentropy.class, m.compile().losses().get("a"));
    assertInstanceOf(MeanSquaredError.class, m.compile().losses().get("b"));
    assertEquals(Map.of("a", 1.0, "b", 0.5), m.compile().lossWeights());
    // Keras's "acc" and binary_accuracy both log as accuracy in Kava: one metric.
    assertEquals(1, m.compile().metrics().size());
    assertNull(assertInstanceOf(Accuracy.class, m.compile().metrics().get(0)).kind());
  }

  @Test
  void keras3CompileConfigWithAdam() throws Exception {
    KerasTraining.Mapped m = map("{\"optimizer\": {\"module\": \"keras.optimizers\","
        + " \"class_name\": \"Adam\", \"config\": {\"name\": \"adam\", \"learning_rate\":"
        + " 0.0005, \"weight_decay\": null, \"clipnorm\": null, \"global_clipnorm\": null,"
        + " \"clipvalue\": null, \"use_ema\": false, \"beta_1\": 0.8, \"beta_2\": 0.99,"
        + " \"epsilon\": 1e-07, \"amsgrad\": false}, \"registered_name\": null}, \"loss\":"
        + " \"categorical_crossentropy\", \"metrics\": [\"categorical_accuracy\"]}", "out");
    Adam a = assertInstanceOf(Adam.class, m.compile().optimizer());
    assertEquals(0.0005, a.learningRate(), 1e-12);
    assertEquals(0.8, a.beta1());
    assertEquals(Accuracy.Kind.CATEGORICAL,
        ((Accuracy) m.compile().metrics().get(0)).kind());
  }

  @Test
  void whatKavaCannotReproduceIsListedAndNothingIsCompiled() throws Exception {
    KerasTraining.Mapped m = map("{\"optimizer\": {\"class_name\": \"Adam\", \"config\":"
        + " {\"learning_rate\": {\"class_name\": \"ExponentialDecay\", \"config\": {}},"
        + " \"amsgrad\": true, \"clipnorm\": 1.0}}, \"loss\": \"hinge\", \"metrics\":"
        + " [\"mae\"], \"weighted_metrics\": [\"accuracy\"]}", "out");
    assertNull(m.compile());
    assertEquals(List.of("learning-rate schedule ExponentialDecay", "optimizer clipnorm=1.0",
        "optimizer amsgrad=true", "loss hinge",
        "weighted_metrics [\"accuracy\"]", "metric mae"), m.unmapped());
  }
}
