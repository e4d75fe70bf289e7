package io.kava;

import io.kava.internal.Checks;
import io.kava.layers.Input;
import io.kava.layers.Layer;
import io.kava.saving.Registry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.Shape;

/**
 * A linear stack of layers, as Keras's {@code Sequential}: a {@link Model} whose layers each
 * take the previous one's output. Everything else (compile, fit, evaluate, predict, save,
 * export) is {@link Model}'s. The input shape comes from a leading {@link Input} or from the
 * first data the model sees. Layers get Keras's names ({@code conv2d}, {@code conv2d_1}...)
 * unless named; each position is its own layer, even if the same object is added twice.
 *
 * <pre>{@code
 * jshell> var model = new Sequential(Input.of(28, 28, 1),
 *    ...>     Conv2D.of(32, 3).activation(Activation.RELU), MaxPooling2D.of(2),
 *    ...>     Flatten.of(), Dense.of(10).activation(Activation.SOFTMAX))
 * jshell> model.compile(new Adam(), new CategoricalCrossentropy(), new Accuracy())
 * jshell> model.fit(x, y, FitOptions.defaults().epochs(1).seed(42))
 * jshell> model.summary()
 * }</pre>
 */
public final class Sequential extends Model {
  private final List<Layer> layers = new ArrayList<>();
  private final List<String> names = new ArrayList<>();
  private final Topology.Names taken = new Topology.Names(this::subject);
  private Input input;

  /** A model of {@code layers}; an {@link Input} may come first. */
  public Sequential(Layer... layers) {
    super("sequential", null);
    for (Layer l : layers) {
      add(l);
    }
  }

  /** Appends a layer. Fails once the model is built (its graph exists). */
  public Sequential add(Layer layer) {
    return add(layer, null);
  }

  /** Appends {@code layer} under {@code name} (a loaded model's), or its own name if null. */
  Sequential add(Layer layer, String name) {
    Checks.notNull(subject(), "layer", layer);
    if (compiled().graph() != null) {
      throw new IllegalStateException(subject() + ": cannot add " + layer + " after the model"
          + " was built; add every layer before compile, fit or predict.");
    }
    if (layer instanceof Input in) {
      if (!layers.isEmpty() || input != null) {
        throw new IllegalArgumentException(subject() + ": Input must be the first layer and"
            + " appear once; got " + in + " after " + (input != null && layers.isEmpty()
            ? "another Input" : layers.size() + " layer(s)") + ".");
      }
      input = in;
      chain();
      return this;
    }
    if (input != null) {
      // Fail at add time, naming the layer, if the shapes do not chain.
      layer.outputShape(outputShapeOf(input.shape()));
    }
    names.add(taken.take(layer, name));
    layers.add(layer);
    chain();
    return this;
  }

  private Shape outputShapeOf(Shape in) {
    Shape s = in;
    for (Layer l : layers) {
      s = l.outputShape(s);
    }
    return s;
  }

  @Override
  public Sequential name(String name) {
    super.name(name);
    return this;
  }

  @Override
  public Sequential dtypePolicy(DTypePolicy policy) {
    super.dtypePolicy(policy);
    return this;
  }

  @Override
  public Sequential dtypePolicy(String layerName, DTypePolicy policy) {
    super.dtypePolicy(layerName, policy);
    return this;
  }

  @Override
  public Sequential seed(long seed) {
    super.seed(seed);
    return this;
  }

  /** The layers, without the {@link Input}. */
  public List<Layer> layers() {
    return Collections.unmodifiableList(layers);
  }

  /** The layer names the model uses ({@code conv2d}, {@code dense_1}...). */
  public List<String> layerNames() {
    return Collections.unmodifiableList(names);
  }

  /** The per-sample input shape, or null while unknown. */
  public Shape inputShape() {
    return input == null ? null : input.shape();
  }

  /** The per-sample output shape; needs the input shape. */
  public Shape outputShape() {
    return requireTopology("outputShape").outputShape(0);
  }

  @Override
  public String summaryString() {
    Topology t = topology();
    String policy = t != null ? Summary.policy(t)
        : dtypePolicy().isMixed() ? dtypePolicy().name() : null;
    return Summary.of(name(), layers, names, inputShape(), policy);
  }

  /** The topology of the stack, once the input shape is known and a layer exists. */
  private void chain() {
    topology(input == null || layers.isEmpty() ? null : Topology.chain(input,
        input.name() == null ? "input_layer" : input.name(), layers, names));
  }

  @Override
  void inferTopology(FloatNdArray x) {
    if (input == null) {
      if (layers.isEmpty()) {
        throw new IllegalStateException(subject() + ": the model has no layers.");
      }
      if (x.rank() < 2) {
        throw new IllegalArgumentException(subject() + ": x must have a batch dimension and"
            + " at least one sample dimension; got shape " + x.shape() + ".");
      }
      Shape sample = Data.sampleShape(x);
      outputShapeOf(sample);
      input = Input.of(sample.asArray());
      chain();
    }
    requireTopology("fit");
  }

  @Override
  void checkCompilable() {
    if (layers.isEmpty()) {
      throw new IllegalStateException(subject() + ": compile needs at least one layer; got an"
          + " empty model.");
    }
  }

  /** Loads a Sequential written by {@link #save}; see {@link Model#load}. */
  public static Sequential load(Path dir) {
    return load(dir, Registry.defaults());
  }

  /** {@link #load(Path)} with {@code registry} to find the user's own components. */
  public static Sequential load(Path dir, Registry registry) {
    Model m = ModelFiles.load(dir, registry, "Sequential.load");
    if (m instanceof Sequential s) {
      return s;
    }
    m.close();
    throw new IllegalArgumentException("Sequential.load: " + dir + " must hold a Sequential"
        + " model; it holds a functional one. Use Model.load.");
  }

  @Override
  String kind() {
    return "Sequential";
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("Sequential(name=").append(name()).append(", layers=")
        .append(layers.size());
    if (input != null) {
      b.append(", input=").append(Checks.shape(input.shape()))
          .append(String.format(Locale.ROOT, ", params=%,d", countParams()));
    }
    return b.append(compiled().describe()).append(')').toString();
  }
}
