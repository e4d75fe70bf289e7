package io.kava.callbacks;

import static io.kava.TestArrays.oneHot;
import static io.kava.TestArrays.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kava.FitOptions;
import io.kava.History;
import io.kava.Model;
import io.kava.Sequential;
import io.kava.layers.Activation;
import io.kava.layers.Dense;
import io.kava.layers.Input;
import io.kava.losses.CategoricalCrossentropy;
import io.kava.optimizers.Adam;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.FloatNdArray;

class BackupAndRestoreTest {
  private static final FloatNdArray X = uniform(7, -1, 1, 24, 3);
  private static final FloatNdArray Y = oneHot(2, 0, 1, 1, 0, 1, 0, 0, 1, 1, 1, 0, 0, 1, 0, 1,
      0, 0, 1, 1, 0, 1, 1, 0, 0);

  @TempDir
  Path dir;

  private static Sequential model() {
    Sequential m = new Sequential(Input.of(3), Dense.of(8).activation(Activation.RELU),
        Dense.of(2).activation(Activation.SOFTMAX)).seed(1);
    m.compile(new Adam(0.01), new CategoricalCrossentropy());
    return m;
  }

  private static FitOptions options(Callback... callbacks) {
    return FitOptions.defaults().epochs(5).batchSize(8).seed(3).verbose(0)
        .callbacks(callbacks);
  }

  /** Fails when epoch {@code epoch} begins, as a killed job would stop. */
  private static Callback failAt(int epoch) {
    return new Callback() {
      @Override
      public void onEpochBegin(Model model, int e) {
        if (e == epoch) {
          throw new IllegalStateException("killed");
        }
      }
    };
  }

  @Test
  void aRestartedFitContinuesAfterTheLastCompletedEpochExactly() {
    List<Double> whole;
    try (Sequential m = model()) {
      whole = m.fit(X, Y, options()).get("loss");
    }
    BackupAndRestore backup = new BackupAndRestore(dir.resolve("backup"));
    try (Sequential m = model()) {
      assertThrows(IllegalStateException.class, () -> m.fit(X, Y, options(backup, failAt(3))));
    }
    assertTrue(Files.isRegularFile(dir.resolve("backup/kava.json")), "the backup stays");
    try (Sequential m = model()) {
      History h = m.fit(X, Y, options(backup));
      assertEquals(List.of(3, 4), h.epochs());
      assertEquals(whole.subList(3, 5), h.get("loss"));
      assertEquals(15, m.iterations());
      assertEquals(5, m.epochsCompleted());
    }
    assertFalse(Files.exists(dir.resolve("backup")), "deleted after a fit that ended normally");
  }

  @Test
  void keepsTheBackupWhenAsked() {
    try (Sequential m = model()) {
      m.fit(X, Y, options(new BackupAndRestore(dir).deleteCheckpoint(false)));
    }
    assertTrue(Files.isRegularFile(dir.resolve("kava.json")));
  }

  @Test
  void aBackupOfAnotherModelIsNamed() {
    try (Sequential m = model()) {
      m.fit(X, Y, options(new BackupAndRestore(dir).deleteCheckpoint(false)));
    }
    try (Sequential other = new Sequential(Input.of(3), Dense.of(2)
        .activation(Activation.SOFTMAX))) {
      other.compile(new Adam(0.01), new CategoricalCrossentropy());
      String m = assertThrows(IllegalArgumentException.class, () -> other.fit(X, Y,
          options(new BackupAndRestore(dir)))).getMessage();
      assertTrue(m.startsWith("BackupAndRestore: the backup in " + dir + " must hold the state"
          + " of a model with the same layers and optimizer; restoring it failed: "), m);
    }
  }

  @Test
  void configAndToString() {
    BackupAndRestore b = new BackupAndRestore(Path.of("bk")).deleteCheckpoint(false);
    assertEquals("BackupAndRestore(backup_dir=bk, delete_checkpoint=false)", b.toString());
    assertEquals(b.toString(), BackupAndRestore.fromConfig(b.config()).toString());
    assertEquals("BackupAndRestore(backup_dir=bk)", new BackupAndRestore(Path.of("bk"))
        .toString());
  }
}
