package io.kava.tools.serving;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.tensorflow.proto.error.Code;
import tensorflow.serving.ModelServerConfigOuterClass.ModelConfig;
import tensorflow.serving.ModelServerConfigOuterClass.ModelServerConfig;

/**
 * The models a server serves, as TF Serving's ServerCore: built from a model server config
 * (one model from {@code --model_name}/{@code --model_base_path}, or a
 * {@code --model_config_file}), each model's base path polled for versions, the config
 * reloadable while serving (models added, removed, policies and labels changed), and requests
 * resolved to a leased model version.
 *
 * <pre>{@code
 * jshell> var core = ServingCore.start(ModelConfigs.parse(Path.of("models.config")),
 *    ...>     ServingCore.Options.defaults())
 * jshell> try (Lease lease = core.lease("half_plus_two", null, null)) { ... }
 * }</pre>
 */
public final class ServingCore implements AutoCloseable {
  /**
   * How models are loaded and run: {@code pollSeconds} between looks at the base paths (0:
   * never), {@code maxLoadRetries} retries of a failing version (TF Serving's
   * {@code --max_num_load_retries}), whether labels may name versions that are not loaded
   * ({@code --allow_version_labels_for_unavailable_models}), where log lines go, the batch
   * scheduler that merges concurrent requests (null: no batching; {@code --enable_batching}),
   * the metrics that loads and requests are counted in, and how many times each record of a
   * version's warmup file is replayed before it serves ({@code warmupIterations}, TF
   * Serving's {@code --num_request_iterations_for_warmup}; 0 turns warmup off, as
   * {@code --enable_model_warmup=false}).
   */
  public record Options(double pollSeconds, int maxLoadRetries,
      boolean allowLabelsForUnavailable, Consumer<String> log, BatchScheduler batching,
      ServingMetrics metrics, int warmupIterations) {
    public Options {
      if (!(pollSeconds >= 0) || Double.isInfinite(pollSeconds)) {
        throw new IllegalArgumentException("ServingCore: poll seconds must be finite and >= 0;"
            + " got " + pollSeconds + ".");
      }
      if (maxLoadRetries < 0) {
        throw new IllegalArgumentException("ServingCore: max load retries must be >= 0; got "
            + maxLoadRetries + ".");
      }
      if (warmupIterations < 0) {
        throw new IllegalArgumentException("ServingCore: warmup iterations must be >= 0; got "
            + warmupIterations + ".");
      }
      log = log == null ? s -> {} : log;
      metrics = metrics == null ? new ServingMetrics() : metrics;
    }

    /**
     * TF Serving's defaults: poll every second, 5 retries, labels only on loaded versions,
     * no batching, fresh metrics, warmup on (each warmup record replayed once).
     */
    public static Options defaults() {
      return new Options(1, 5, false, System.out::println, null, new ServingMetrics(), 1);
    }

    public Options pollSeconds(double seconds) {
      return new Options(seconds, maxLoadRetries, allowLabelsForUnavailable, log, batching,
          metrics, warmupIterations);
    }

    public Options maxLoadRetries(int retries) {
      return new Options(pollSeconds, retries, allowLabelsForUnavailable, log, batching,
          metrics, warmupIterations);
    }

    public Options allowLabelsForUnavailable(boolean allow) {
      return new Options(pollSeconds, maxLoadRetries, allow, log, batching, metrics,
          warmupIterations);
    }

    public Options log(Consumer<String> sink) {
      return new Options(pollSeconds, maxLoadRetries, allowLabelsForUnavailable, sink, batching,
          metrics, warmupIterations);
    }

    /** Batches requests with {@code scheduler} (null: off); the caller closes it. */
    public Options batching(BatchScheduler scheduler) {
      return new Options(pollSeconds, maxLoadRetries, allowLabelsForUnavailable, log, scheduler,
          metrics, warmupIterations);
    }

    public Options metrics(ServingMetrics m) {
      return new Options(pollSeconds, maxLoadRetries, allowLabelsForUnavailable, log, batching,
          m, warmupIterations);
    }

    /** Replays each warmup record {@code iterations} times before serving (0: no warmup). */
    public Options warmupIterations(int iterations) {
      return new Options(pollSeconds, maxLoadRetries, allowLabelsForUnavailable, log, batching,
          metrics, iterations);
    }

    @Override
    public String toString() {
      return "ServingCore.Options poll " + pollSeconds + " s, " + maxLoadRetries + " retries"
          + (allowLabelsForUnavailable ? ", labels on unloaded versions" : "")
          + (batching == null ? "" : ", " + batching)
          + (warmupIterations == 1 ? "" : ", warmup " + (warmupIterations == 0 ? "off"
              : warmupIterations + " iterations"));
    }
  }

