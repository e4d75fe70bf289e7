package io.kava.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kava.Sequential;
import io.kava.layers.Conv2D;
import io.kava.layers.Dense;
import io.kava.layers.Dropout;
import io.kava.layers.Padding;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.Shape;

/** Every zoo model reports the parameter count its tutorial states, and its output shape. */
class ModelsTest {

  static void check(Sequential m, long params, Shape output) {
    assertEquals(params, m.countParams(), m.name());
    assertEquals(output, m.outputShape(), m.name());
  }

  @Test
  void parameterCountsAndOutputs() {
    check(MnistSimpleCnn.create(), 54_410, Shape.of(10));
    check(MnistMlp.create(), 332_801, Shape.of(1));
    check(MnistCnn.create(), 1_199_882, Shape.of(10));
    check(MnistDeepCnn.create(), 327_649, Shape.of(1));
    check(Cifar10Cnn.create(), 4_597_834, Shape.of(10));
    check(Cifar10DeepCnn.create(), 616_362, Shape.of(10));
    check(AlexNet.create(2), 58_289_538, Shape.of(2));
    check(AlexNet.create(1000), 62_378_344, Shape.of(1000));
  }

  @Test
  void alexNetUsesThePapersInitializersAndWeightDecay() {
    Sequential m = AlexNet.create(2);
    String summary = m.summaryString();
    assertTrue(summary.contains("(None, 55, 55, 96)"), summary);
    assertTrue(summary.contains("(None, 6, 6, 256)"), summary);
    Conv2D first = (Conv2D) m.layers().get(0);
    assertEquals("random_normal(mean=0.0, stddev=0.01)", first.kernelInitializer().toString());
    assertEquals("zeros", first.biasInitializer().toString());
    assertEquals("L2(5.0E-4)", first.kernelRegularizer().toString());
    Conv2D second = (Conv2D) m.layers().get(2);
    assertEquals("ones", second.biasInitializer().toString());
    Dense hidden = (Dense) m.layers().get(9);
    assertEquals(4096, hidden.units());
    assertEquals("ones", hidden.biasInitializer().toString());
    var e = assertThrows(IllegalArgumentException.class, () -> AlexNet.create(0));
    assertTrue(e.getMessage().contains("number of classes must be > 0; got 0"), e.getMessage());
  }

  @Test
  void cifar10DeepCnnIsSevenSamePaddedConvolutionsDownToOnePixel() {
    Sequential m = Cifar10DeepCnn.create();
    List<Conv2D> convs = m.layers().stream().filter(l -> l instanceof Conv2D)
        .map(l -> (Conv2D) l).toList();
    assertEquals(List.of(32, 32, 64, 64, 128, 128, 256),
        convs.stream().map(Conv2D::filters).toList());
    convs.forEach(c -> assertEquals(Padding.SAME, c.padding(), c.toString()));
    assertEquals(5, m.layers().stream().filter(l -> l instanceof Dropout)
        .map(l -> ((Dropout) l).rate()).filter(r -> r == 0.25).count());
    String summary = m.summaryString();
    assertTrue(summary.contains("(None, 4, 4, 256)") && summary.contains("(None, 1, 1, 256)"),
        summary);
    assertTrue(summary.contains("(None, 128)"), summary);
  }
}
