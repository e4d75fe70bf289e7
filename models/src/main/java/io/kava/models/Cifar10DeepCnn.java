package io.kava.models;

import io.kava.Sequential;
import io.kava.layers.Activation;
import io.kava.layers.Conv2D;
import io.kava.layers.Dense;
import io.kava.layers.Dropout;
import io.kava.layers.Flatten;
import io.kava.layers.Input;
import io.kava.layers.MaxPooling2D;
import io.kava.layers.Padding;

/**
 * The deeper CIFAR-10 CNN of the sparse-labels tutorial, on 32x32x3 images: seven 3x3
 * "same"-padded ReLU convolutions in four blocks, each block ending in max pooling and
 * Dropout 0.25, then Flatten, Dense 128 ReLU, Dropout 0.25 and Dense 10 softmax. 616,362
 * parameters.
 *
 * <pre>
 *   block 1: Conv2D 32, Conv2D 32,   MaxPooling 2   32x32 -> 16x16
 *   block 2: Conv2D 64, Conv2D 64,   MaxPooling 2   16x16 -> 8x8
 *   block 3: Conv2D 128, Conv2D 128, MaxPooling 2   8x8   -> 4x4
 *   block 4: Conv2D 256,             MaxPooling 4   4x4   -> 1x1 (a global max pool)
 * </pre>
 *
 * <p>The filter counts and the 256-wide Flatten follow from the parameter count the tutorial
 * reports (582,176 in the convolutions, 32,896 + 1,290 in the dense layers); no other
 * 3x3 "same" layout with a Dense 128 head gives 616,362.
 *
 * <p>Recommended compile, as the tutorial: {@code new Adam()},
 * {@code SparseCategoricalCrossentropy} on class indices, {@code Accuracy}; inputs rescaled
 * to [0, 1].
 *
 * <pre>{@code
 * jshell> var model = Cifar10DeepCnn.create()
 * jshell> model.countParams()   // 616362
 * }</pre>
 */
public final class Cifar10DeepCnn {
  private Cifar10DeepCnn() {}

  public static Sequential create() {
    return new Sequential(
        Input.of(32, 32, 3),
        conv(32), conv(32), MaxPooling2D.of(2), Dropout.of(0.25),
        conv(64), conv(64), MaxPooling2D.of(2), Dropout.of(0.25),
        conv(128), conv(128), MaxPooling2D.of(2), Dropout.of(0.25),
        conv(256), MaxPooling2D.of(4), Dropout.of(0.25),
        Flatten.of(),
        Dense.of(128).activation(Activation.RELU),
        Dropout.of(0.25),
        Dense.of(10).activation(Activation.SOFTMAX))
        .name("cifar10_deep_cnn");
  }

  private static Conv2D conv(int filters) {
    return Conv2D.of(filters, 3).padding(Padding.SAME).activation(Activation.RELU);
  }
}
