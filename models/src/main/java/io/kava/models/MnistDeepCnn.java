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
 * The deep CNN of the MNIST odd/even tutorial (binary classification, one sigmoid unit):
 * 2x Conv2D 32 3x3, MaxPooling 2, Dropout 0.25, 2x Conv2D 64 3x3, MaxPooling 2, Dropout 0.25,
 * Flatten, Dense 256 ReLU, Dropout 0.5, Dense 1 sigmoid. 327,649 parameters.
 *
 * <p>Recommended compile, as the tutorial: {@code new SGD(0.01)},
 * {@code BinaryCrossentropy}, {@code Accuracy}; labels 1 for odd digits, 0 for even ones,
 * inputs rescaled to [0, 1].
 *
 * <pre>{@code
 * jshell> var model = MnistDeepCnn.create()
 * jshell> model.compile(new SGD(0.01), new BinaryCrossentropy(), new Accuracy())
 * }</pre>
 */
public final class MnistDeepCnn {
  private MnistDeepCnn() {}

  public static Sequential create() {
    return new Sequential(
        Input.of(28, 28, 1),
        Conv2D.of(32, 3).activation(Activation.RELU),
        Conv2D.of(32, 3).activation(Activation.RELU),
        MaxPooling2D.of(2),
        Dropout.of(0.25),
        Conv2D.of(64, 3).activation(Activation.RELU),
        Conv2D.of(64, 3).activation(Activation.RELU),
        MaxPooling2D.of(2),
        Dropout.of(0.25),
        Flatten.of(),
        Dense.of(256).activation(Activation.RELU),
        Dropout.of(0.5),
        Dense.of(1).activation(Activation.SIGMOID))
        .name("mnist_deep_cnn");
  }
}
