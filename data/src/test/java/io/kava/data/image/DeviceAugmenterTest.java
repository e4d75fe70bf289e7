package io.kava.data.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.tensorflow.DeviceSpec;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * The TensorFlow pipeline used on a GPU, run here on the CPU device, gives the batches the
 * Java pipeline gives: same transforms, same standardization.
 */
class DeviceAugmenterTest {

  static ImageDataGenerator.Builder everything() {
    return ImageDataGenerator.builder().rotationRange(30).widthShiftRange(0.2)
        .heightShiftRange(3).shearRange(10).zoomRange(0.2).channelShiftRange(20)
        .brightnessRange(0.7, 1.3).horizontalFlip(true).verticalFlip(true)
        .fillMode(FillMode.REFLECT).rescale(1 / 255.0).samplewiseCenter(true)
        .featurewiseStdNormalization(true);
  }

  static FloatNdArray images(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] v = new float[n * 9 * 11 * 3];
    for (int i = 0; i < v.length; i++) {
      v[i] = r.nextInt(256);
    }
    return NdArrays.wrap(Shape.of(n, 9, 11, 3), DataBuffers.of(v, false, false));
  }

  @Test
  void devicePipelineEqualsTheJavaPipeline() {
    FloatNdArray x = images(24, 1);
    ImageDataGenerator java = everything().build();
    ImageDataGenerator device = everything().build()
        .onDevice(DeviceSpec.newBuilder().deviceType(DeviceSpec.DeviceType.CPU).build());
    java.fit(x);
    device.fit(x);
    var a = java.flow(x, FlowOptions.defaults().batchSize(8).seed(5)).get(1).x();
    var b = device.flow(x, FlowOptions.defaults().batchSize(8).seed(5)).get(1).x();
    float worst = 0;
    for (long i = 0; i < 8; i++) {
      for (long y = 0; y < 9; y++) {
        for (long c = 0; c < 11; c++) {
          for (long k = 0; k < 3; k++) {
            worst = Math.max(worst, Math.abs(a.getFloat(i, y, c, k) - b.getFloat(i, y, c, k)));
          }
        }
      }
    }
    assertEquals(0f, worst, 1e-3f, "largest difference between the pipelines");
  }

  @Test
  @Tag("gpu")
  void onAGpuMachineTheProbeFindsTheDevice() {
    // Run with -Pgpu -Dsurefire.groups=gpu on a machine with CUDA: batches then go to the GPU.
    assertTrue(DeviceAugmenter.gpuAvailable());
  }
}
