package io.kava;

import java.util.List;
import org.tensorflow.types.TBfloat16;
import org.tensorflow.types.TFloat16;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TFloating;

/**
 * Keras's dtype policy: the type a layer's weights are stored in and the type it computes in.
 * Under a mixed policy the weights stay float32 (so small updates are not lost), layers compute
 * in bfloat16 or float16 (half the memory traffic; bfloat16 matrix units on CPUs with
 * AVX512_BF16 or AMX), and the loss, metrics and the model's outputs are float32.
 * {@link #MIXED_FLOAT16} also scales the loss dynamically, as Keras's
 * {@code LossScaleOptimizer}: the scale starts at 2^15, doubles after 2,000 steps with finite
 * gradients, and halves on a step whose gradients overflow, which is then skipped.
 *
 * <p>Set it on a model with {@link Model#dtypePolicy(DTypePolicy)} and override it for one
 * layer with {@link Model#dtypePolicy(String, DTypePolicy)} (Keras: the last softmax in
 * float32). Layers whose Kava implementation is float32-only (normalization, augmentation,
 * {@code ReLU} with options) compute in float32 under any policy; see
 * {@link io.kava.layers.Layer#supportsLowPrecision()}.
 *
 * <pre>{@code
 * jshell> var model = MnistSimpleCnn.create().dtypePolicy(DTypePolicy.MIXED_BFLOAT16)
 * jshell> DTypePolicy.of("mixed_float16")   // DTypePolicy(mixed_float16)
 * }</pre>
 */
public final class DTypePolicy {
  /** Everything in float32: the default. */
  public static final DTypePolicy FLOAT32 = new DTypePolicy("float32", TFloat32.class);
  /** float32 weights, bfloat16 compute: for CPUs with AVX512_BF16/AMX and TPUs. */
  public static final DTypePolicy MIXED_BFLOAT16 = new DTypePolicy("mixed_bfloat16",
      TBfloat16.class);
  /** float32 weights, float16 compute and dynamic loss scaling: for GPUs. */
  public static final DTypePolicy MIXED_FLOAT16 = new DTypePolicy("mixed_float16",
      TFloat16.class);

  private static final List<DTypePolicy> ALL = List.of(FLOAT32, MIXED_BFLOAT16, MIXED_FLOAT16);

  private final String name;
  private final Class<? extends TFloating> computeType;

  private DTypePolicy(String name, Class<? extends TFloating> computeType) {
    this.name = name;
    this.computeType = computeType;
  }

  /**
   * The policy with Keras's name {@code float32}, {@code mixed_bfloat16} or
   * {@code mixed_float16}.
   *
   * @throws IllegalArgumentException for any other name, listing the valid ones
   */
  public static DTypePolicy of(String name) {
    for (DTypePolicy p : ALL) {
      if (p.name.equals(name)) {
        return p;
      }
    }
    throw new IllegalArgumentException("DTypePolicy: name must be one of "
        + ALL.stream().map(p -> p.name).toList() + "; got '" + name + "'. Keras's float16,"
        + " bfloat16 and float64 policies (weights in low precision) are not supported.");
  }

  /** Keras's name: {@code mixed_bfloat16}. */
  public String name() {
    return name;
  }

  /** The type layers compute in: {@code float32}, {@code bfloat16} or {@code float16}. */
  public String computeDtype() {
    return name.startsWith("mixed_") ? name.substring("mixed_".length()) : name;
  }

  /** The type weights are stored in: always {@code float32}. */
  public String variableDtype() {
    return "float32";
  }

  /** Whether compute is in a 16-bit type. */
  public boolean isMixed() {
    return this != FLOAT32;
  }

  /** Whether training scales the loss (float16's narrow range underflows small gradients). */
  boolean scalesLoss() {
    return this == MIXED_FLOAT16;
  }

  /** The TF type of the compute dtype. */
  Class<? extends TFloating> computeType() {
    return computeType;
  }

  @Override
  public String toString() {
    return "DTypePolicy(" + name + ")";
  }
}
