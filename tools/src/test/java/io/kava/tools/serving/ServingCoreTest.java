package io.kava.tools.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.error.Code;
import tensorflow.serving.ModelServerConfigOuterClass.ModelServerConfig;

/** Model config files, reloads and labels, as TF Serving's ServerCore. */
class ServingCoreTest {
  @TempDir
  Path tmp;
  final List<String> log = new CopyOnWriteArrayList<>();

  ServingCore.Options options() {
    return ServingCore.Options.defaults().pollSeconds(0).log(log::add);
  }

  /** Writes the config file as a careful operator does: whole, in one move. */
  Path config(String text) throws Exception {
    Path part = Files.writeString(tmp.resolve("models.config.part"), text);
    return Files.move(part, tmp.resolve("models.config"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  String twoModels(String labels) {
    return "model_config_list {\n"
        + "  config { name: 'a' base_path: '" + tmp.resolve("a") + "' model_platform:"
        + " 'tensorflow'\n"
        + "    model_version_policy { specific { versions: 1 versions: 2 } }\n" + labels
        + "  }\n"
        + "  config { name: 'b' base_path: '" + tmp.resolve("b") + "' }\n"
        + "}\n";
  }

  @Test
  void aConfigFileServesSeveralModelsWithPoliciesAndLabels() throws Exception {
    for (long v : new long[] {1, 2, 3}) {
      ServedModelTest.version(tmp.resolve("a"), v);
    }
    ServedModelTest.version(tmp.resolve("b"), 7);
    ModelServerConfig config = ModelConfigs.parse(config(twoModels(
        "    version_labels { key: 'stable' value: 1 }\n"
        + "    version_labels { key: 'canary' value: 2 }\n")));
    try (ServingCore core = ServingCore.start(config, options())) {
      assertEquals(Set.of("a", "b"), core.models().keySet());
      assertEquals(List.of(1L, 2L), List.copyOf(core.model("a").available()));
      try (Lease stable = core.lease("a", null, "stable");
          Lease canary = core.lease("a", null, "canary"); Lease b = core.lease("b", null, null)) {
        assertEquals(1, stable.version());
        assertEquals(2, canary.version());
        assertEquals(7, b.version());
      }
      ServingException e = assertThrows(ServingException.class, () -> core.lease("c", null,
          null));
      assertEquals(Code.NOT_FOUND, e.code());
      assertEquals("Servable not found for request: Latest(c)", e.getMessage());

      // Reload: b goes, a moves its label, a new model c comes.
      ServedModelTest.version(tmp.resolve("c"), 1);
      core.reload(ModelConfigs.parse(config("model_config_list {\n"
          + "  config { name: 'a' base_path: '" + tmp.resolve("a") + "'\n"
          + "    model_version_policy { specific { versions: 1 versions: 2 } }\n"
          + "    version_labels { key: 'stable' value: 2 } }\n"
          + "  config { name: 'c' base_path: '" + tmp.resolve("c") + "' }\n"
          + "}\n")));
      assertEquals(Set.of("a", "c"), core.models().keySet());
      try (Lease stable = core.lease("a", null, "stable")) {
        assertEquals(2, stable.version());
      }
      assertEquals(Code.NOT_FOUND, assertThrows(ServingException.class,
          () -> core.lease("b", null, null)).code());
      assertTrue(log.contains("Model 'b' is no longer served"), log.toString());
    }
  }

  @Test
  void aLabelOnAVersionThatIsNotLoadedIsRefusedAndTheOldLabelsStay() throws Exception {
    ServedModelTest.version(tmp.resolve("a"), 1);
    ServedModelTest.version(tmp.resolve("a"), 2);
    ServedModelTest.version(tmp.resolve("b"), 1);
    try (ServingCore core = ServingCore.start(ModelConfigs.parse(config(twoModels(
        "    version_labels { key: 'stable' value: 1 }\n"))), options())) {
      ServingException e = assertThrows(ServingException.class, () -> core.reload(
          ModelConfigs.parse(config(twoModels("    version_labels { key: 'stable' value: 3 }\n"
              )))));
      assertEquals(Code.FAILED_PRECONDITION, e.code());
      assertEquals("Request to assign label to version 3 of model a, which is not currently"
          + " available for inference", e.getMessage());
      try (Lease stable = core.lease("a", null, "stable")) {
        assertEquals(1, stable.version());
      }
    }
    try (ServingCore core = ServingCore.start(ModelConfigs.parse(config(twoModels(
        "    version_labels { key: 'next' value: 3 }\n"))),
        options().allowLabelsForUnavailable(true))) {
      ServingException e = assertThrows(ServingException.class,
          () -> core.lease("a", null, "next"));
      assertEquals(Code.NOT_FOUND, e.code(), e.getMessage());
    }
  }

  @Test
  void aModelWithoutALoadableVersionStopsTheStartNamingIt() throws Exception {
    Files.createDirectories(tmp.resolve("a/1"));
    Files.writeString(tmp.resolve("a/1/saved_model.pb"), "not a protocol buffer");
    ServedModelTest.version(tmp.resolve("b"), 1);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ServingCore.start(ModelConfigs.parse(config(twoModels(""))), options()));
    assertTrue(e.getMessage().startsWith("Model 'a' at " + tmp.resolve("a") + " has no version"
        + " that loads: Loading servable: {name: a version: 1} failed: SavedModel "),
        e.getMessage());
    Files.createDirectories(tmp.resolve("empty"));
    e = assertThrows(IllegalArgumentException.class, () -> ServingCore.serve("e",
        tmp.resolve("empty"), 0));
    assertEquals("Model 'e' at " + tmp.resolve("empty") + " has no version that loads (it has"
        + " no numbered version folder that its version policy selects)", e.getMessage());
  }

  @Test
  void badConfigFilesNameTheFileTheModelAndTheField() throws Exception {
    String file = "Model config file " + tmp.resolve("models.config");
    assertTrue(assertThrows(IllegalArgumentException.class, () -> ModelConfigs.parse(config(
        "model_config_list { config { nme: 'a' } }"))).getMessage().startsWith(file
            + ": must be a ModelServerConfig in protobuf text format"));
    assertEquals(file + ": model_config_list config #2 ('a'): name must be unique; 'a' is"
        + " configured twice.", assertThrows(IllegalArgumentException.class,
            () -> ModelConfigs.parse(config("model_config_list { config { name: 'a' base_path:"
                + " '/x' } config { name: 'a' base_path: '/y' } }"))).getMessage());
    assertEquals(file + ": model_config_list config #1 ('a'): base_path must be set (the"
        + " folder of numbered version folders); it is empty.",
        assertThrows(IllegalArgumentException.class, () -> ModelConfigs.parse(config(
            "model_config_list { config { name: 'a' } }"))).getMessage());
    assertEquals(file + ": model_config_list config #1 ('a'): model_platform must be"
        + " 'tensorflow' (SavedModels); got 'onnx'.", assertThrows(
            IllegalArgumentException.class, () -> ModelConfigs.parse(config(
                "model_config_list { config { name: 'a' base_path: '/x' model_platform:"
                + " 'onnx' } }"))).getMessage());
    assertEquals(file + ": model_config_list config #1 ('a'): model_version_policy specific"
        + " must list at least one version; it lists none.", assertThrows(
            IllegalArgumentException.class, () -> ModelConfigs.parse(config(
                "model_config_list { config { name: 'a' base_path: '/x' model_version_policy"
                + " { specific {} } } }"))).getMessage());
    assertEquals(file + ": must have a model_config_list; it is empty.",
        assertThrows(IllegalArgumentException.class, () -> ModelConfigs.parse(config("")))
            .getMessage());
    assertEquals("Model config file " + tmp.resolve("none") + " must be a readable file; it"
        + " does not exist.", assertThrows(IllegalArgumentException.class,
            () -> ModelConfigs.parse(tmp.resolve("none"))).getMessage());
  }

  @Test
  void aWatchedConfigFileIsAppliedWhenItChanges() throws Exception {
    ServedModelTest.version(tmp.resolve("a"), 1);
    ServedModelTest.version(tmp.resolve("a"), 2);
    ServedModelTest.version(tmp.resolve("b"), 1);
    Path file = config(twoModels(""));
    try (ServingCore core = ServingCore.start(ModelConfigs.parse(file), options())) {
      core.watch(file, 0.05);
      config("model_config_list { config { name: 'b' base_path: '" + tmp.resolve("b")
          + "' } }");
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (core.models().containsKey("a") && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertEquals(Set.of("b"), core.models().keySet());
      config("model_config_list { config { name: 'b' ");
      while (log.stream().noneMatch(l -> l.contains("not (fully) applied"))
          && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertEquals(Set.of("b"), core.models().keySet(), "a broken file changes nothing");
    }
  }
}
