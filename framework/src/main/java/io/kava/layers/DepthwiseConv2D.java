package io.kava.layers;

import io.kava.internal.Checks;
import io.kava.saving.Config;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * A depthwise 2-D convolution, Keras's {@code DepthwiseConv2D}: each input channel is
 * convolved with its own {@code depthMultiplier} filters and channels are never mixed, the
 * spatial half of MobileNet's blocks.
 *
 * <p>Input shape {@code (h, w, c)}; output {@code (h', w', c * depthMultiplier)} with output
 * channel {@code i * depthMultiplier + j} from input channel {@code i} and filter {@code j};
 * {@code h'}, {@code w'} as for {@link Conv2D}. Weights: {@code depthwise_kernel (kh, kw, c,
 * depthMultiplier)} and {@code bias (c * depthMultiplier)} (tf.keras's and the pretrained
 * files' names; Keras 3 calls the first {@code kernel}). Defaults: strides 1, padding VALID,
 * depth multiplier 1, activation linear, bias on, depthwise kernel {@code glorot_uniform}, bias
 * zeros. No regularizers.
 *
 * <pre>{@code
 * jshell> DepthwiseConv2D.of(3).padding(Padding.SAME)
 * $1 ==> DepthwiseConv2D(kernel_size=(3, 3), strides=(1, 1), padding=same)
 * jshell> DepthwiseConv2D.of(3).strides(2).depthMultiplier(2).useBias(false)
 * }</pre>
 */
public final class DepthwiseConv2D implements Layer {
  private final DepthwiseOptions options;
  private final String name;

  private DepthwiseConv2D(DepthwiseOptions options, String name) {
    this.options = options;
    this.name = name;
  }

  /** A square {@code kernelSize x kernelSize} depthwise kernel. */
  public static DepthwiseConv2D of(int kernelSize) {
    return of(kernelSize, kernelSize);
  }

  /** A {@code kernelHeight x kernelWidth} depthwise kernel. */
  public static DepthwiseConv2D of(int kernelHeight, int kernelWidth) {
    return new DepthwiseConv2D(DepthwiseOptions.of("DepthwiseConv2D", kernelHeight,
        kernelWidth), null);
  }

  public DepthwiseConv2D strides(int stride) {
    return strides(stride, stride);
  }

  public DepthwiseConv2D strides(int strideHeight, int strideWidth) {
    return with(options.strides(subject(), strideHeight, strideWidth));
  }

  public DepthwiseConv2D padding(Padding padding) {
    return with(options.padding(subject(), padding));
  }

  /** Filters per input channel, {@code > 0}. */
  public DepthwiseConv2D depthMultiplier(int multiplier) {
    return with(options.depthMultiplier(subject(), multiplier));
  }

  public DepthwiseConv2D activation(Activation activation) {
    return with(options.activation(subject(), activation));
  }

  public DepthwiseConv2D useBias(boolean useBias) {
    return with(options.useBias(useBias));
  }

  public DepthwiseConv2D depthwiseInitializer(Initializer init) {
    return with(options.depthwiseInitializer(subject(), init));
  }

  public DepthwiseConv2D biasInitializer(Initializer init) {
    return with(options.biasInitializer(subject(), init));
  }

  public DepthwiseConv2D name(String name) {
    return new DepthwiseConv2D(options, Checks.name("DepthwiseConv2D", name));
  }

  private DepthwiseConv2D with(DepthwiseOptions o) {
    return new DepthwiseConv2D(o, name);
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

  public Initializer biasInitializer() {
    return options.bias();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String type() {
    return "DepthwiseConv2D";
  }

  @Override
  public String defaultName() {
    return "depthwise_conv2d";
  }

  @Override
  public Shape outputShape(Shape inputShape) {
    long[] hw = options.outputSize(subject(), inputShape);
    return Shape.of(hw[0], hw[1], inputShape.get(2) * options.depthMultiplier());
  }

  @Override
  public List<WeightSpec> weights(Shape inputShape) {
    Shape out = outputShape(inputShape);
    List<WeightSpec> w = new ArrayList<>(2);
    w.add(WeightSpec.trainable("depthwise_kernel", options.depthwiseShape(inputShape),
        options.depthwise(), null));
    if (options.useBias()) {
      w.add(WeightSpec.trainable("bias", Shape.of(out.get(2)), options.bias(), null));
    }
    return w;
  }

  @Override
  public boolean supportsLowPrecision() {
    return true;
  }

  @Override
  public Operand<TFloat32> call(LayerContext ctx, Operand<TFloat32> input) {
    Operand<TFloat32> z = options.convolve(ctx.tf(), input, ctx.weight("depthwise_kernel"));
    if (options.useBias()) {
      z = ctx.tf().nn.biasAdd(z, ctx.weight("bias"));
    }
    return ctx.activate(options.activation(), z);
  }

  private String subject() {
    return Checks.subject("DepthwiseConv2D", name);
  }

  /** Keras's config: kernel_size, strides, padding, depth_multiplier, activation, ... */
  @Override
  public Config config() {
    return options.config(Config.builder()).build();
  }

  /** Rebuilds a DepthwiseConv2D from {@link #config()}; missing keys take the defaults. */
  public static DepthwiseConv2D fromConfig(Config c) {
    return new DepthwiseConv2D(DepthwiseOptions.read("DepthwiseConv2D", c), null);
  }

  @Override
  public String toString() {
    return options.describe(new StringBuilder("DepthwiseConv2D("), "", name);
  }
}
