package io.kava.tools.serving;

import io.kava.saving.ModelVersions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.tensorflow.proto.error.Code;
import tensorflow.serving.FileSystemStoragePathSource.FileSystemStoragePathSourceConfig;
import tensorflow.serving.ModelServerConfigOuterClass.ModelConfig;

/**
 * One model of a server, as TF Serving serves it: a base path of numbered version folders,
 * the versions its version policy asks for (the latest {@code n}, all, or specific ones)
 * loaded, labels naming versions, and the folder polled so that versions dropped in or
 * removed while running are loaded or unloaded. A new version is loaded before an old one is
 * unloaded; a version that fails to load is retried on later polls (up to the retry limit)
 * and reported in the model's status, while the versions already loaded keep serving.
 *
 * <pre>{@code
 * jshell> var m = new ServedModel(ModelConfigs.single("mnist", Path.of("kava-output/mnist"))
 *    ...>     .getModelConfigList().getConfig(0), ServingCore.Options.defaults())
 * jshell> m.poll(); m.states()
 * }</pre>
 */
public final class ServedModel implements AutoCloseable {
  private static final Pattern VALID_NAME = Pattern.compile("[A-Za-z0-9_.\\-]+");

  private final String name;
  private final int maxLoadRetries;
  private final ServingCore.Options options;
  private final Consumer<String> log;
  private final NavigableMap<Long, ServedVersion> versions = new ConcurrentSkipListMap<>();
  private final Object polling = new Object();
  private volatile ModelConfig config;
  private volatile boolean closed;

  /**
   * A model with {@code config} (checked by {@link ModelConfigs#check}), loaded with
   * {@code options}' retries, batching and metrics; nothing is loaded until {@link #poll}.
   * The options' log receives one line per load, unload and failure.
   */
  public ServedModel(ModelConfig config, ServingCore.Options options) {
    if (config == null || !isValidName(config.getName())) {
      throw new IllegalArgumentException("ServedModel: name must be letters, digits, '_', '.'"
          + " or '-' (it is part of the URLs); got " + (config == null ? "null"
              : "'" + config.getName() + "'") + ".");
    }
    if (options == null) {
      throw new IllegalArgumentException("ServedModel '" + config.getName() + "': options must"
          + " be non-null; got null.");
    }
    this.name = config.getName();
    this.config = config;
    this.options = options;
    this.maxLoadRetries = options.maxLoadRetries();
    this.log = options.log();
  }

  /** Whether {@code name} can be served: letters, digits, '_', '.' or '-' (URL-safe). */
  public static boolean isValidName(String name) {
    return name != null && VALID_NAME.matcher(name).matches();
  }

  public String name() {
    return name;
  }

  public ModelConfig config() {
    return config;
  }

  /** Replaces the base path, version policy and labels; the next poll applies them. */
  void update(ModelConfig newConfig) {
    if (!name.equals(newConfig.getName())) {
      throw new IllegalArgumentException("ServedModel '" + name + "': cannot take the config"
          + " of model '" + newConfig.getName() + "'.");
    }
    config = newConfig;
  }

  /**
   * The versions the policy asks for among those on disk: the newest {@code num_versions}
   * (default 1), all, or the specific ones that exist.
   */
  static NavigableSet<Long> aspired(FileSystemStoragePathSourceConfig.ServableVersionPolicy policy,
      NavigableSet<Long> onDisk) {
    NavigableSet<Long> wanted = new TreeSet<>();
    switch (policy.getPolicyChoiceCase()) {
      case ALL -> wanted.addAll(onDisk);
      case SPECIFIC -> policy.getSpecific().getVersionsList().stream()
          .filter(onDisk::contains).forEach(wanted::add);
      default -> {
        int n = Math.max(1, policy.getLatest().getNumVersions());
        for (Long v : onDisk.descendingSet()) {
          if (wanted.size() == n) {
            break;
          }
          wanted.add(v);
        }
      }
    }
    return wanted;
  }

