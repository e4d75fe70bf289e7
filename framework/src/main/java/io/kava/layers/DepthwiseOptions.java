package io.kava.layers;

import io.kava.internal.Checks;
import io.kava.saving.Config;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * What {@link DepthwiseConv2D} and {@link SeparableConv2D} share: the window, the depth
 * multiplier, activation, bias and the depthwise kernel's initializer; the depthwise
 * convolution itself; and these options' config and description under Keras's names.
 */
record DepthwiseOptions(Window window, int depthMultiplier, Activation activation,
    boolean useBias, Initializer depthwise, Initializer bias) {

  /** A {@code kh x kw} window, stride 1, VALID; multiplier 1, linear, bias on, Keras's inits. */
  static DepthwiseOptions of(String type, int kernelHeight, int kernelWidth) {
    if (kernelHeight <= 0 || kernelWidth <= 0) {
      throw Checks.invalid(type, "kernel size", "> 0",
          kernelHeight <= 0 ? kernelHeight : kernelWidth, null);
    }
    return new DepthwiseOptions(new Window(kernelHeight, kernelWidth, 1, 1, Padding.VALID), 1,
        Activation.LINEAR, true, Initializer.glorotUniform(), Initializer.zeros());
  }

  DepthwiseOptions strides(String subject, int strideHeight, int strideWidth) {
    return withWindow(Window.of(subject, window.height(), window.width(), strideHeight,
        strideWidth, window.padding()));
  }

  DepthwiseOptions padding(String subject, Padding padding) {
    return withWindow(Window.of(subject, window.height(), window.width(), window.strideH(),
        window.strideW(), padding));
  }

  private DepthwiseOptions withWindow(Window w) {
    return new DepthwiseOptions(w, depthMultiplier, activation, useBias, depthwise, bias);
  }

  DepthwiseOptions depthMultiplier(String subject, int multiplier) {
    Checks.positive(subject, "depth multiplier", multiplier);
    return new DepthwiseOptions(window, multiplier, activation, useBias, depthwise, bias);
  }

  DepthwiseOptions activation(String subject, Activation a) {
    return new DepthwiseOptions(window, depthMultiplier, Checks.notNull(subject, "activation",
        a), useBias, depthwise, bias);
  }

  DepthwiseOptions useBias(boolean on) {
    return new DepthwiseOptions(window, depthMultiplier, activation, on, depthwise, bias);
  }

  DepthwiseOptions depthwiseInitializer(String subject, Initializer init) {
    return new DepthwiseOptions(window, depthMultiplier, activation, useBias,
        Checks.notNull(subject, "depthwiseInitializer", init), bias);
  }

  DepthwiseOptions biasInitializer(String subject, Initializer init) {
    return new DepthwiseOptions(window, depthMultiplier, activation, useBias, depthwise,
        Checks.notNull(subject, "biasInitializer", init));
  }

  /** Output {@code (h', w')} for an image input, as a convolution with this window. */
  long[] outputSize(String subject, Shape input) {
    return window.outputSize(subject, input);
  }

  /** The depthwise kernel's shape for an image input: {@code (kh, kw, c, multiplier)}. */
  Shape depthwiseShape(Shape input) {
    return Shape.of(window.height(), window.width(), input.get(2), depthMultiplier);
  }

  /** Each input channel convolved with its own {@code multiplier} filters, channel-major. */
  Operand<TFloat32> convolve(Ops tf, Operand<TFloat32> input, Operand<TFloat32> kernel) {
    return tf.nn.depthwiseConv2dNative(input, kernel, window.strides(), window.paddingName());
  }

  /** Adds the shared settings to {@code b} under Keras's names. */
  Config.Builder config(Config.Builder b) {
    return b.put("kernel_size", new int[] {window.height(), window.width()})
        .put("strides", new int[] {window.strideH(), window.strideW()})
        .put("padding", window.padding().kerasName()).put("depth_multiplier", depthMultiplier)
        .put("activation", activation.function()).put("use_bias", useBias)
        .put("depthwise_initializer", depthwise.toString())
        .put("bias_initializer", bias.toString());
  }

  /** The shared settings of config {@code c}; missing keys take the defaults of {@link #of}. */
  static DepthwiseOptions read(String type, Config c) {
    int[] k = c.getInts("kernel_size", null);
    if (k == null || k.length == 0 || k.length > 2) {
      throw Checks.invalid(type, "config kernel_size", "one or two whole numbers",
          c.get("kernel_size"), null);
    }
    DepthwiseOptions d = of(type, k[0], k.length > 1 ? k[1] : k[0]);
    for (String unsupported : new String[] {"depthwise_regularizer", "bias_regularizer",
        "pointwise_regularizer"}) {
      if (c.has(unsupported)) {
        throw Checks.invalid(type, "config " + unsupported, "null (not supported by Kava's "
            + type + ")", c.get(unsupported), null);
      }
    }
    int[] s = c.getInts("strides", new int[] {1, 1});
    return d.strides(type, s[0], s.length > 1 ? s[1] : s[0])
        .padding(type, Padding.of(c.getString("padding", "valid")))
        .depthMultiplier(type, c.getInt("depth_multiplier", 1))
        .activation(type, Activation.of(c.getString("activation", "linear")))
        .useBias(c.getBoolean("use_bias", true))
        .depthwiseInitializer(type, Initializer.parse(c.getString("depthwise_initializer",
            d.depthwise.toString())))
        .biasInitializer(type, Initializer.parse(c.getString("bias_initializer",
            d.bias.toString())));
  }

  /**
   * Appends the window, the non-default settings, {@code extra} (the caller's own, each
   * starting with a comma) and the name to {@code b}, then closes it.
   */
  String describe(StringBuilder b, String extra, String name) {
    b.append(window.describe("kernel_size"));
    if (depthMultiplier != 1) {
      b.append(", depth_multiplier=").append(depthMultiplier);
    }
    if (!activation.equals(Activation.LINEAR)) {
      b.append(", activation=").append(activation.function());
    }
    if (!useBias) {
      b.append(", use_bias=false");
    }
    if (depthwise != Initializer.glorotUniform()) {
      b.append(", depthwise_initializer=").append(depthwise);
    }
    if (!"zeros".equals(bias.toString())) {
      b.append(", bias_initializer=").append(bias);
    }
    b.append(extra);
    if (name != null) {
      b.append(", name=").append(name);
    }
    return b.append(')').toString();
  }
}
