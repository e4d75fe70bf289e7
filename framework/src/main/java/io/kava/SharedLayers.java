package io.kava;

import io.kava.layers.Layer;
import io.kava.layers.WeightSpec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The layers a new functional model shares with the models its nodes came from
 * ({@link Model#output(String)}): as in Keras, where a layer owns its weights, a shared layer
 * keeps its name, its weights and whether it is frozen. Kava's weights live in each model's
 * own session, so the new model takes a copy of them when it is defined.
 */
final class SharedLayers {
  private final List<Model> sources;

  private SharedLayers(List<Model> sources) {
    this.sources = sources;
  }

  /** The models whose nodes {@code outputs} are computed from (none for fresh nodes). */
  static SharedLayers of(List<Node> outputs) {
    Set<Model> found = Collections.newSetFromMap(new IdentityHashMap<>());
    List<Model> sources = new ArrayList<>();
    Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    ArrayDeque<Node> todo = new ArrayDeque<>();
    if (outputs != null) {
      outputs.stream().filter(n -> n != null).forEach(todo::add);
    }
    while (!todo.isEmpty()) {
      Node n = todo.pop();
      if (!seen.add(n)) {
        continue;
      }
      if (n instanceof ModelNode m) {
        // Everything upstream of a model's node is that model's: no need to look further.
        if (found.add(m.source())) {
          sources.add(m.source());
        }
      } else if (n.inputs() != null) {
        n.inputs().stream().filter(p -> p != null).forEach(todo::add);
      }
    }
    return new SharedLayers(sources);
  }

  /** The names the source models give their layers (the first source's, if several do). */
  Map<Layer, String> names() {
    Map<Layer, String> names = new IdentityHashMap<>();
    for (Model m : sources) {
      Topology t = m.topology();
      for (int l = 0; l < t.layers().size(); l++) {
        names.putIfAbsent(t.layers().get(l), t.layerNames().get(l));
      }
    }
    return names;
  }

  /**
   * The current weights of the layers of {@code t} that come from a source model, keyed by
   * {@code layer/weight} path in {@code t}; read now, so the sources may be closed afterwards.
   */
  Map<String, float[]> weights(String subject, Topology t) {
    Map<Layer, Integer> index = index(t);
    Map<Layer, Model> owner = new IdentityHashMap<>();
    Map<String, float[]> out = new HashMap<>();
    for (Model m : sources) {
      if (m.compiled().closed()) {
        throw new IllegalStateException(subject + ": its nodes come from " + m.subject()
            + ", which is closed, so its weights are gone. Build the new model before closing"
            + " the one its nodes come from.");
      }
      Topology st = m.topology();
      ModelGraph g = m.built("Model.of");
      List<float[]> values = g.weights().get();
      List<ModelGraph.Weight> list = g.weights().list();
      for (int i = 0; i < list.size(); i++) {
        ModelGraph.Weight w = list.get(i);
        Layer layer = st.layers().get(st.layerNames().indexOf(w.layer()));
        Integer l = index.get(layer);
        if (l == null) {
          continue;
        }
        Model before = owner.putIfAbsent(layer, m);
        if (before != null && before != m) {
          throw new IllegalArgumentException(subject + ": layer '" + t.layerNames().get(l)
              + "' must come from one model; its nodes come from both " + before.subject()
              + " and " + m.subject() + ". Build the new model from one model's nodes.");
        }
        out.put(t.layerNames().get(l) + "/" + w.spec().name(),
            checked(subject, t, l, w, m, values.get(i)));
      }
    }
    return out;
  }

  private static float[] checked(String subject, Topology t, int l, ModelGraph.Weight w,
      Model from, float[] value) {
    for (WeightSpec spec : t.weights(l)) {
      if (spec.name().equals(w.spec().name())) {
        if (!spec.shape().equals(w.spec().shape())) {
          throw new IllegalArgumentException(subject + ": shared layer '"
              + t.layerNames().get(l) + "' must keep the weight shapes it has in "
              + from.subject() + "; weight '" + spec.name() + "' is " + w.spec().shape()
              + " there and " + spec.shape() + " here (the layer is applied to inputs of"
              + " another shape).");
        }
        return value;
      }
    }
    throw new IllegalArgumentException(subject + ": shared layer '" + t.layerNames().get(l)
        + "' must have the weights it has in " + from.subject() + "; '" + w.spec().name()
        + "' is missing here.");
  }

  /** Each layer of {@code t} (by identity: equal configs are distinct layers) to its index. */
  private static Map<Layer, Integer> index(Topology t) {
    Map<Layer, Integer> index = new IdentityHashMap<>();
    for (int l = 0; l < t.layers().size(); l++) {
      index.put(t.layers().get(l), l);
    }
    return index;
  }

  /** The names, in {@code t}, of its layers that are frozen in the model they come from. */
  Set<String> frozen(Topology t) {
    Map<Layer, Integer> index = index(t);
    Set<String> out = new LinkedHashSet<>();
    for (Model m : sources) {
      Topology st = m.topology();
      for (String name : st.frozenNames()) {
        Integer l = index.get(st.layers().get(st.layerNames().indexOf(name)));
        if (l != null) {
          out.add(t.layerNames().get(l));
        }
      }
    }
    return out;
  }
}
