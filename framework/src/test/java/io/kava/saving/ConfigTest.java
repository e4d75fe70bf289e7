package io.kava.saving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kava.layers.Activation;
import io.kava.layers.Add;
import io.kava.layers.AveragePooling2D;
import io.kava.layers.BatchNormalization;
import io.kava.layers.Concatenate;
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
import io.kava.losses.Loss;
import io.kava.metrics.Accuracy;
import io.kava.metrics.Metric;
import io.kava.optimizers.Adagrad;
import io.kava.optimizers.Adam;
import io.kava.optimizers.Optimizer;
import io.kava.optimizers.RMSprop;
import io.kava.optimizers.SGD;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every built-in component is rebuilt from its config, through the default registry. */
class ConfigTest {

  private static <T> void roundTrips(Class<T> kind, String className, T component,
      Config config) {
    T again = Registry.defaults().create(kind, className, component.getClass().getName(),
        config);
    assertEquals(component.toString(), again.toString(), className);
  }

  @Test
  void layersRoundTrip() {
    List<Layer> layers = List.of(
        Dense.of(7).activation(Activation.TANH).useBias(false)
            .kernelInitializer(Initializer.heNormal()).kernelRegularizer(Regularizer.l2(1e-3)),
        Conv2D.of(8, 3, 5).strides(2, 1).padding(Padding.SAME).activation(Activation.RELU),
        MaxPooling2D.of(3).strides(2).padding(Padding.SAME), AveragePooling2D.of(2, 3),
        Dropout.of(0.3), Flatten.of(), BatchNormalization.of().momentum(0.9).center(false),
        Activation.SOFTMAX, Add.of(), Concatenate.of().axis(1));
    for (Layer l : layers) {
      roundTrips(Layer.class, l.type(), l, l.config());
    }
  }

  @Test
  void optimizersLossesAndMetricsRoundTrip() {
    for (Optimizer o : List.of(new SGD(0.1).momentum(0.9).nesterov(true),
        new Adam(0.002).beta1(0.8), new RMSprop(0.01).rho(0.8).momentum(0.5),
        new Adagrad(0.05).epsilon(1e-6))) {
      roundTrips(Optimizer.class, o.name(), o, o.config());
    }
    roundTrips(Loss.class, "BinaryCrossentropy", new BinaryCrossentropy(), Config.EMPTY);
    for (Metric m : List.of(new Accuracy(), Accuracy.binary(), Accuracy.sparseCategorical())) {
      roundTrips(Metric.class, "Accuracy", m, m.config());
    }
  }

  @Test
  void missingKeysTakeTheDefaultsOfTheFactory() {
    Dense d = Dense.fromConfig(Config.of(Map.of("units", 4)));
    assertEquals(Dense.of(4).toString(), d.toString());
    assertEquals(new Adam().toString(), Adam.fromConfig(Config.EMPTY).toString());
  }

  @Test
  void typedGettersSayWhatWasExpected() {
    Config c = Config.builder().put("units", "ten").put("size", List.of(3, 3))
        .put("nested", Map.of("l2", 0.1)).build();
    var e = assertThrows(IllegalArgumentException.class, () -> c.getInt("units"));
    assertEquals("Config: 'units' must be a whole number; got \"ten\".", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> c.getInt("filters"));
    assertEquals("Config: key 'filters' must be present; got only [units, size, nested].",
        e.getMessage());
    assertEquals(3, c.getInts("size", null)[1]);
    assertEquals(0.1, c.getConfig("nested").getDouble("l2", 0));
    e = assertThrows(IllegalArgumentException.class,
        () -> Config.builder().put("x", new Object()));
    assertTrue(e.getMessage().startsWith("Config: 'x' must be a string, number"),
        e.getMessage());
  }

  @Test
  void unknownComponentsNameTheFix() {
    var e = assertThrows(IllegalArgumentException.class, () -> Registry.defaults()
        .create(Layer.class, "Mystery", null, Config.EMPTY));
    assertTrue(e.getMessage().startsWith("Registry: Layer 'Mystery' must be registered"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Registry.defaults()
        .create(Layer.class, "Mystery", "com.example.Mystery", Config.EMPTY));
    assertTrue(e.getMessage().contains("needs class com.example.Mystery on the class path"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Registry.defaults()
        .create(Layer.class, "Adam", Adam.class.getName(), Config.EMPTY));
    assertTrue(e.getMessage().contains("must implement io.kava.layers.Layer"), e.getMessage());
    Registry r = Registry.defaults().with(Layer.class, "Mystery", c -> Flatten.of());
    assertEquals("Flatten()", r.create(Layer.class, "Mystery", null, Config.EMPTY).toString());
  }
}
