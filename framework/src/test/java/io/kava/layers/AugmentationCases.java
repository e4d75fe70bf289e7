package io.kava.layers;

import static io.kava.TestArrays.array;
import static io.kava.TestArrays.flat;
import static io.kava.TestArrays.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kava.Sequential;
import io.kava.losses.MeanSquaredError;
import io.kava.optimizers.SGD;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/** What the random augmentation layers' tests share. */
final class AugmentationCases {
  private AugmentationCases() {}

  /**
   * The image one training step on {@code image} (one sample) trained on, read from the
   * gradient: in {@code Input -> aug -> Flatten -> Dense(1, no bias, kernel 0)} with target
   * -0.5 and SGD at rate 1, the kernel's gradient is {@code 2 (0 + 0.5) x' = x'}, so the kernel
   * after the step is {@code -x'}, where {@code x'} is what the layer passed on.
   */
  static float[] seenByTraining(Layer aug, FloatNdArray image, long fitSeed) {
    long[] d = image.shape().asArray();
    try (Sequential model = new Sequential(Input.of(Arrays.copyOfRange(d, 1, d.length)), aug,
        Flatten.of(), Dense.of(1).useBias(false).kernelInitializer(Initializer.zeros()))) {
      model.compile(new SGD(1), new MeanSquaredError());
      model.fit(image, array(new long[] {1, 1}, -0.5f),
          LayerContract.oneStep(image).seed(fitSeed));
      float[] kernel = flat(model.getWeights().get(0));
      for (int i = 0; i < kernel.length; i++) {
        kernel[i] = -kernel[i];
      }
      return kernel;
    }
  }

  /** {@code Input(4, 4, 1) -> aug -> Conv2D(2, 1x1) -> Flatten -> Dense(1)}. */
  static LayerContract.GradientCase beforeWeights(Layer aug) {
    Sequential model = new Sequential(Input.of(4, 4, 1), aug, Conv2D.of(2, 1), Flatten.of(),
        Dense.of(1)).seed(3);
    return LayerContract.GradientCase.of(model, uniform(1, -1, 1, 3, 4, 4, 1),
        uniform(2, -1, 1, 3, 1));
  }

  /** predict and evaluate see the input unchanged: the layer acts only on the training path. */
  static void assertIdentityAtInference(Layer aug, FloatNdArray x) {
    long[] d = x.shape().asArray();
    try (Sequential model = new Sequential(Input.of(Arrays.copyOfRange(d, 1, d.length)), aug)) {
      assertArrayEquals(flat(x), flat(model.predict(x)));
      model.compile(new SGD(0.1), new MeanSquaredError());
      assertEquals(0.0, model.evaluate(x, x).get("loss"));
    }
  }

  /**
   * {@code Input -> aug -> Conv2D(1, 1x1, no bias)} on one-channel images, trained a step
   * (through the augmentation), then exported: the SavedModel returns {@code k * x} for the
   * trained kernel {@code k}, as predict does, so the export holds no augmentation.
   */
  static void assertExportIsIdentity(Layer aug, FloatNdArray x, Path dir) {
    long[] d = x.shape().asArray();
    float[] expected = flat(x);
    try (Sequential model = new Sequential(Input.of(Arrays.copyOfRange(d, 1, d.length)), aug,
        Conv2D.of(1, 1).useBias(false))) {
      model.compile(new SGD(0.1), new MeanSquaredError());
      model.fit(x, x, LayerContract.oneStep(x));
      float k = flat(model.getWeights().get(0))[0];
      for (int i = 0; i < expected.length; i++) {
        expected[i] *= k;
      }
      assertArrayEquals(expected, flat(model.predict(x)), 1e-6f);
      model.export(dir);
    }
    try (SavedModelBundle b = SavedModelBundle.load(dir.toString(), "serve");
        TFloat32 in = TFloat32.tensorOf(x);
        var r = b.function("serving_default").call(Map.of("input_layer", in))) {
      TFloat32 out = (TFloat32) r.get("output_0").get();
      float[] got = new float[(int) out.shape().size()];
      out.copyTo(DataBuffers.of(got, false, false));
      assertArrayEquals(expected, got, 1e-6f);
    }
  }

  /**
   * A warp after a layer with weights: predict works (no gradient needed), training fails
   * when the training graph is built, with {@code message}.
   */
  static void assertRefusedAfterWeights(Layer aug, String message) {
    FloatNdArray x = uniform(1, -1, 1, 2, 4, 4, 1);
    try (Sequential model = new Sequential(Input.of(4, 4, 1), Conv2D.of(1, 1), aug,
        Flatten.of(), Dense.of(1))) {
      assertEquals(2, model.predict(x).shape().get(0));
      var e = assertThrows(IllegalArgumentException.class, () -> {
        model.compile(new SGD(0.1), new MeanSquaredError());
        model.fit(x, uniform(2, -1, 1, 2, 1), LayerContract.oneStep(x));
      });
      assertEquals(message, e.getMessage());
    }
  }
}
