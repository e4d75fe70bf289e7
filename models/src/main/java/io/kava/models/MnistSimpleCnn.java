package io.kava.models;

import io.kava.Sequential;
import io.kava.layers.Activation;
import io.kava.layers.Conv2D;
import io.kava.layers.Dense;
import io.kava.layers.Flatten;
import io.kava.layers.Input;
import io.kava.layers.MaxPooling2D;

/**
 * The simple MNIST CNN of the classic Keras tutorial: Conv2D 32 3x3 ReLU, MaxPooling 2x2,
 * Flatten, Dense 10 softmax on 28x28x1 digits. 54,410 parameters.
 *
 * <p>Recommended compile: {@code new Adam(0.001)}, {@code CategoricalCrossentropy},
 * {@code Accuracy}, inputs rescaled to [0, 1]. One epoch on 8,000 digits reaches about 0.96
 * test accuracy.
 *
 * <pre>{@code
 * jshell> var model = MnistSimpleCnn.create()
 * jshell> model.compile(new Adam(), new CategoricalCrossentropy(), new Accuracy())
 * }</pre>
 */
public final class MnistSimpleCnn {
  private MnistSimpleCnn() {}

  public static Sequential create() {
    return new Sequential(
        Input.of(28, 28, 1),
        Conv2D.of(32, 3).activation(Activation.RELU),
        MaxPooling2D.of(2),
        Flatten.of(),
        Dense.of(10).activation(Activation.SOFTMAX))
        .name("mnist_simple_cnn");
  }
}