  /**
   * Looks at the base path once: loads the versions the policy asks for that are not loaded
   * (newest first), then unloads the versions it no longer asks for, keeping them if no
   * version it asks for is available. Never throws: failures are logged and kept in the
   * versions' status.
   */
  public void poll() {
    synchronized (polling) {
      if (closed) {
        return;
      }
      ModelConfig c = config;
      Path base = Path.of(c.getBasePath());
      NavigableMap<Long, Path> onDisk;
      try {
        if (!Files.isDirectory(base)) {
          throw new IllegalArgumentException("base path " + base + " must be a directory; it "
              + (Files.exists(base) ? "is a file." : "does not exist."));
        }
        onDisk = ModelVersions.list(base);
      } catch (RuntimeException e) {
        log.accept("Model '" + name + "': cannot list versions: " + e.getMessage());
        return;
      }
      NavigableSet<Long> wanted = aspired(c.getModelVersionPolicy(), onDisk.navigableKeySet());
      for (Long v : wanted.descendingSet()) {
        ServedVersion sv = versions.get(v);
        if (sv == null || !sv.dir().equals(onDisk.get(v)) && sv.state()
            != ServedVersion.State.AVAILABLE) {
          sv = new ServedVersion(name, v, onDisk.get(v), options);
          versions.put(v, sv);
        }
        boolean retry = !sv.error().isEmpty() && sv.failedLoads() <= maxLoadRetries;
        if (sv.state() == ServedVersion.State.START || retry) {
          if (sv.load()) {
            log.accept("Successfully loaded servable version {name: " + name + " version: "
                + v + "} from " + sv.dir());
          } else {
            log.accept(sv.error() + (sv.failedLoads() <= maxLoadRetries ? " (retrying on the"
                + " next poll)" : " (giving up after " + sv.failedLoads() + " attempts)"));
          }
        }
      }
      boolean anyWantedAvailable = wanted.stream().map(versions::get)
          .anyMatch(sv -> sv != null && sv.state() == ServedVersion.State.AVAILABLE);
      for (ServedVersion sv : versions.values()) {
        if (!wanted.contains(sv.version()) && anyWantedAvailable
            && sv.state() == ServedVersion.State.AVAILABLE) {
          sv.unload();
          log.accept("Unloaded servable version {name: " + name + " version: "
              + sv.version() + "}");
        }
      }
      // Versions that failed and are gone from disk no longer need a status.
      versions.values().removeIf(sv -> sv.state() == ServedVersion.State.END
          && !sv.error().isEmpty() && !onDisk.containsKey(sv.version()));
    }
  }

  /** The AVAILABLE versions, oldest first. */
  public NavigableSet<Long> available() {
    NavigableSet<Long> out = new TreeSet<>();
    versions.forEach((v, sv) -> {
      if (sv.state() == ServedVersion.State.AVAILABLE) {
        out.add(v);
      }
    });
    return out;
  }

  /** Every version this model has seen, with its state and error (empty if none). */
  public Map<Long, Map.Entry<String, String>> states() {
    Map<Long, Map.Entry<String, String>> out = new LinkedHashMap<>();
    versions.forEach((v, sv) -> out.put(v, Map.entry(sv.state().name(), sv.error())));
    return Collections.unmodifiableMap(out);
  }

  /**
   * A lease on the version a request asks for: {@code version}, else the one
   * {@code label} names, else the newest available.
   *
   * @throws ServingException NOT_FOUND for an unknown version, FAILED_PRECONDITION for one
   *     that is known but not loaded, INVALID_ARGUMENT for an unknown label
   */
  public Lease lease(Long version, String label) {
    Long v = version;
    if (v == null && label != null) {
      v = config.getVersionLabelsMap().get(label);
      if (v == null) {
        throw new ServingException(Code.INVALID_ARGUMENT, "Unrecognized servable version"
            + " label: " + label);
      }
    }
    if (v == null) {
      for (ServedVersion sv : versions.descendingMap().values()) {
        Lease lease = sv.lease();
        if (lease != null) {
          return lease;
        }
      }
      throw new ServingException(Code.NOT_FOUND, "Servable not found for request: Latest("
          + name + ")");
    }
    ServedVersion sv = versions.get(v);
    Lease lease = sv == null ? null : sv.lease();
    if (lease != null) {
      return lease;
    }
    boolean unloaded = sv == null || sv.state() == ServedVersion.State.END
        && sv.error().isEmpty();
    if (!unloaded && sv.state() != ServedVersion.State.END) {
      throw new ServingException(Code.FAILED_PRECONDITION, "Servable version " + v
          + " of model '" + name + "' is not available: it is " + sv.state() + ".");
    }
    if (unloaded && onDisk(v)) {
      throw new ServingException(Code.FAILED_PRECONDITION, "Servable version " + v
          + " of model '" + name + "' is not loaded: its folder exists, but the version policy"
          + " does not select it.");
    }
    if (!unloaded) {
      throw new ServingException(Code.FAILED_PRECONDITION, "Servable version " + v
          + " of model '" + name + "' is not available: " + sv.error());
    }
    throw new ServingException(Code.NOT_FOUND, "Servable not found for request: Specific("
        + name + ", " + v + ")");
  }

  private boolean onDisk(long v) {
    try {
      return ModelVersions.list(Path.of(config.getBasePath())).containsKey(v);
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Unloads every version (after the requests that hold them) and stops loading. */
  @Override
  public void close() {
    synchronized (polling) {
      closed = true;
      versions.values().forEach(ServedVersion::unload);
    }
  }

  @Override
  public String toString() {
    return "ServedModel " + name + " at " + config.getBasePath() + " " + available();
  }
}
