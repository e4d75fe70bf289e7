package io.kava.layers;

import io.kava.internal.Checks;
import io.kava.saving.Config;
import java.util.Locale;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * An activation function, usable both as a layer option ({@code Dense.of(10).activation(
 * Activation.SOFTMAX)}) and as a layer of its own, like Keras's {@code Activation("relu")}.
 *
 * <p>Input and output shape: any; same shape. No weights.
 *
 * <pre>{@code
 * jshell> new Sequential(Input.of(4), Dense.of(3), Activation.SOFTMAX)
 * jshell> Activation.of("relu")          // Keras's string form
 * }</pre>
 */
public final class Activation implements Layer {
  /** Identity: Keras's default (no activation). */
  public static final Activation LINEAR = new Activation("linear", null);
  public static final Activation RELU = new Activation("relu", null);
  public static final Activation SIGMOID = new Activation("sigmoid", null);
  public static final Activation SOFTMAX = new Activation("softmax", null);
  public static final Activation TANH = new Activation("tanh", null);
  public static final Activation ELU = new Activation("elu", null);
  public static final Activation SELU = new Activation("selu", null);
  public static final Activation SOFTPLUS = new Activation("softplus", null);
  public static final Activation SOFTSIGN = new Activation("softsign", null);
  /** x * sigmoid(x), also called SiLU. */
  public static final Activation SWISH = new Activation("swish", null);

  private static final Activation[] ALL = {
      LINEAR, RELU, SIGMOID, SOFTMAX, TANH, ELU, SELU, SOFTPLUS, SOFTSIGN, SWISH};

  private final String function;
  private final String name;

  private Activation(String function, String name) {
    this.function = function;
    this.name = name;
  }

  /** Parses Keras's name ({@code "relu"}, {@code "softmax"}...); {@code null} is linear. */
  public static Activation of(String kerasName) {
    if (kerasName == null) {
      return LINEAR;
    }
    for (Activation a : ALL) {
      if (a.function.equals(kerasName.toLowerCase(Locale.ROOT))) {
        return a;
      }
    }
    throw new IllegalArgumentException("Activation: name must be one of linear, relu, sigmoid,"
        + " softmax, tanh, elu, selu, softplus, softsign, swish; got '" + kerasName + "'.");
  }

  /** Keras's name of the function: {@code "relu"}. */
  public String function() {
    return function;
  }

  /** This activation as a layer with the given name. */
  public Activation name(String layerName) {
    return new Activation(function, Checks.name("Activation", layerName));
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String type() {
    return "Activation";
  }

  @Override
  public String defaultName() {
    return "activation";
  }

  @Override
  public Shape outputShape(Shape inputShape) {
    return inputShape;
  }

  @Override
  public Operand<TFloat32> call(LayerContext ctx, Operand<TFloat32> input) {
    return ctx.activate(this, input);
  }

  /** Adds the function's ops. Softmax acts on the last axis. */
  public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x) {
    return switch (function) {
      case "linear" -> x;
      case "relu" -> tf.nn.relu(x);
      case "sigmoid" -> tf.math.sigmoid(x);
      case "softmax" -> tf.nn.softmax(x);
      case "tanh" -> tf.math.tanh(x);
      case "elu" -> tf.nn.elu(x);
      case "selu" -> tf.nn.selu(x);
      case "softplus" -> tf.math.softplus(x);
      case "softsign" -> tf.nn.softsign(x);
      case "swish" -> tf.math.mul(x, tf.math.sigmoid(x));
      default -> throw new AssertionError(function);
    };
  }

  /** Same function (names are ignored): {@code Activation.RELU.name("a").equals(RELU)}. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Activation a && a.function.equals(function);
  }

  @Override
  public int hashCode() {
    return function.hashCode();
  }

  /** Keras's config: activation. */
  @Override
  public Config config() {
    return Config.builder().put("activation", function).build();
  }

  /** Rebuilds an Activation layer from {@link #config()}. */
  public static Activation fromConfig(Config c) {
    return of(c.getString("activation"));
  }

  @Override
  public String toString() {
    return name == null ? "Activation(" + function + ")"
        : "Activation(" + function + ", name=" + name + ")";
  }
}
