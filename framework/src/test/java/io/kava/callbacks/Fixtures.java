package io.kava.callbacks;

import static io.kava.TestArrays.column;
import static io.kava.TestArrays.flat;
import static io.kava.TestArrays.matrix;

import io.kava.FitOptions;
import io.kava.Model;
import io.kava.Sequential;
import io.kava.layers.Dense;
import io.kava.layers.Input;
import io.kava.losses.MeanSquaredError;
import io.kava.optimizers.SGD;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.ndarray.FloatNdArray;

/** A one-weight regression and a callback that scripts and records epochs, for these tests. */
final class Fixtures {
  private Fixtures() {}

  /** Inputs 1, 2, 3, 4 (one feature). */
  static final FloatNdArray X = column(1, 2, 3, 4);
  /** Targets {@code y = x}: training pulls the weight towards 1. */
  static final FloatNdArray Y = column(1, 2, 3, 4);

  /** {@code Input(1) -> Dense(1, no bias)} starting at weight 0, compiled with SGD(lr). */
  static Sequential regression(double lr) {
    Sequential model = new Sequential(Input.of(1), Dense.of(1).useBias(false));
    model.compile(new SGD(lr), new MeanSquaredError());
    model.setWeights(List.of(matrix(new float[] {0})));
    return model;
  }

  /** Quiet, unshuffled, reproducible options for {@code epochs} epochs of one full batch. */
  static FitOptions epochs(int epochs) {
    return FitOptions.defaults().epochs(epochs).batchSize(4).shuffle(false).verbose(0).seed(1);
  }

  static float weight(Sequential model) {
    return model.getWeights().get(0).getFloat(0, 0);
  }

  /**
   * Sets {@code key} in each epoch's logs from a script (when given) and records the weights at
   * the end of each epoch. Listed before the callback under test, it decides what that one sees.
   */
  static final class Script implements Callback {
    private final String key;
    private final double[] values;
    final List<List<float[]>> weights = new ArrayList<>();

    Script(String key, double... values) {
      this.key = key;
      this.values = values;
    }

    /** Records weights only. */
    static Script recorder() {
      return new Script(null);
    }

    @Override
    public void onEpochEnd(Model model, int epoch, Map<String, Double> logs) {
      if (key != null) {
        logs.put(key, values[epoch]);
      }
      weights.add(flat(model.getWeights()));
    }
  }
}
