package io.kava;

import static org.junit.jupiter.api.Assertions.*;

import io.kava.layers.*;
import io.kava.losses.*;
import io.kava.metrics.*;
import io.kava.optimizers.*;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;

class SmokeTest {
  @Test
  void learnsLinearlySeparable() {
    var x = NdArrays.ofFloats(Shape.of(256, 2));
    var y = NdArrays.ofFloats(Shape.of(256, 1));
    var r = new java.util.Random(1);
    for (int i = 0; i < 256; i++) {
      float a = r.nextFloat() * 2 - 1, b = r.nextFloat() * 2 - 1;
      x.setFloat(a, i, 0); x.setFloat(b, i, 1); y.setFloat(a + b > 0 ? 1 : 0, i, 0);
    }
    var model = new Sequential(Input.of(2), Dense.of(8).activation(Activation.RELU), Dropout.of(0.1),
        Dense.of(1).activation(Activation.SIGMOID)).seed(1);
    model.compile(new Adam(0.05), new BinaryCrossentropy(), new Accuracy());
    model.summary();
    var h = model.fit(x, y, FitOptions.defaults().epochs(10).seed(3).validationSplit(0.2));
    System.out.println(h);
    assertTrue(h.last("accuracy") > 0.9);
    System.out.println(model.evaluate(x, y));
  }
}
