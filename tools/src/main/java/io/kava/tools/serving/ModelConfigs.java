package io.kava.tools.serving;

import com.google.protobuf.TextFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tensorflow.serving.FileSystemStoragePathSource.FileSystemStoragePathSourceConfig;
import tensorflow.serving.ModelServerConfigOuterClass.ModelConfig;
import tensorflow.serving.ModelServerConfigOuterClass.ModelConfigList;
import tensorflow.serving.ModelServerConfigOuterClass.ModelServerConfig;

/**
 * TF Serving's model server config ({@code --model_config_file}): read from its protobuf text
 * format with protobuf's own {@link TextFormat}, and checked before anything is loaded, so
 * that a mistake names the file, the model and the field.
 *
 * <pre>{@code
 * jshell> var config = ModelConfigs.parse(Path.of("models.config"))
 * jshell> ModelConfigs.single("half_plus_two", Path.of("half_plus_two"))
 * }</pre>
 */
public final class ModelConfigs {
  private ModelConfigs() {}

  /**
   * The config in {@code file} (text format), checked by {@link #check}.
   *
   * @throws IllegalArgumentException if the file is missing, not TF Serving's text format, or
   *     fails the checks
   */
  public static ModelServerConfig parse(Path file) {
    if (file == null || !Files.isRegularFile(file)) {
      throw new IllegalArgumentException("Model config file " + file + " must be a readable"
          + " file; it " + (file != null && Files.exists(file) ? "is a directory."
              : "does not exist."));
    }
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException("Model config file " + file + ": cannot read: "
          + e.getMessage(), e);
    }
    ModelServerConfig.Builder config = ModelServerConfig.newBuilder();
    try {
      TextFormat.merge(text, config);
    } catch (TextFormat.ParseException e) {
      throw new IllegalArgumentException("Model config file " + file + ": must be a"
          + " ModelServerConfig in protobuf text format (model_config_list { config { name:"
          + " ... base_path: ... } }); " + e.getMessage(), e);
    }
    return check(config.build(), "Model config file " + file);
  }

  /** One model, as {@code --model_name} and {@code --model_base_path} give it. */
  public static ModelServerConfig single(String name, Path base) {
    return check(ModelServerConfig.newBuilder().setModelConfigList(ModelConfigList.newBuilder()
        .addConfig(ModelConfig.newBuilder().setName(name == null ? "" : name)
            .setBasePath(base == null ? "" : base.toString()).setModelPlatform("tensorflow")))
        .build(), "Model config");
  }

  /**
   * {@code config}, if kava serve can serve it: a {@code model_config_list} whose models have
   * distinct, URL-safe names, a base path, the {@code tensorflow} platform and a version
   * policy that names versions; otherwise an IllegalArgumentException starting with
   * {@code source}.
   */
  public static ModelServerConfig check(ModelServerConfig config, String source) {
    if (config.getConfigCase() == ModelServerConfig.ConfigCase.CUSTOM_MODEL_CONFIG) {
      throw new IllegalArgumentException(source + ": custom_model_config is not supported;"
          + " use model_config_list.");
    }
    if (config.getConfigCase() == ModelServerConfig.ConfigCase.CONFIG_NOT_SET) {
      // Also what a reader sees of a file being rewritten in place: never serve nothing.
      throw new IllegalArgumentException(source + ": must have a model_config_list; it is"
          + " empty.");
    }
    Set<String> names = new HashSet<>();
    List<ModelConfig> models = config.getModelConfigList().getConfigList();
    for (int i = 0; i < models.size(); i++) {
      ModelConfig m = models.get(i);
      String where = source + ": model_config_list config #" + (i + 1)
          + (m.getName().isEmpty() ? "" : " ('" + m.getName() + "')");
      if (!ServedModel.isValidName(m.getName())) {
        throw new IllegalArgumentException(where + ": name must be letters, digits, '_', '.'"
            + " or '-' (it is part of the URLs); got '" + m.getName() + "'.");
      }
      if (!names.add(m.getName())) {
        throw new IllegalArgumentException(where + ": name must be unique; '" + m.getName()
            + "' is configured twice.");
      }
      if (m.getBasePath().isEmpty()) {
        throw new IllegalArgumentException(where + ": base_path must be set (the folder of"
            + " numbered version folders); it is empty.");
      }
      if (!m.getModelPlatform().isEmpty() && !"tensorflow".equals(m.getModelPlatform())) {
        throw new IllegalArgumentException(where + ": model_platform must be 'tensorflow'"
            + " (SavedModels); got '" + m.getModelPlatform() + "'.");
      }
      if (m.hasLoggingConfig()) {
        throw new IllegalArgumentException(where + ": logging_config (request logging) is not"
            + " supported by kava serve; remove it.");
      }
      FileSystemStoragePathSourceConfig.ServableVersionPolicy policy = m.getModelVersionPolicy();
      if (policy.hasSpecific() && policy.getSpecific().getVersionsCount() == 0) {
        throw new IllegalArgumentException(where + ": model_version_policy specific must list"
            + " at least one version; it lists none.");
      }
      for (var label : m.getVersionLabelsMap().entrySet()) {
        if (label.getKey().isEmpty() || label.getValue() < 0) {
          throw new IllegalArgumentException(where + ": version_labels must map non-empty"
              + " labels to versions >= 0; got '" + label.getKey() + "' -> "
              + label.getValue() + ".");
        }
      }
    }
    return config;
  }
}
