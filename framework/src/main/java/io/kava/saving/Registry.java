package io.kava.saving;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Rebuilds components (layers, optimizers, losses, metrics) from their saved class name and
 * {@link Config}, as Keras's serialization registry does. Immutable: {@link #with} returns a
 * copy, and a registry is passed to {@code Model.load}, so there is no global state.
 *
 * <p>A component is found, in order: by a registration in this registry; else by its Java
 * class (saved as {@code registered_name}) and that class's {@code public static
 * fromConfig(Config)}; else, for an empty config, by its public no-argument constructor. So a
 * user's layer with a {@code fromConfig} factory loads with no registration at all.
 *
 * <pre>{@code
 * jshell> var reg = Registry.defaults().with(Layer.class, "Scale", Scale::fromConfig)
 * jshell> Model m = Model.load(Path.of("saved"), reg)
 * }</pre>
 */
public final class Registry {
  private static final Registry EMPTY = new Registry(Map.of());

  private final Map<Key, Function<Config, ?>> factories;

  private record Key(Class<?> kind, String className) {}

  private Registry(Map<Key, Function<Config, ?>> factories) {
    this.factories = factories;
  }

  /**
   * The registry loading finds components by their Java class (each built-in component has
   * {@code fromConfig}); names added with {@link #with} take precedence.
   */
  public static Registry defaults() {
    return EMPTY;
  }

  /** A copy that builds {@code className} components of {@code kind} with {@code factory}. */
  public <T> Registry with(Class<T> kind, String className,
      Function<Config, ? extends T> factory) {
    if (kind == null || className == null || className.isBlank() || factory == null) {
      throw new IllegalArgumentException("Registry: kind, class name and factory must be"
          + " non-null and the name non-blank; got " + kind + ", '" + className + "', "
          + factory + ".");
    }
    Map<Key, Function<Config, ?>> copy = new HashMap<>(factories);
    copy.put(new Key(kind, className), factory);
    return new Registry(Map.copyOf(copy));
  }

  /**
   * Builds a {@code kind} from its saved description.
   *
   * @param className the saved {@code class_name} ({@code Dense})
   * @param javaClass the saved Java class name, or null
   * @param config its settings
   */
  public <T> T create(Class<T> kind, String className, String javaClass, Config config) {
    Function<Config, ?> f = factories.get(new Key(kind, className));
    Object made;
    if (f != null) {
      made = f.apply(config);
    } else {
      made = reflective(kind, className, javaClass, config);
    }
    if (!kind.isInstance(made)) {
      throw new IllegalArgumentException("Registry: '" + className + "' must build a "
          + kind.getSimpleName() + "; got " + made + ".");
    }
    return kind.cast(made);
  }

  private static Object reflective(Class<?> kind, String className, String javaClass,
      Config config) {
    String hint = " Give the class a public static fromConfig(Config) method, or register it:"
        + " Registry.defaults().with(" + kind.getSimpleName() + ".class, \"" + className
        + "\", ...) passed to Model.load.";
    if (javaClass == null) {
      throw new IllegalArgumentException("Registry: " + kind.getSimpleName() + " '" + className
          + "' must be registered (the file names no Java class for it)." + hint);
    }
    Class<?> c;
    try {
      c = Class.forName(javaClass, true, Thread.currentThread().getContextClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException("Registry: " + kind.getSimpleName() + " '"
          + className + "' needs class " + javaClass + " on the class path; it is not there."
          + hint, e);
    }
    if (!kind.isAssignableFrom(c)) {
      throw new IllegalArgumentException("Registry: class " + javaClass + " must implement "
          + kind.getName() + "; it does not.");
    }
    try {
      try {
        Method m = c.getMethod("fromConfig", Config.class);
        if (Modifier.isStatic(m.getModifiers())) {
          return m.invoke(null, config);
        }
      } catch (NoSuchMethodException e) {
        // fall through to the no-argument constructor
      }
      if (config.isEmpty()) {
        return c.getConstructor().newInstance();
      }
      throw new IllegalArgumentException("Registry: " + javaClass + " has settings " + config
          + " but no public static fromConfig(Config)." + hint);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalArgumentException("Registry: cannot build " + javaClass + ": "
          + e.getMessage() + "." + hint, e);
    }
  }

  @Override
  public String toString() {
    return "Registry(registered=" + factories.size() + ")";
  }
}
