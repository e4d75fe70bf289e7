package io.kava.layers;

import io.kava.internal.Checks;
import io.kava.saving.Config;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * A fully connected layer: {@code activation(x @ kernel + bias)}, Keras's {@code Dense}.
 *
 * <p>Input shape {@code (n)}, output shape {@code (units)}: put a {@link Flatten} before it
 * for images. Weights: {@code kernel (n, units)}, {@code bias (units)}. Defaults: activation
 * linear, bias on, kernel {@code glorot_uniform}, bias zeros, no regularizer.
 *
 * <pre>{@code
 * jshell> Dense.of(10).activation(Activation.SOFTMAX).name("output_layer")
 * $1 ==> Dense(units=10, activation=softmax, name=output_layer)
 * }</pre>
 */
public final class Dense implements Layer {
  private final int units;
  private final Activation activation;
  private final boolean useBias;
  private final Initializer kernelInitializer;
  private final Initializer biasInitializer;
  private final Regularizer kernelRegularizer;
  private final String name;

  private Dense(int units, Activation activation, boolean useBias, Initializer kernelInit,
      Initializer biasInit, Regularizer kernelRegularizer, String name) {
    this.units = units;
    this.activation = activation;
    this.useBias = useBias;
    this.kernelInitializer = kernelInit;
    this.biasInitializer = biasInit;
    this.kernelRegularizer = kernelRegularizer;
    this.name = name;
  }

  /** A dense layer with {@code units} outputs. */
  public static Dense of(int units) {
    Checks.positive("Dense", "units", units);
    return new Dense(units, Activation.LINEAR, true, Initializer.glorotUniform(),
        Initializer.zeros(), null, null);
  }

  public Dense activation(Activation activation) {
    return new Dense(units, Checks.notNull(subject(), "activation", activation), useBias,
        kernelInitializer, biasInitializer, kernelRegularizer, name);
  }

  public Dense useBias(boolean useBias) {
    return new Dense(units, activation, useBias, kernelInitializer, biasInitializer,
        kernelRegularizer, name);
  }

  public Dense kernelInitializer(Initializer init) {
    return new Dense(units, activation, useBias, Checks.notNull(subject(), "kernelInitializer",
        init), biasInitializer, kernelRegularizer, name);
  }

  public Dense biasInitializer(Initializer init) {
    return new Dense(units, activation, useBias, kernelInitializer,
        Checks.notNull(subject(), "biasInitializer", init), kernelRegularizer, name);
  }

  /** Adds {@code regularizer}'s penalty on the kernel to the loss; {@code null} removes it. */
  public Dense kernelRegularizer(Regularizer regularizer) {
    return new Dense(units, activation, useBias, kernelInitializer, biasInitializer, regularizer,
        name);
  }

  public Dense name(String name) {
    return new Dense(units, activation, useBias, kernelInitializer, biasInitializer,
        kernelRegularizer, Checks.name("Dense", name));
  }

  public int units() {
    return units;
  }

  public Activation activation() {
    return activation;
  }

  public boolean useBias() {
    return useBias;
  }

  public Initializer kernelInitializer() {
    return kernelInitializer;
  }

  public Initializer biasInitializer() {
    return biasInitializer;
  }

  /** The kernel's regularizer, or null. */
  public Regularizer kernelRegularizer() {
    return kernelRegularizer;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String type() {
    return "Dense";
  }

  @Override
  public String defaultName() {
    return "dense";
  }

  @Override
  public Shape outputShape(Shape inputShape) {
    if (inputShape.numDimensions() != 1) {
      throw new IllegalArgumentException(subject() + ": input must have rank 1 per sample; got"
          + " shape " + Checks.shape(inputShape) + ". Add Flatten.of() before it.");
    }
    return Shape.of(units);
  }

  @Override
  public List<WeightSpec> weights(Shape inputShape) {
    outputShape(inputShape);
    List<WeightSpec> w = new ArrayList<>(2);
    w.add(WeightSpec.trainable("kernel", Shape.of(inputShape.get(0), units), kernelInitializer,
        kernelRegularizer));
    if (useBias) {
      w.add(WeightSpec.trainable("bias", Shape.of(units), biasInitializer, null));
    }
    return w;
  }

  @Override
  public boolean supportsLowPrecision() {
    return true;
  }

  @Override
  public Operand<TFloat32> call(LayerContext ctx, Operand<TFloat32> input) {
    var tf = ctx.tf();
    Operand<TFloat32> z = tf.linalg.matMul(input, ctx.weight("kernel"));
    if (useBias) {
      z = tf.nn.biasAdd(z, ctx.weight("bias"));
    }
    return ctx.activate(activation, z);
  }

  private String subject() {
    return Checks.subject("Dense", name);
  }

  /** Keras's config: units, activation, use_bias, initializers, kernel_regularizer. */
  @Override
  public Config config() {
    return KernelOptions.config(Config.builder().put("units", units), activation, useBias,
        kernelInitializer, biasInitializer, kernelRegularizer);
  }

  /** Rebuilds a Dense from {@link #config()}; missing keys take the defaults of {@link #of}. */
  public static Dense fromConfig(Config c) {
    Dense d = of(c.getInt("units"));
    KernelOptions.Read k = KernelOptions.read(c, d.activation, d.useBias, d.kernelInitializer,
        d.biasInitializer);
    return d.activation(k.activation()).useBias(k.useBias()).kernelInitializer(k.kernel())
        .biasInitializer(k.bias()).kernelRegularizer(k.regularizer());
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("Dense(units=").append(units);
    return KernelOptions.describe(b, activation, useBias, kernelInitializer, biasInitializer,
        kernelRegularizer, name);
  }
}
