package io.kava.models;

import io.kava.Sequential;
import io.kava.layers.Activation;
import io.kava.layers.Conv2D;
import io.kava.layers.Dense;
import io.kava.layers.Dropout;
import io.kava.layers.Flatten;
import io.kava.layers.Input;
import io.kava.layers.MaxPooling2D;

/**
 * Keras's classic {@code mnist_cnn} example: Conv2D 32 3x3 ReLU, Conv2D 64 3x3 ReLU,
 * MaxPooling 2, Dropout 0.25, Flatten, Dense 128 ReLU, Dropout 0.5, Dense 10 softmax.
 * 1,199,882 parameters.
 *
 * <p>Recommended compile: {@code new Adam()} (the example used Adadelta),
 * {@code CategoricalCrossentropy}, {@code Accuracy}; inputs rescaled to [0, 1].
 *
 * <pre>{@code
 * jshell> var model = MnistCnn.create()
 * jshell> model.countParams()   // 1199882
 * }</pre>
 */
public final class MnistCnn {
  private MnistCnn() {}

  public static Sequential create() {
    return new Sequential(
        Input.of(28, 28, 1),
        Conv2D.of(32, 3).activation(Activation.RELU),
        Conv2D.of(64, 3).activation(Activation.RELU),
        MaxPooling2D.of(2),
        Dropout.of(0.25),
        Flatten.of(),
        Dense.of(128).activation(Activation.RELU),
        Dropout.of(0.5),
        Dense.of(10).activation(Activation.SOFTMAX))
        .name("mnist_cnn");
  }
}
