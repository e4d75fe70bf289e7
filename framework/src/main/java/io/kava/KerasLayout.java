package io.kava;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where Keras's weight files keep the weights of a model whose config nests models as layers,
 * which the importer flattens into one Kava graph. Keras 3 ({@code keras/src/saving/
 * saving_lib.py}) saves a model's layers under {@code layers/<snake_case class>[_n]}, numbered
 * per class in layer order, and a nested model's own layers below it, so a MobileNetV2 base
 * inside a Sequential keeps its first convolution at {@code layers/functional/layers/conv2d}.
 * Keras 2 ({@code legacy_h5_format.save_weights_to_hdf5_group}) writes one group per top-level
 * layer, named after it; a nested model's group holds all its layers' weights, each named
 * {@code <layer>/<weight>:0}, so they are told apart by the layer part of their names.
 *
 * @param items the model's layers in Keras's order (a functional model's InputLayers included)
 */
record KerasLayout(List<Item> items) {

  /** One layer of a model config. */
  sealed interface Item permits Leaf, Nested {
    String kerasName();

    String cls();
  }

  /** A layer; {@code kavaName} is its name in the flattened Kava model (null for inputs). */
  record Leaf(String kerasName, String cls, String kavaName) implements Item {}

  /** A model used as a layer. */
  record Nested(String kerasName, String cls, KerasLayout inner) implements Item {}

  /** Whether any layer is a nested model. */
  boolean nested() {
    return items.stream().anyMatch(i -> i instanceof Nested);
  }

  /** Each Kava layer's Keras 3 path below the file's {@code layers} group. */
  Map<String, String> keras3Paths() {
    Map<String, String> out = new LinkedHashMap<>();
    paths("", this, out);
    return out;
  }

  private static void paths(String prefix, KerasLayout l, Map<String, String> out) {
    Map<String, Integer> used = new HashMap<>();
    for (Item item : l.items()) {
      String base = KerasWeights.snakeCase(item.cls());
      int n = used.merge(base, 1, Integer::sum) - 1;
      String path = prefix + (n == 0 ? base : base + "_" + n);
      if (item instanceof Leaf leaf && leaf.kavaName() != null) {
        out.put(leaf.kavaName(), path);
      } else if (item instanceof Nested nested) {
        paths(path + "/layers/", nested.inner(), out);
      }
    }
  }

  /**
   * The stored weights of each Kava layer from a Keras 2 file's per-layer groups: a top-level
   * layer's group by its name, a nested model's group split by the layer part of each weight's
   * name. Groups the model has no layer for are left out (the caller reports them).
   */
  Map<String, List<KerasWeights.Stored>> keras2(Map<String, List<KerasWeights.Stored>> groups,
      String where) {
    Map<String, List<KerasWeights.Stored>> out = new LinkedHashMap<>();
    for (Item item : items) {
      List<KerasWeights.Stored> group = groups.get(item.kerasName());
      if (group == null) {
        continue;
      }
      if (item instanceof Leaf leaf && leaf.kavaName() != null) {
        out.put(leaf.kavaName(), group);
      } else if (item instanceof Nested nested) {
        Map<String, String> leaves = new LinkedHashMap<>();
        List<String> twice = new ArrayList<>();
        nested.inner().leaves(leaves, twice);
        for (KerasWeights.Stored s : group) {
          String[] parts = s.path().split("/");
          String layer = parts.length >= 2 ? parts[parts.length - 2] : "";
          String kava = leaves.get(layer);
          if (kava == null || twice.contains(layer)) {
            throw new IllegalArgumentException(where + ": weight '" + s.path() + "' of nested"
                + " model '" + item.kerasName() + "' must name one of its layers as"
                + " <layer>/<weight>; got layer '" + layer + "', which the model "
                + (kava == null ? "does not have" : "has more than once") + " (its layers: "
                + leaves.keySet() + ").");
          }
          out.computeIfAbsent(kava, k -> new ArrayList<>()).add(s);
        }
      }
    }
    return out;
  }

  /** Keras name to Kava name of every layer, nested ones included; names seen twice noted. */
  private void leaves(Map<String, String> out, List<String> twice) {
    for (Item item : items) {
      if (item instanceof Leaf leaf && leaf.kavaName() != null) {
        if (out.put(leaf.kerasName(), leaf.kavaName()) != null) {
          twice.add(leaf.kerasName());
        }
      } else if (item instanceof Nested nested) {
        nested.inner().leaves(out, twice);
      }
    }
  }
}
