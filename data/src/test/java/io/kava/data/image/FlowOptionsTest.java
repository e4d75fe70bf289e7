package io.kava.data.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Defaults, immutability and validation of {@link FlowOptions}. */
class FlowOptionsTest {
  @Test
  void defaultsAreKerass() {
    FlowOptions d = FlowOptions.defaults();
    assertEquals(32, d.batchSize());
    assertEquals(true, d.shuffle);
    assertEquals(null, d.seed);
    assertEquals(null, d.subset);
    assertEquals(256, d.targetHeight);
    assertEquals(256, d.targetWidth);
    assertEquals(ColorMode.RGB, d.colorMode);
    assertEquals(ClassMode.CATEGORICAL, d.classMode);
    assertEquals(Interpolation.NEAREST, d.interpolation);
    assertEquals("png", d.saveFormat);
    assertEquals("", d.savePrefix);
    assertEquals(false, d.skipCorrupt || d.followLinks || d.keepAspectRatio);
    assertEquals("FlowOptions(batch_size=32, target_size=(256, 256), color_mode=rgb,"
        + " class_mode=categorical)", d.toString());
  }

  @Test
  void optionsAreImmutableCopies() {
    FlowOptions d = FlowOptions.defaults();
    FlowOptions o = d.batchSize(8).seed(3).shuffle(false).subset(Subset.VALIDATION)
        .targetSize(20, 30).colorMode(ColorMode.GRAYSCALE).classMode(ClassMode.SPARSE)
        .saveToDir(Path.of("x")).saveFormat("JPEG");
    assertEquals(32, d.batchSize());
    assertEquals(8, o.batchSize());
    assertEquals(Path.of("x"), o.saveToDir);
    assertEquals("jpeg", o.saveFormat);
    assertEquals("FlowOptions(batch_size=8, shuffle=false, seed=3, subset=validation,"
        + " target_size=(20, 30), color_mode=grayscale, class_mode=sparse)", o.toString());
  }

  @Test
  void invalidValuesFailNamingTheOption() {
    FlowOptions d = FlowOptions.defaults();
    assertEquals("FlowOptions: batch size must be > 0; got -1.",
        assertThrows(IllegalArgumentException.class, () -> d.batchSize(-1)).getMessage());
    assertEquals("FlowOptions: target size must be > 0; got 0x5.",
        assertThrows(IllegalArgumentException.class, () -> d.targetSize(0, 5)).getMessage());
    assertEquals("FlowOptions: save format must be png or jpeg; got 'gif'.",
        assertThrows(IllegalArgumentException.class, () -> d.saveFormat("gif")).getMessage());
    assertEquals("FlowOptions: color mode must be non-null; got null.",
        assertThrows(IllegalArgumentException.class, () -> d.colorMode(null)).getMessage());
    assertEquals("FlowOptions: class mode must be non-null; got null.",
        assertThrows(IllegalArgumentException.class, () -> d.classMode(null)).getMessage());
    assertEquals("FlowOptions: interpolation must be non-null; got null.",
        assertThrows(IllegalArgumentException.class, () -> d.interpolation(null)).getMessage());
  }
}
