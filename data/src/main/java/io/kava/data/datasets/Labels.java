package io.kava.data.datasets;

import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * Label helpers with Keras's names.
 *
 * <pre>{@code
 * jshell> Labels.toCategorical(new int[] {0, 2}, 3)   // [[1, 0, 0], [0, 0, 1]]
 * }</pre>
 */
public final class Labels {
  private Labels() {}

  /** One-hot encodes class indices, as Keras's {@code to_categorical(y, num_classes)}. */
  public static FloatNdArray toCategorical(int[] labels, int numClasses) {
    if (numClasses <= 0) {
      throw new IllegalArgumentException("toCategorical: numClasses must be > 0; got "
          + numClasses + ".");
    }
    float[] v = new float[labels.length * numClasses];
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= numClasses) {
        throw new IllegalArgumentException("toCategorical: labels must be in [0, " + numClasses
            + "); got " + labels[i] + " at index " + i + ".");
      }
      v[i * numClasses + labels[i]] = 1;
    }
    return NdArrays.wrap(Shape.of(labels.length, numClasses), DataBuffers.of(v, true, false));
  }
}
