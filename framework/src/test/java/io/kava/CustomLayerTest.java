package io.kava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kava.layers.Activation;
import io.kava.layers.Dense;
import io.kava.layers.Flatten;
import io.kava.layers.Initializer;
import io.kava.layers.Input;
import io.kava.layers.Layer;
import io.kava.layers.LayerContext;
import io.kava.layers.WeightSpec;
import io.kava.losses.CategoricalCrossentropy;
import io.kava.metrics.Accuracy;
import io.kava.optimizers.Adam;
import io.kava.saving.Config;
import io.kava.saving.Registry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/** A user's own layer trains, saves, loads and exports without any change to Kava. */
class CustomLayerTest {

  /** {@code x * scale + offset}, a trainable per-feature scale, like a user would write. */
  public static final class Scale implements Layer {
    private final double init;
    private final String name;

    public Scale(double init, String name) {
      this.init = init;
      this.name = name;
    }

    public static Scale fromConfig(Config c) {
      return new Scale(c.getDouble("init", 1), null);
    }

    @Override
    public Config config() {
      return Config.builder().put("init", init).build();
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public String type() {
      return "Scale";
    }

    @Override
    public String defaultName() {
      return "scale";
    }

    @Override
    public Shape outputShape(Shape inputShape) {
      return inputShape;
    }

    @Override
    public List<WeightSpec> weights(Shape inputShape) {
      return List.of(WeightSpec.trainable("scale", inputShape, Initializer.constant(init), null));
    }

    @Override
    public Operand<TFloat32> call(LayerContext ctx, Operand<TFloat32> input) {
      return ctx.tf().math.mul(input, ctx.weight("scale"));
    }
  }

  /** A layer without fromConfig: it loads once registered. */
  public static final class Square implements Layer {
    private final int power;

    Square(int power) {
      this.power = power;
    }

    @Override
    public Config config() {
      return Config.builder().put("power", power).build();
    }

    @Override
    public String name() {
      return null;
    }

    @Override
    public String type() {
      return "Square";
    }

    @Override
    public String defaultName() {
      return "square";
    }

    @Override
    public Shape outputShape(Shape inputShape) {
      return inputShape;
    }

    @Override
    public Operand<TFloat32> call(LayerContext ctx, Operand<TFloat32> input) {
      Operand<TFloat32> y = input;
      for (int i = 1; i < power; i++) {
        y = ctx.tf().math.mul(y, input);
      }
      return y;
    }
  }

  private static Sequential model(Layer custom) {
    return new Sequential(Input.of(8, 8, 1), Flatten.of(), custom,
        Dense.of(3).activation(Activation.SOFTMAX)).seed(2);
  }

  @Test
  void aCustomLayerTrainsSavesLoadsAndExports(@TempDir Path tmp) throws Exception {
    FloatNdArray x = SavingTest.images(48, 1);
    FloatNdArray y = SavingTest.labels(x);
    Path dir = tmp.resolve("m");
    FloatNdArray before;
    try (Sequential m = model(new Scale(0.5, "my_scale"))) {
      m.compile(new Adam(0.01), new CategoricalCrossentropy(), new Accuracy());
      List<FloatNdArray> start = m.getWeights();
      m.fit(x, y, FitOptions.defaults().epochs(2).verbose(0).seed(1));
      assertTrue(!start.get(0).equals(m.getWeights().get(0)), "the scale was trained");
      before = m.predict(x);
      m.save(dir);
      m.export(tmp.resolve("export"));
    }
    String json = Files.readString(dir.resolve("kava.json"));
    assertTrue(json.contains("\"registered_name\" : \"io.kava.CustomLayerTest$Scale\""), json);
    try (Sequential again = Sequential.load(dir)) {
      assertEquals(before, again.predict(x));
      assertEquals("my_scale", again.layerNames().get(1));
      again.fit(x, y, FitOptions.defaults().epochs(3).verbose(0).seed(1)
          .initialEpoch(again.epochsCompleted()));
    }
    try (var served = io.kava.saving.SavedModel.load(tmp.resolve("export"))) {
      FloatNdArray out = served.predict(java.util.Map.of("input_layer", x)).get("output_0");
      assertEquals(before.getFloat(5, 1), out.getFloat(5, 1), 1e-6f);
    }
  }

  @Test
  void aLayerWithoutFromConfigLoadsThroughARegistry(@TempDir Path tmp) {
    FloatNdArray x = SavingTest.images(8, 2);
    Path dir = tmp.resolve("m");
    FloatNdArray before;
    try (Sequential m = model(new Square(2))) {
      before = m.predict(x);
      m.save(dir);
    }
    var e = assertThrows(IllegalArgumentException.class, () -> Model.load(dir));
    assertTrue(e.getMessage().contains("no public static fromConfig(Config)"), e.getMessage());
    assertTrue(e.getMessage().contains("Registry.defaults().with(Layer.class, \"Square\""),
        e.getMessage());
    Registry registry = Registry.defaults().with(Layer.class, "Square",
        c -> new Square(c.getInt("power")));
    try (Model again = Model.load(dir, registry)) {
      assertEquals(Sequential.class, again.getClass());
      assertEquals(before, again.predict(x));
    }
  }
}
