package io.kava.saving;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The settings of a layer, optimizer, loss or metric, as Keras's {@code get_config()}: an
 * immutable, ordered map of JSON-ready values (strings, numbers, booleans, null, lists and
 * nested configs). Components write one in {@code config()} and are rebuilt from it by a
 * {@code fromConfig(Config)} factory, which reads each setting with the component's own
 * default as fallback, so a default is written once.
 *
 * <pre>{@code
 * jshell> Dense.of(10).activation(Activation.SOFTMAX).config()
 * $1 ==> {units=10, activation=softmax, use_bias=true, ...}
 * jshell> Dense.fromConfig($1)
 * }</pre>
 */
public final class Config {
  /** No settings. */
  public static final Config EMPTY = new Config(Map.of());

  private final Map<String, Object> values;

  private Config(Map<String, Object> values) {
    this.values = values;
  }

  /** A builder keeping the order of {@code put}s. */
  public static Builder builder() {
    return new Builder();
  }

  /** A config of {@code map}'s entries (values as {@link Builder#put} accepts them). */
  public static Config of(Map<String, ?> map) {
    Builder b = builder();
    map.forEach(b::put);
    return b.build();
  }

  /**
   * A copy with {@code key} set to {@code value} (values as {@link Builder#put} accepts them):
   * in place if the key exists, else appended. Components with settings-only state use this
   * for their {@code with}-style copies.
   */
  public Config with(String key, Object value) {
    Builder b = builder();
    values.forEach(b::put);
    return b.put(key, value).build();
  }

  /** The values, in order; nested configs stay {@code Config}s. */
  public Map<String, Object> asMap() {
    return values;
  }

  public boolean has(String key) {
    return values.containsKey(key) && values.get(key) != null;
  }

  public boolean isEmpty() {
    return values.isEmpty();
  }

  /** The raw value, or null. */
  public Object get(String key) {
    return values.get(key);
  }

  public int getInt(String key, int fallback) {
    return has(key) ? Math.toIntExact(wholeNumber(key)) : fallback;
  }

  public int getInt(String key) {
    require(key);
    return Math.toIntExact(wholeNumber(key));
  }

  public long getLong(String key, long fallback) {
    return has(key) ? wholeNumber(key) : fallback;
  }

  public double getDouble(String key, double fallback) {
    if (!has(key)) {
      return fallback;
    }
    if (values.get(key) instanceof Number n) {
      return n.doubleValue();
    }
    throw wrong(key, "a number");
  }

  public boolean getBoolean(String key, boolean fallback) {
    if (!has(key)) {
      return fallback;
    }
    if (values.get(key) instanceof Boolean b) {
      return b;
    }
    throw wrong(key, "true or false");
  }

  public String getString(String key, String fallback) {
    if (!has(key)) {
      return fallback;
    }
    if (values.get(key) instanceof String s) {
      return s;
    }
    throw wrong(key, "a string");
  }

  public String getString(String key) {
    require(key);
    return getString(key, null);
  }

  /** A list of whole numbers ({@code [3, 3]}); a single number is a list of one. */
  public long[] getLongs(String key, long[] fallback) {
    if (!has(key)) {
      return fallback;
    }
    Object v = values.get(key);
    List<?> list = v instanceof List<?> l ? l : List.of(v);
    long[] out = new long[list.size()];
    for (int i = 0; i < out.length; i++) {
      if (!(list.get(i) instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
        throw wrong(key, "a list of whole numbers");
      }
      out[i] = n.longValue();
    }
    return out;
  }

  /** {@link #getLongs} as ints. */
  public int[] getInts(String key, int[] fallback) {
    if (!has(key)) {
      return fallback;
    }
    long[] l = getLongs(key, null);
    int[] out = new int[l.length];
    for (int i = 0; i < l.length; i++) {
      out[i] = Math.toIntExact(l[i]);
    }
    return out;
  }

  /** A nested config, or null. */
  public Config getConfig(String key) {
    if (!has(key)) {
      return null;
    }
    if (values.get(key) instanceof Config c) {
      return c;
    }
    throw wrong(key, "an object");
  }

  private long wholeNumber(String key) {
    if (values.get(key) instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
      return n.longValue();
    }
    throw wrong(key, "a whole number");
  }

  private void require(String key) {
    if (!has(key)) {
      throw new IllegalArgumentException("Config: key '" + key + "' must be present; got only "
          + values.keySet() + ".");
    }
  }

  private IllegalArgumentException wrong(String key, String expected) {
    return new IllegalArgumentException("Config: '" + key + "' must be " + expected + "; got "
        + show(values.get(key)) + ".");
  }

  private static String show(Object v) {
    return v instanceof String s ? "\"" + s + "\"" : String.valueOf(v);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Config c && c.values.equals(values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  @Override
  public String toString() {
    return values.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(", ", "{", "}"));
  }

  /** Collects entries in order; {@link #build()} freezes them. */
  public static final class Builder {
    private final Map<String, Object> values = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Adds {@code key}: a string, number, boolean, null, {@code int[]}/{@code long[]}/
     * {@code double[]}, a {@link List} of those, a {@link Map} or a nested {@link Config}.
     */
    public Builder put(String key, Object value) {
      Objects.requireNonNull(key, "Config: key must be non-null");
      values.put(key, normalize(key, value));
      return this;
    }

    public Config build() {
      return values.isEmpty() ? EMPTY
          : new Config(Collections.unmodifiableMap(new LinkedHashMap<>(values)));
    }

    private static Object normalize(String key, Object v) {
      if (v == null || v instanceof String || v instanceof Boolean || v instanceof Config) {
        return v;
      }
      if (v instanceof Integer || v instanceof Long) {
        return ((Number) v).longValue();
      }
      if (v instanceof Number n) {
        return n.doubleValue();
      }
      if (v instanceof int[] a) {
        return java.util.Arrays.stream(a).mapToObj(i -> (Object) (long) i).toList();
      }
      if (v instanceof long[] a) {
        return java.util.Arrays.stream(a).mapToObj(i -> (Object) i).toList();
      }
      if (v instanceof double[] a) {
        return java.util.Arrays.stream(a).mapToObj(i -> (Object) i).toList();
      }
      if (v instanceof Map<?, ?> m) {
        Builder b = new Builder();
        m.forEach((k, x) -> b.put(String.valueOf(k), x));
        return b.build();
      }
      if (v instanceof List<?> l) {
        List<Object> out = new ArrayList<>(l.size());
        l.forEach(x -> out.add(normalize(key, x)));
        return Collections.unmodifiableList(out);
      }
      throw new IllegalArgumentException("Config: '" + key + "' must be a string, number,"
          + " boolean, null, list or config; got a " + v.getClass().getName() + ".");
    }
  }
}