  private final Options options;
  private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(
      r -> {
        Thread t = new Thread(r, "kava-serve-poll");
        t.setDaemon(true);
        return t;
      });
  private volatile Map<String, ServedModel> models = Map.of();
  private ModelServerConfig config = ModelServerConfig.getDefaultInstance();

  private ServingCore(Options options) {
    this.options = options;
  }

  /**
   * Loads every model of {@code config} and starts polling their base paths.
   *
   * @throws IllegalArgumentException if a model has no version that loads (naming the model
   *     and why), or a label names a version that is not loaded
   */
  public static ServingCore start(ModelServerConfig config, Options options) {
    ServingCore core = new ServingCore(options == null ? Options.defaults() : options);
    try {
      core.reload(config);
    } catch (ServingException e) {
      core.close();
      throw new IllegalArgumentException(e.getMessage(), e);
    } catch (RuntimeException e) {
      core.close();
      throw e;
    }
    if (core.options.pollSeconds() > 0) {
      long ms = Math.max(1, (long) (core.options.pollSeconds() * 1000));
      core.poller.scheduleWithFixedDelay(core::pollAll, ms, ms, TimeUnit.MILLISECONDS);
    }
    return core;
  }

  /** One model, as {@code --model_name} and {@code --model_base_path} give it. */
  public static ServingCore serve(String name, Path base, double pollSeconds) {
    return start(ModelConfigs.single(name, base), Options.defaults().pollSeconds(pollSeconds));
  }

  private void pollAll() {
    for (ServedModel m : models.values()) {
      m.poll();
    }
  }

  /**
   * Replaces the served models by {@code newConfig}'s: new models are loaded, models no
   * longer listed are unloaded (after their requests finish), the others take their new
   * policy, base path and labels. Waits until the new versions are loaded.
   *
   * @throws ServingException INVALID_ARGUMENT for a config kava serve cannot serve (nothing
   *     changes then), FAILED_PRECONDITION if a model has no loadable version or a label
   *     names a version that is not available (the rest of the config is applied)
   */
  public synchronized void reload(ModelServerConfig newConfig) {
    try {
      ModelConfigs.check(newConfig, "Model server config");
    } catch (IllegalArgumentException e) {
      throw new ServingException(Code.INVALID_ARGUMENT, e.getMessage());
    }
    Map<String, ServedModel> next = new LinkedHashMap<>();
    Map<String, ServedModel> old = models;
    for (ModelConfig c : newConfig.getModelConfigList().getConfigList()) {
      ServedModel m = old.get(c.getName());
      if (m == null) {
        m = new ServedModel(c.toBuilder().clearVersionLabels().build(), options);
      } else {
        // The old labels stay until the new ones' versions are loaded.
        m.update(c.toBuilder().clearVersionLabels()
            .putAllVersionLabels(m.config().getVersionLabelsMap()).build());
      }
      next.put(c.getName(), m);
    }
    List<String> problems = new ArrayList<>();
    for (ModelConfig c : newConfig.getModelConfigList().getConfigList()) {
      ServedModel m = next.get(c.getName());
      m.poll();
      if (m.available().isEmpty()) {
        problems.add("Model '" + c.getName() + "' at " + c.getBasePath() + " has no"
            + " version that loads" + firstError(m));
      }
      // Labels are applied once their versions are loaded, as TF Serving does.
      List<String> bad = new ArrayList<>();
      c.getVersionLabelsMap().forEach((label, v) -> {
        if (!options.allowLabelsForUnavailable() && !m.available().contains(v)) {
          bad.add("Request to assign label to version " + v + " of model " + c.getName()
              + ", which is not currently available for inference");
        }
      });
      if (bad.isEmpty()) {
        m.update(m.config().toBuilder().clearVersionLabels()
            .putAllVersionLabels(c.getVersionLabelsMap()).build());
      } else {
        problems.addAll(bad);
      }
    }
    models = Collections.unmodifiableMap(next);
    config = newConfig;
    for (Map.Entry<String, ServedModel> e : old.entrySet()) {
      if (!next.containsKey(e.getKey())) {
        e.getValue().close();
        options.log().accept("Model '" + e.getKey() + "' is no longer served");
      }
    }
    if (!problems.isEmpty()) {
      throw new ServingException(Code.FAILED_PRECONDITION, String.join("; ", problems));
    }
  }

