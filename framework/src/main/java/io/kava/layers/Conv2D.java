package io.kava.layers;

import io.kava.internal.Checks;
import io.kava.saving.Config;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * A 2-D convolution over NHWC images, Keras's {@code Conv2D}.
 *
 * <p>Input shape {@code (h, w, c)}; output {@code (h', w', filters)} where each output size
 * is {@code floor((in - k) / s) + 1} with padding VALID or {@code ceil(in / s)} with SAME.
 * Weights: {@code kernel (kh, kw, c, filters)}, {@code bias (filters)}. Defaults: strides 1,
 * padding VALID, activation linear, bias on, kernel {@code glorot_uniform}, bias zeros.
 * Input channels are inferred, never stated.
 *
 * <pre>{@code
 * jshell> Conv2D.of(32, 3).activation(Activation.RELU)
 * $1 ==> Conv2D(filters=32, kernel_size=(3, 3), strides=(1, 1), activation=relu)
 * jshell> Conv2D.of(96, 11, 11).strides(4).padding(Padding.SAME)
 * }</pre>
 */
public final class Conv2D implements Layer {
  private final int filters;
  private final Window window;
  private final Activation activation;
  private final boolean useBias;
  private final Initializer kernelInitializer;
  private final Initializer biasInitializer;
  private final Regularizer kernelRegularizer;
  private final String name;

  private Conv2D(int filters, Window window, Activation activation, boolean useBias,
      Initializer kernelInit, Initializer biasInit, Regularizer kernelRegularizer, String name) {
    this.filters = filters;
    this.window = window;
    this.activation = activation;
    this.useBias = useBias;
    this.kernelInitializer = kernelInit;
    this.biasInitializer = biasInit;
    this.kernelRegularizer = kernelRegularizer;
    this.name = name;
  }

  /** {@code filters} output channels with a square {@code kernelSize x kernelSize} kernel. */
  public static Conv2D of(int filters, int kernelSize) {
    return of(filters, kernelSize, kernelSize);
  }

  /** {@code filters} output channels with a {@code kernelHeight x kernelWidth} kernel. */
  public static Conv2D of(int filters, int kernelHeight, int kernelWidth) {
    Checks.positive("Conv2D", "filters", filters);
    if (kernelHeight <= 0 || kernelWidth <= 0) {
      throw Checks.invalid("Conv2D", "kernel size", "> 0",
          kernelHeight <= 0 ? kernelHeight : kernelWidth, null);
    }
    return new Conv2D(filters, new Window(kernelHeight, kernelWidth, 1, 1, Padding.VALID),
        Activation.LINEAR, true, Initializer.glorotUniform(), Initializer.zeros(), null, null);
  }

  public Conv2D strides(int stride) {
    return strides(stride, stride);
  }

  public Conv2D strides(int strideHeight, int strideWidth) {
    return withWindow(Window.of(subject(), window.height(), window.width(), strideHeight,
        strideWidth, window.padding()));
  }

  public Conv2D padding(Padding padding) {
    return withWindow(Window.of(subject(), window.height(), window.width(), window.strideH(),
        window.strideW(), padding));
  }

  public Conv2D activation(Activation activation) {
    return new Conv2D(filters, window, Checks.notNull(subject(), "activation", activation),
        useBias, kernelInitializer, biasInitializer, kernelRegularizer, name);
  }

  public Conv2D useBias(boolean useBias) {
    return new Conv2D(filters, window, activation, useBias, kernelInitializer, biasInitializer,
        kernelRegularizer, name);
  }

  public Conv2D kernelInitializer(Initializer init) {
    return new Conv2D(filters, window, activation, useBias,
        Checks.notNull(subject(), "kernelInitializer", init), biasInitializer, kernelRegularizer,
        name);
  }

  public Conv2D biasInitializer(Initializer init) {
    return new Conv2D(filters, window, activation, useBias, kernelInitializer,
        Checks.notNull(subject(), "biasInitializer", init), kernelRegularizer, name);
  }

