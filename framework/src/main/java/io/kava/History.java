package io.kava;

import io.kava.callbacks.Callback;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What {@code fit} returns: per-epoch values of the loss, metrics and their {@code val_}
 * versions, as Keras's {@code History.history}. It is the callback {@code fit} adds after the
 * user's, so it also records the keys they add ({@code learning_rate}).
 *
 * <pre>{@code
 * jshell> History h = model.fit(x, y, FitOptions.defaults().epochs(3))
 * h ==> History(epochs=3, last: accuracy=0.9712, loss=0.0884)
 * jshell> h.get("loss")
 * }</pre>
 */
public final class History implements Callback {
  private final Map<String, List<Double>> values = new LinkedHashMap<>();
  private final List<Integer> epochs = new ArrayList<>();

  /** Records the logs of one finished epoch (0-based); {@code fit} adds it last. */
  @Override
  public void onEpochEnd(Model model, int epoch, Map<String, Double> logs) {
    epochs.add(epoch);
    for (var e : logs.entrySet()) {
      values.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue());
    }
  }

  /** The values of {@code key} per epoch ({@code loss}, {@code val_accuracy}...). */
  public List<Double> get(String key) {
    List<Double> v = values.get(key);
    if (v == null) {
      throw new IllegalArgumentException("History: key must be one of " + values.keySet()
          + "; got '" + key + "'.");
    }
    return Collections.unmodifiableList(v);
  }

  /** The recorded keys, in the order they first appeared. */
  public Set<String> keys() {
    return Collections.unmodifiableSet(values.keySet());
  }

  /** The epoch numbers (0-based) that ran, as Keras's {@code History.epoch}. */
  public List<Integer> epochs() {
    return Collections.unmodifiableList(epochs);
  }

  /** The last value of {@code key}. */
  public double last(String key) {
    List<Double> v = get(key);
    return v.get(v.size() - 1);
  }

  /** All values, keyed as Keras's {@code history.history}. */
  public Map<String, List<Double>> asMap() {
    Map<String, List<Double>> copy = new LinkedHashMap<>();
    values.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    return copy;
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("History(epochs=").append(epochs.size());
    if (!epochs.isEmpty()) {
      b.append(", last:");
      String sep = " ";
      for (String k : values.keySet()) {
        b.append(sep).append(k).append('=')
            .append(String.format(Locale.ROOT, "%.4f", last(k)));
        sep = ", ";
      }
    }
    return b.append(')').toString();
  }
}
