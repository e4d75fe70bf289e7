package io.kava.callbacks;

import io.kava.saving.Config;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** What the built-in callbacks share: their one-line description from their settings. */
final class Callbacks {
  private Callbacks() {}

  /** {@code defaults} with every setting of {@code given} put over it. */
  static Config over(Config defaults, Config given) {
    Config c = defaults;
    for (var e : given.asMap().entrySet()) {
      c = c.with(e.getKey(), e.getValue());
    }
    return c;
  }

  /**
   * {@code Type(k=v, ...)}: the {@code always} keys, then every setting that differs from
   * {@code defaults}, in config order.
   */
  static String describe(String type, Config config, Config defaults, String... always) {
    List<String> parts = new ArrayList<>();
    List<String> first = List.of(always);
    for (String k : first) {
      parts.add(k + "=" + config.get(k));
    }
    config.asMap().forEach((k, v) -> {
      if (!first.contains(k) && !Objects.equals(v, defaults.get(k))) {
        parts.add(k + "=" + v);
      }
    });
    return type + "(" + String.join(", ", parts) + ")";
  }
}
