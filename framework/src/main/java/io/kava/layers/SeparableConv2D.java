package io.kava.layers;

import io.kava.internal.Checks;
import io.kava.saving.Config;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A depthwise separable 2-D convolution, Keras's {@code SeparableConv2D}: a depthwise
 * convolution (each channel on its own, see {@link DepthwiseConv2D}) followed by a 1x1
 * pointwise convolution mixing the channels into {@code filters}, as in Xception.
 *
 * <p>Input shape {@code (h, w, c)}; output {@code (h', w', filters)} with {@code h'},
 * {@code w'} as for {@link Conv2D} (strides and padding apply to the depthwise step).
 * Weights: {@code depthwise_kernel (kh, kw, c, depthMultiplier)}, {@code pointwise_kernel
 * (1, 1, c * depthMultiplier, filters)}, {@code bias (filters)}. Defaults: strides 1, padding
 * VALID, depth multiplier 1, activation linear, bias on, both kernels {@code glorot_uniform},
 * bias zeros. No regularizers.
 *
 * <pre>{@code
 * jshell> SeparableConv2D.of(64, 3).padding(Padding.SAME).activation(Activation.RELU)
 * $1 ==> SeparableConv2D(filters=64, kernel_size=(3, 3), strides=(1, 1), padding=same,
 *        activation=relu)
 * }</pre>
 */
public final class SeparableConv2D implements Layer {
  private final int filters;
  private final DepthwiseOptions options;
  private final Initializer pointwiseInitializer;
  private final String name;

  private SeparableConv2D(int filters, DepthwiseOptions options, Initializer pointwise,
      String name) {
    this.filters = filters;
    this.options = options;
    this.pointwiseInitializer = pointwise;
    this.name = name;
  }

  /** {@code filters} output channels after a square {@code kernelSize} depthwise kernel. */
  public static SeparableConv2D of(int filters, int kernelSize) {
    return of(filters, kernelSize, kernelSize);
  }

  /** {@code filters} output channels after a {@code kernelHeight x kernelWidth} kernel. */
  public static SeparableConv2D of(int filters, int kernelHeight, int kernelWidth) {
    Checks.positive("SeparableConv2D", "filters", filters);
    return new SeparableConv2D(filters, DepthwiseOptions.of("SeparableConv2D", kernelHeight,
        kernelWidth), Initializer.glorotUniform(), null);
  }

  public SeparableConv2D strides(int stride) {
    return strides(stride, stride);
  }

  public SeparableConv2D strides(int strideHeight, int strideWidth) {
    return with(options.strides(subject(), strideHeight, strideWidth));
  }

  public SeparableConv2D padding(Padding padding) {
    return with(options.padding(subject(), padding));
  }

  /** Depthwise filters per input channel, {@code > 0}. */
  public SeparableConv2D depthMultiplier(int multiplier) {
    return with(options.depthMultiplier(subject(), multiplier));
  }

  public SeparableConv2D activation(Activation activation) {
    return with(options.activation(subject(), activation));
  }

  public SeparableConv2D useBias(boolean useBias) {
    return with(options.useBias(useBias));
  }

  public SeparableConv2D depthwiseInitializer(Initializer init) {
    return with(options.depthwiseInitializer(subject(), init));
  }

  public SeparableConv2D pointwiseInitializer(Initializer init) {
    return new SeparableConv2D(filters, options,
        Checks.notNull(subject(), "pointwiseInitializer", init), name);
  }

  public SeparableConv2D biasInitializer(Initializer init) {
    return with(options.biasInitializer(subject(), init));
  }

  public SeparableConv2D name(String name) {
    return new SeparableConv2D(filters, options, pointwiseInitializer,
        Checks.name("SeparableConv2D", name));
  }

  private SeparableConv2D with(DepthwiseOptions o) {
    return new SeparableConv2D(filters, o, pointwiseInitializer, name);
  }

  public int filters() {
    return filters;
  }

  /** Kernel {height, width}. */
  public int[] kernelSize() {
    return new int[] {options.window().height(), options.window().width()};
  }

  /** Strides {height, width}. */
  public int[] strides() {
    return new int[] {options.window().strideH(), options.window().strideW()};
  }

  public Padding padding() {
    return options.window().padding();
  }

  public int depthMultiplier() {
    return options.depthMultiplier();
  }

  public Activation activation() {
    return options.activation();
  }

  public boolean useBias() {
    return options.useBias();
  }

  public Initializer depthwiseInitializer() {
    return options.depthwise();
  }

  public Initializer pointwiseInitializer() {
    return pointwiseInitializer;
  }

  public Initializer biasInitializer() {
    return options.bias();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String type() {
    return "SeparableConv2D";
  }

  @Override
  public String defaultName() {
    return "separable_conv2d";
  }

  @Override
  public Shape outputShape(Shape inputShape) {
    long[] hw = options.outputSize(subject(), inputShape);
    return Shape.of(hw[0], hw[1], filters);
  }

  @Override
  public List<WeightSpec> weights(Shape inputShape) {
    outputShape(inputShape);
    List<WeightSpec> w = new ArrayList<>(3);
    w.add(WeightSpec.trainable("depthwise_kernel", options.depthwiseShape(inputShape),
        options.depthwise(), null));
    w.add(WeightSpec.trainable("pointwise_kernel",
        Shape.of(1, 1, inputShape.get(2) * options.depthMultiplier(), filters),
        pointwiseInitializer, null));
    if (options.useBias()) {
      w.add(WeightSpec.trainable("bias", Shape.of(filters), options.bias(), null));
    }
    return w;
  }

  @Override
  public boolean supportsLowPrecision() {
    return true;
  }

  @Override
  public Operand<TFloat32> call(LayerContext ctx, Operand<TFloat32> input) {
    Ops tf = ctx.tf();
    Operand<TFloat32> depthwise = options.convolve(tf, input, ctx.weight("depthwise_kernel"));
    Operand<TFloat32> z = tf.nn.conv2d(depthwise, ctx.weight("pointwise_kernel"),
        List.of(1L, 1L, 1L, 1L), "VALID");
    if (options.useBias()) {
      z = tf.nn.biasAdd(z, ctx.weight("bias"));
    }
    return ctx.activate(options.activation(), z);
  }

  private String subject() {
    return Checks.subject("SeparableConv2D", name);
  }

  /** Keras's config: filters, kernel_size, strides, padding, depth_multiplier, ... */
  @Override
  public Config config() {
    return options.config(Config.builder().put("filters", filters))
        .put("pointwise_initializer", pointwiseInitializer.toString()).build();
  }

  /** Rebuilds a SeparableConv2D from {@link #config()}; missing keys take the defaults. */
  public static SeparableConv2D fromConfig(Config c) {
    SeparableConv2D base = of(c.getInt("filters"), 1);
    return new SeparableConv2D(base.filters, DepthwiseOptions.read("SeparableConv2D", c),
        Initializer.parse(c.getString("pointwise_initializer", "glorot_uniform")), null);
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("SeparableConv2D(filters=").append(filters)
        .append(", ");
    String extra = pointwiseInitializer == Initializer.glorotUniform() ? ""
        : ", pointwise_initializer=" + pointwiseInitializer;
    return options.describe(b, extra, name);
  }
}
