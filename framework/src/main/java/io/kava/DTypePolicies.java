package io.kava;

import io.kava.internal.Checks;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A model's dtype policies: its own and the layers' overrides, by layer name. Immutable; the
 * model swaps in a new one and reapplies it to its topology.
 */
final class DTypePolicies {
  static final DTypePolicies DEFAULT = new DTypePolicies(DTypePolicy.FLOAT32, Map.of());

  private final DTypePolicy model;
  private final Map<String, DTypePolicy> layers;

  private DTypePolicies(DTypePolicy model, Map<String, DTypePolicy> layers) {
    this.model = model;
    this.layers = layers;
  }

  DTypePolicy model() {
    return model;
  }

  /** The layers' own policies, by layer name, in the order they were given. */
  Map<String, DTypePolicy> layers() {
    return layers;
  }

  DTypePolicies withModel(String subject, DTypePolicy policy) {
    return new DTypePolicies(Checks.notNull(subject, "dtype policy", policy), layers);
  }

  DTypePolicies withLayer(String subject, String layer, DTypePolicy policy) {
    Checks.notNull(subject, "layer name", layer);
    Map<String, DTypePolicy> all = new LinkedHashMap<>(layers);
    all.put(layer, Checks.notNull(subject, "dtype policy", policy));
    return new DTypePolicies(model, java.util.Collections.unmodifiableMap(all));
  }

  /** {@code t} with these policies; fails naming the model if a layer name is unknown. */
  Topology apply(String subject, Topology t) {
    return t.withPolicies(subject, model, layers);
  }

  /**
   * Prints one line to {@code err} when {@code policy} computes in bfloat16 and the CPU has no
   * bfloat16 arithmetic: it works (TensorFlow emulates it) but runs slower than float32.
   */
  static void warnIfEmulated(DTypePolicy policy, CpuFeatures cpu, PrintStream err) {
    if (policy.computeDtype().equals("bfloat16") && !cpu.bfloat16()) {
      err.println("Kava: warning: " + policy.name() + " on a CPU without AVX512_BF16 or AMX:"
          + " bfloat16 is emulated and will be slower than float32.");
    }
  }
}
