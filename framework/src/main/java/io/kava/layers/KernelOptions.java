package io.kava.layers;

import io.kava.saving.Config;

/**
 * The options Dense and Conv2D share: described as their one-line toString shows them, and
 * written to and read from their configs under Keras's names.
 */
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

  /** The shared options, as read from a config. */
  record Read(Activation activation, boolean useBias, Initializer kernel, Initializer bias,
      Regularizer regularizer) {}

  /** Adds the shared options to a config under Keras's names. */
  static Config config(Config.Builder b, Activation activation, boolean useBias,
      Initializer kernel, Initializer bias, Regularizer regularizer) {
    return b.put("activation", activation.function()).put("use_bias", useBias)
        .put("kernel_initializer", kernel.toString())
        .put("bias_initializer", bias.toString())
        .put("kernel_regularizer", regularizer == null ? null : regularizer.config())
        .build();
  }

  /** Reads the shared options, each missing one taking the given default. */
  static Read read(Config c, Activation activation, boolean useBias, Initializer kernel,
      Initializer bias) {
    return new Read(Activation.of(c.getString("activation", activation.function())),
        c.getBoolean("use_bias", useBias),
        Initializer.parse(c.getString("kernel_initializer", kernel.toString())),
        Initializer.parse(c.getString("bias_initializer", bias.toString())),
        Regularizer.fromConfig(c.getConfig("kernel_regularizer")));
  }
}