  /** Adds {@code regularizer}'s penalty on the kernel to the loss; {@code null} removes it. */
  public Conv2D kernelRegularizer(Regularizer regularizer) {
    return new Conv2D(filters, window, activation, useBias, kernelInitializer, biasInitializer,
        regularizer, name);
  }

  public Conv2D name(String name) {
    return new Conv2D(filters, window, activation, useBias, kernelInitializer, biasInitializer,
        kernelRegularizer, Checks.name("Conv2D", name));
  }

  private Conv2D withWindow(Window w) {
    return new Conv2D(filters, w, activation, useBias, kernelInitializer, biasInitializer,
        kernelRegularizer, name);
  }

  public int filters() {
    return filters;
  }

  public Activation activation() {
    return activation;
  }

  /** Kernel {height, width}. */
  public int[] kernelSize() {
    return new int[] {window.height(), window.width()};
  }

  /** Strides {height, width}. */
  public int[] strides() {
    return new int[] {window.strideH(), window.strideW()};
  }

  public Padding padding() {
    return window.padding();
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
    return "Conv2D";
  }

  @Override
  public String defaultName() {
    return "conv2d";
  }

  @Override
  public Shape outputShape(Shape inputShape) {
    long[] hw = window.outputSize(subject(), inputShape);
    return Shape.of(hw[0], hw[1], filters);
  }

  @Override
  public List<WeightSpec> weights(Shape inputShape) {
    outputShape(inputShape);
    List<WeightSpec> w = new ArrayList<>(2);
    w.add(WeightSpec.trainable("kernel",
        Shape.of(window.height(), window.width(), inputShape.get(2), filters), kernelInitializer,
        kernelRegularizer));
    if (useBias) {
      w.add(WeightSpec.trainable("bias", Shape.of(filters), biasInitializer, null));
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
    Operand<TFloat32> z = tf.nn.conv2d(input, ctx.weight("kernel"), window.strides(),
        window.paddingName());
    if (useBias) {
      z = tf.nn.biasAdd(z, ctx.weight("bias"));
    }
    return ctx.activate(activation, z);
  }

  private String subject() {
    return Checks.subject("Conv2D", name);
  }

  /** Keras's config: filters, kernel_size, strides, padding, activation, use_bias, ... */
  @Override
  public Config config() {
    return KernelOptions.config(Config.builder().put("filters", filters)
        .put("kernel_size", kernelSize()).put("strides", strides())
        .put("padding", padding().kerasName()), activation, useBias, kernelInitializer,
        biasInitializer, kernelRegularizer);
  }

  /** Rebuilds a Conv2D from {@link #config()}; missing keys take the defaults of {@link #of}. */
  public static Conv2D fromConfig(Config c) {
    int[] k = c.getInts("kernel_size", null);
    if (k == null || k.length != 2) {
      throw Checks.invalid("Conv2D", "config kernel_size", "two whole numbers",
          c.get("kernel_size"), null);
    }
    Conv2D d = of(c.getInt("filters"), k[0], k[1]);
    int[] s = c.getInts("strides", d.strides());
    KernelOptions.Read o = KernelOptions.read(c, d.activation, d.useBias, d.kernelInitializer,
        d.biasInitializer);
    return d.strides(s[0], s.length > 1 ? s[1] : s[0])
        .padding(Padding.of(c.getString("padding", d.padding().kerasName())))
        .activation(o.activation()).useBias(o.useBias()).kernelInitializer(o.kernel())
        .biasInitializer(o.bias()).kernelRegularizer(o.regularizer());
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("Conv2D(filters=").append(filters).append(", ")
        .append(window.describe("kernel_size"));
    return KernelOptions.describe(b, activation, useBias, kernelInitializer, biasInitializer,
        kernelRegularizer, name);
  }
}
