package io.kava.layers;

import static io.kava.TestArrays.array;
import static io.kava.TestArrays.shape;

import io.kava.Sequential;
import java.util.List;
import org.tensorflow.ndarray.FloatNdArray;

/** Inputs and gradient models the two pooling tests share. */
final class PoolingCases {
  private PoolingCases() {}

  /** The 4x4 image 0..15 (row-major), one channel. */
  static final FloatNdArray RAMP_4X4 = array(shape(1, 4, 4, 1), 0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
      10, 11, 12, 13, 14, 15);

  /** The 3x3 image 1..9, one channel. */
  static final FloatNdArray RAMP_3X3 = array(shape(1, 3, 3, 1), 1, 2, 3, 4, 5, 6, 7, 8, 9);

  /**
   * {@code Input(4, 4, 1) -> Conv2D(2, 1x1) -> pooling -> Flatten -> Dense(1)}: the 1x1
   * convolution puts weights before the pooling, so their gradients flow back through it.
   * Every image holds 16 distinct values 1/8 apart and the convolution weights are at least
   * 0.6 in size, so a 1e-2 perturbation never changes which element of a window is largest
   * (max pooling's gradient is only defined away from ties).
   */
  static LayerContract.GradientCase through(Layer pooling) {
    return through(pooling, array(shape(8, 1), 0.5f, -0.3f, 0.2f, 0.7f, -0.4f, 0.6f, -0.1f,
        0.3f));
  }

  /** {@link #through} for a global pooling (or any layer) leaving {@code dense.size()} units. */
  static LayerContract.GradientCase through(Layer pooling, FloatNdArray dense) {
    Sequential model = new Sequential(Input.of(4, 4, 1), Conv2D.of(2, 1), pooling,
        Flatten.of(), Dense.of(1));
    float[] x = new float[3 * 16];
    for (int k = 0; k < 16; k++) {
      x[k] = ((k * 7 + 3) % 16) / 8f - 1;
      x[16 + k] = ((k * 5 + 1) % 16) / 8f - 1;
      x[32 + k] = ((k * 11 + 6) % 16) / 8f - 1;
    }
    List<FloatNdArray> weights = List.of(
        array(shape(1, 1, 1, 2), 0.8f, -0.6f), array(shape(2), 0.1f, -0.2f),
        dense, array(shape(1), 0.05f));
    return new LayerContract.GradientCase(model, array(shape(3, 4, 4, 1), x),
        array(shape(3, 1), 0.5f, -0.5f, 1f), weights, false);
  }
}