  /**
   * Re-reads {@code file} every {@code seconds} (TF Serving's
   * {@code --model_config_file_poll_wait_seconds}) and reloads when its config changed; a
   * file that does not parse or load is logged and the served models stay as they are.
   */
  public void watch(Path file, double seconds) {
    if (!(seconds > 0) || Double.isInfinite(seconds)) {
      throw new IllegalArgumentException("ServingCore: config poll seconds must be finite and"
          + " > 0; got " + seconds + ".");
    }
    long ms = Math.max(1, (long) (seconds * 1000));
    String[] lastError = {""};
    poller.scheduleWithFixedDelay(() -> {
      String error = "";
      try {
        ModelServerConfig next = ModelConfigs.parse(file);
        if (!next.equals(config())) {
          options.log().accept("Reloading model config " + file);
          reload(next);
        }
      } catch (RuntimeException e) {
        error = "Model config " + file + " not (fully) applied: " + e.getMessage();
      }
      if (!error.isEmpty() && !error.equals(lastError[0])) {
        options.log().accept(error);
      }
      lastError[0] = error;
    }, ms, ms, TimeUnit.MILLISECONDS);
  }

  private static String firstError(ServedModel m) {
    return m.states().values().stream().map(Map.Entry::getValue).filter(e -> !e.isEmpty())
        .findFirst().map(e -> ": " + e).orElse(" (it has no numbered version folder that its"
            + " version policy selects)");
  }

  public Options options() {
    return options;
  }

  /** The config last applied. */
  public synchronized ModelServerConfig config() {
    return config;
  }

  /** The served models by name, in config order. */
  public Map<String, ServedModel> models() {
    return models;
  }

  /**
   * The model {@code name}.
   *
   * @throws ServingException NOT_FOUND if it is not served
   */
  public ServedModel model(String name) {
    ServedModel m = models.get(name);
    if (m == null) {
      throw new ServingException(Code.NOT_FOUND, "Servable not found for request: Latest("
          + name + ")");
    }
    return m;
  }

  /**
   * A lease on the version of {@code name} a request asks for (see
   * {@link ServedModel#lease}); close it when the request is done.
   */
  public Lease lease(String name, Long version, String label) {
    ServedModel m = models.get(name);
    if (m == null) {
      throw new ServingException(Code.NOT_FOUND, "Servable not found for request: "
          + (version != null ? "Specific(" + name + ", " + version + ")"
              : "Latest(" + name + ")"));
    }
    return m.lease(version, label);
  }

  /** Stops polling and unloads every model, after the requests that hold them. */
  @Override
  public synchronized void close() {
    poller.shutdownNow();
    models.values().forEach(ServedModel::close);
  }

  @Override
  public String toString() {
    return "ServingCore " + models.keySet() + " (" + options + ")";
  }
}
