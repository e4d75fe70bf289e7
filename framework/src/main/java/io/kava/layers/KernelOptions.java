package io.kava.layers;

/** The options Dense and Conv2D share, described as their one-line toString shows them. */
final class KernelOptions {
  private KernelOptions() {}

  /** Appends the non-default options and the name to {@code b}, then closes it. */
  static String describe(StringBuilder b, Activation activation, boolean useBias,
      Initializer kernel, Initializer bias, Regularizer regularizer, String name) {
    if (!activation.equals(Activation.LINEAR)) {
      b.append(", activation=").append(activation.function());
    }
    if (!useBias) {
      b.append(", use_bias=false");
    }
    if (kernel != Initializer.glorotUniform()) {
      b.append(", kernel_initializer=").append(kernel);
    }
    if (!"zeros".equals(bias.toString())) {
      b.append(", bias_initializer=").append(bias);
    }
    if (regularizer != null) {
      b.append(", kernel_regularizer=").append(regularizer);
    }
    if (name != null) {
      b.append(", name=").append(name);
    }
    return b.append(')').toString();
  }
}
