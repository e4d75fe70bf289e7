package io.kava;

import static io.kava.TestArrays.flat;
import static io.kava.TestArrays.oneHot;
import static io.kava.TestArrays.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kava.layers.Activation;
import io.kava.layers.Dense;
import io.kava.layers.Dropout;
import io.kava.layers.Input;
import io.kava.losses.CategoricalCrossentropy;
import io.kava.metrics.Accuracy;
import io.kava.optimizers.Adam;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.index.Indices;

/** fit, evaluate and predict over a user's BatchIterator. */
class BatchIteratorTest {
  private final FloatNdArray x = uniform(1, -1, 1, 10, 3);
  private final FloatNdArray y = oneHot(2, 0, 1, 1, 0, 1, 0, 0, 1, 1, 1);

  /** Fixed batches, in order; counts epoch ends. */
  static final class ListBatches implements BatchIterator {
    final List<Batch> batches = new ArrayList<>();
    int epochEnds;

    ListBatches add(FloatNdArray x, FloatNdArray y) {
      batches.add(new Batch(x, y));
      return this;
    }

    /** {@code x} and {@code y} cut into consecutive batches of {@code size}, as fit cuts. */
    static ListBatches of(FloatNdArray x, FloatNdArray y, int size) {
      ListBatches b = new ListBatches();
      long n = x.shape().get(0);
      for (long from = 0; from < n; from += size) {
        long to = Math.min(n, from + size);
        b.add(x.slice(Indices.range(from, to)), y.slice(Indices.range(from, to)));
      }
      return b;
    }

    @Override
    public int size() {
      return batches.size();
    }

    @Override
    public Batch get(int index) {
      return batches.get(index);
    }

    @Override
    public void onEpochEnd() {
      epochEnds++;
    }
  }

  private static Sequential model() {
    Sequential model = new Sequential(Input.of(3), Dense.of(4).activation(Activation.TANH),
        Dropout.of(0.25), Dense.of(2).activation(Activation.SOFTMAX)).seed(3);
    model.compile(new Adam(0.05), new CategoricalCrossentropy(), new Accuracy());
    return model;
  }

  private static FitOptions options() {
    return FitOptions.defaults().epochs(3).batchSize(4).shuffle(false).verbose(0).seed(9);
  }

  /** Without rows(), an iterator's share of a batch is cut from the whole batch. */
  @Test
  void aShareOfABatchDefaultsToThoseRowsOfIt() {
    ListBatches it = ListBatches.of(x, y, 4);
    assertEquals(-1, it.rows(0), "unknown until loaded");
    Batch share = it.get(1, 1, 3);
    assertArrayEquals(flat(x.slice(Indices.range(5, 7))), flat(share.x()));
    assertArrayEquals(flat(y.slice(Indices.range(5, 7))), flat(share.y()));
    assertEquals(0, it.get(2, 2, 2).size());
    var e = assertThrows(IndexOutOfBoundsException.class, () -> it.get(2, 1, 3));
    assertEquals("Batch: rows [from, to) must satisfy 0 <= from <= to <= 2; got [1, 3).",
        e.getMessage());
  }

  @Test
  void fitEqualsArrayFitOnTheSameBatches() {
    ListBatches batches = ListBatches.of(x, y, 4);
    try (Sequential a = model(); Sequential b = model()) {
      History arrays = a.fit(x, y, options());
      History iterator = b.fit(batches, options());
      assertEquals(arrays.asMap(), iterator.asMap());
      List<float[]> wa = flat(a.getWeights());
      List<float[]> wb = flat(b.getWeights());
      for (int i = 0; i < wa.size(); i++) {
        assertArrayEquals(wa.get(i), wb.get(i));
      }
      assertEquals(3, batches.epochEnds);
      // evaluate and predict over the iterator match the arrays too.
      Map<String, Double> logs = b.evaluate(batches);
      assertEquals(b.evaluate(x, y, 4), logs);
      assertArrayEquals(flat(b.predict(x)), flat(b.predict(batches)));
    }
  }

  @Test
  void theInputShapeIsInferredFromTheFirstBatch() {
    try (Sequential model = new Sequential(Dense.of(2).activation(Activation.SOFTMAX))) {
      model.compile(new Adam(), new CategoricalCrossentropy());
      model.fit(ListBatches.of(x, y, 4), options());
      assertEquals(Shape.of(3), model.inputShape());
    }
  }

  @Test
  void aBatchOfTheWrongShapeFailsNamingItsIndex() {
    ListBatches batches = new ListBatches().add(uniform(1, 0, 1, 2, 3), oneHot(2, 0, 1))
        .add(uniform(1, 0, 1, 2, 4), oneHot(2, 0, 1));
    try (Sequential model = model()) {
      var e = assertThrows(IllegalArgumentException.class, () -> model.fit(batches, options()));
      assertEquals("Sequential 'sequential': batch 1 x must have shape (None, 3); got [2, 4].",
          e.getMessage());
    }
  }

  @Test
  void badLabelsInABatchFailNamingItsIndex() {
    FloatNdArray nan = oneHot(2, 0, 1);
    nan.setFloat(Float.NaN, 1, 0);
    ListBatches batches = new ListBatches().add(uniform(1, 0, 1, 2, 3), oneHot(3, 0, 1))
        .add(uniform(1, 0, 1, 2, 3), nan);
    try (Sequential model = model()) {
      var e = assertThrows(IllegalArgumentException.class, () -> model.fit(batches, options()));
      assertEquals("Sequential 'sequential': batch 0 y must have shape (None, 2); got [2, 3].",
          e.getMessage());
      batches.batches.remove(0);
      e = assertThrows(IllegalArgumentException.class, () -> model.fit(batches, options()));
      assertEquals("Sequential 'sequential': y must be finite; got NaN or infinity in batch 0,"
          + " sample 1.", e.getMessage());
    }
  }

  @Test
  void emptyIteratorsAndValidationSplitAreRejected() {
    try (Sequential model = model()) {
      var e = assertThrows(IllegalArgumentException.class,
          () -> model.fit(new ListBatches(), options()));
      assertEquals("Sequential 'sequential': training data must hold at least one batch; got 0.",
          e.getMessage());
      e = assertThrows(IllegalArgumentException.class,
          () -> model.fit(ListBatches.of(x, y, 4), options().validationSplit(0.2)));
      assertEquals("Sequential 'sequential': validationSplit works on arrays only; for an"
          + " iterator pass validationData(iterator) (e.g. a VALIDATION subset).",
          e.getMessage());
    }
  }

  @Test
  void validationBatchesFromAnIterator() {
    try (Sequential model = model()) {
      ListBatches validation = ListBatches.of(x, y, 3);
      History h = model.fit(ListBatches.of(x, y, 4), options().validationData(validation));
      assertEquals(model.evaluate(validation).get("loss"), h.last("val_loss"));
    }
  }
}
