package io.kava.models;

import io.kava.Sequential;
import io.kava.layers.Activation;
import io.kava.layers.Conv2D;
import io.kava.layers.Dense;
import io.kava.layers.Flatten;
import io.kava.layers.Input;
import io.kava.layers.MaxPooling2D;

/**
 * The CIFAR-10 CNN of the classic tutorial, on 32x32x3 images: 2x Conv2D 64 3x3 ReLU
 * (valid), MaxPooling 2, 2x Conv2D 128 3x3 ReLU (valid), MaxPooling 2, Flatten, 2x Dense
 * 1024 ReLU, Dense 10 softmax. 4,597,834 parameters.
 *
 * <p>Recommended compile, as the tutorial: {@code new RMSprop(0.0001)},
 * {@code CategoricalCrossentropy}, {@code Accuracy}; inputs rescaled to [0, 1].
 *
 * <pre>{@code
 * jshell> var model = Cifar10Cnn.create()
 * jshell> model.countParams()   // 4597834
 * }</pre>
 */
public final class Cifar10Cnn {
  private Cifar10Cnn() {}

  public static Sequential create() {
    return new Sequential(
        Input.of(32, 32, 3),
        Conv2D.of(64, 3).activation(Activation.RELU),
        Conv2D.of(64, 3).activation(Activation.RELU),
        MaxPooling2D.of(2),
        Conv2D.of(128, 3).activation(Activation.RELU),
        Conv2D.of(128, 3).activation(Activation.RELU),
        MaxPooling2D.of(2),
        Flatten.of(),
        Dense.of(1024).activation(Activation.RELU),
        Dense.of(1024).activation(Activation.RELU),
        Dense.of(10).activation(Activation.SOFTMAX))
        .name("cifar10_cnn");
  }
}
