package io.kava.saving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TF Serving's version-folder rules, on folders the test makes. */
class ModelVersionsTest {
  @TempDir
  Path base;

  Path dir(String name) throws IOException {
    return Files.createDirectories(base.resolve(name));
  }

  @Test
  void parsesAllDigitNamesThatFitALong() {
    assertEquals(OptionalLong.of(123), ModelVersions.parse("00000123"));
    assertEquals(OptionalLong.of(0), ModelVersions.parse("0"));
    assertEquals(OptionalLong.of(Long.MAX_VALUE), ModelVersions.parse("9223372036854775807"));
    assertEquals(OptionalLong.of(Long.MAX_VALUE),
        ModelVersions.parse("0009223372036854775807"), "leading zeros do not overflow");
    for (String name : List.of("9223372036854775808", "123456789012345678901234567890", "",
        "12a", "-1", "+1", " 1", "1.0", "0x10", "١٢٣")) {
      assertEquals(OptionalLong.empty(), ModelVersions.parse(name), "'" + name + "'");
    }
    assertEquals(OptionalLong.empty(), ModelVersions.parse(null));
  }

  @Test
  void newestIsTheHighestNumberNotTheLongestOrLastName() throws IOException {
    dir("00000123");
    dir("9");
    Path newest = dir("200");
    assertEquals(Optional.of(newest), ModelVersions.newest(base));
    assertEquals(List.of(9L, 123L, 200L), List.copyOf(ModelVersions.list(base).keySet()));
    assertEquals(base.resolve("00000123"), ModelVersions.list(base).get(123L));
  }

  @Test
  void skipsNamesThatAreNotVersionsInsteadOfFailing() throws IOException {
    Path one = dir("1");
    dir("123456789012345678901234567890");
    dir("9223372036854775808");
    dir("2.tmp");
    dir(".3.tmp-123");
    dir("latest");
    dir("v4");
    assertEquals(Map.of(1L, one), ModelVersions.list(base));
    assertEquals(Optional.of(one), ModelVersions.newest(base));
  }

  @Test
  void onlyDirectoriesCount() throws IOException {
    Path one = dir("1");
    Files.writeString(base.resolve("2"), "a file, not a version");
    Files.writeString(base.resolve("00000003"), "");
    assertEquals(Map.of(1L, one), ModelVersions.list(base));
    assertEquals(Optional.of(one), ModelVersions.newest(base));
  }

  @Test
  void anEmptyBaseHasNoVersions() throws IOException {
    assertTrue(ModelVersions.list(base).isEmpty());
    assertEquals(Optional.empty(), ModelVersions.newest(base));
    Files.writeString(base.resolve("notes.txt"), "");
    dir("logs");
    assertEquals(Optional.empty(), ModelVersions.newest(base));
  }

  @Test
  void twoNamesForOneNumberKeepTheOneThatSortsLast() throws IOException {
    dir("007");
    Path seven = dir("7");
    assertEquals(Map.of(7L, seven), ModelVersions.list(base));
  }

  @Test
  void theListCannotBeChanged() throws IOException {
    dir("1");
    assertThrows(UnsupportedOperationException.class,
        () -> ModelVersions.list(base).put(2L, base));
  }

  @Test
  void aBasePathThatIsNoDirectoryIsAnError() throws IOException {
    var e = assertThrows(IllegalArgumentException.class,
        () -> ModelVersions.list(base.resolve("missing")));
    assertEquals("ModelVersions: base path must be a directory; got " + base.resolve("missing")
        + ", which does not exist.", e.getMessage());
    Path file = Files.writeString(base.resolve("file"), "");
    e = assertThrows(IllegalArgumentException.class, () -> ModelVersions.newest(file));
    assertTrue(e.getMessage().endsWith("which is a file."), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ModelVersions.list(null));
    assertEquals("ModelVersions: base path must be non-null; got null.", e.getMessage());
  }
}
