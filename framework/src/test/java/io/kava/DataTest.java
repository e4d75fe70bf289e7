package io.kava;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/** Copying chosen samples of an array into a batch tensor. */
class DataTest {
  private static FloatNdArray counting(Shape shape) {
    float[] v = new float[Math.toIntExact(shape.size())];
    for (int i = 0; i < v.length; i++) {
      v[i] = i;
    }
    return NdArrays.wrap(shape, DataBuffers.of(v, false, false));
  }

  private static float[] values(TFloat32 t) {
    float[] v = new float[Math.toIntExact(t.shape().size())];
    t.copyTo(DataBuffers.of(v, false, false));
    return v;
  }

  @Test
  void gatherTensorCopiesTheChosenSamplesInTheGivenOrder() {
    FloatNdArray a = counting(Shape.of(4, 2, 3));
    try (TFloat32 t = Data.gatherTensor(a, new long[] {2, 0, 3}, Shape.of(2, 3))) {
      assertEquals(Shape.of(3, 2, 3), t.shape());
      assertArrayEquals(new float[] {12, 13, 14, 15, 16, 17, 0, 1, 2, 3, 4, 5, 18, 19, 20, 21,
          22, 23}, values(t));
    }
  }

  @Test
  void gatherTensorFillsASampleShapeOfTheSameSize() {
    FloatNdArray labels = counting(Shape.of(5));
    try (TFloat32 t = Data.gatherTensor(labels, new long[] {4, 1}, Shape.of(1))) {
      assertEquals(Shape.of(2, 1), t.shape());
      assertArrayEquals(new float[] {4, 1}, values(t));
    }
  }

  @Test
  void gatherTensorReadsAViewOfALargerArray() {
    FloatNdArray view = counting(Shape.of(6, 2)).slice(
        org.tensorflow.ndarray.index.Indices.range(3, 5));
    try (TFloat32 t = Data.gatherTensor(view, new long[] {1, 0}, Shape.of(2))) {
      assertArrayEquals(new float[] {8, 9, 6, 7}, values(t));
    }
  }
}
