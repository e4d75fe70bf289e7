package io.kava.tools.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ServedModel's errors name the model and the base path, never a command-line flag. */
class ServedModelTest {
  @TempDir
  Path tmp;

  static String error(String name, Path base) {
    return assertThrows(IllegalArgumentException.class, () -> new ServedModel(name, base, 0))
        .getMessage();
  }

  @Test
  void aBaseWithoutVersionFoldersNamesTheModelAndThePath() throws IOException {
    Files.createDirectories(tmp.resolve("latest"));
    Files.createDirectories(tmp.resolve("123456789012345678901234567890"));
    Files.writeString(tmp.resolve("1"), "a file, not a version folder");
    assertEquals("ServedModel 'mnist': base path " + tmp + " must contain numbered version"
        + " folders holding a SavedModel; it has none.", error("mnist", tmp));
  }

  @Test
  void aBaseThatIsNoDirectoryNamesTheModelAndThePath() throws IOException {
    Path missing = tmp.resolve("missing");
    assertEquals("ServedModel 'mnist': base path " + missing + " must be a directory; it does"
        + " not exist.", error("mnist", missing));
    Path file = Files.writeString(tmp.resolve("file"), "");
    assertEquals("ServedModel 'mnist': base path " + file + " must be a directory; it is a"
        + " file.", error("mnist", file));
    assertEquals("ServedModel 'mnist': base path must be non-null; got null.",
        error("mnist", null));
  }

  @Test
  void aNameThatCannotBeInAUrlIsRefused() {
    assertEquals("ServedModel: name must be letters, digits, '_', '.' or '-' (it is part of the"
        + " URLs); got 'a/b'.", error("a/b", tmp));
    assertTrue(error(null, tmp).endsWith("got null."));
    assertTrue(ServedModel.isValidName("half_plus_two-1.0"));
    for (String name : new String[] {null, "", "a b", "a:b", "a/b", "ü"}) {
      assertFalse(ServedModel.isValidName(name), "'" + name + "'");
    }
  }

  @Test
  void noMessageSpeaksOfFlags() throws IOException {
    for (String message : new String[] {error("a/b", tmp), error("m", tmp.resolve("x")),
        error("m", tmp)}) {
      assertFalse(message.contains("--") || message.startsWith("serve"), message);
    }
  }
}
