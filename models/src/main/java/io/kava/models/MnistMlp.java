package io.kava.models;

import io.kava.Sequential;
import io.kava.layers.Activation;
import io.kava.layers.Dense;
import io.kava.layers.Flatten;
import io.kava.layers.Input;

/**
 * The multilayer perceptron of the MNIST odd/even tutorial: Flatten, three Dense 256 ReLU
 * layers and one sigmoid unit (odd = 1, even = 0). 332,801 parameters.
 *
 * <p>Recommended compile, as the tutorial: {@code new SGD(0.01)}, {@code BinaryCrossentropy},
 * {@code Accuracy}; inputs rescaled to [0, 1].
 *
 * <pre>{@code
 * jshell> var model = MnistMlp.create()
 * jshell> model.compile(new SGD(0.01), new BinaryCrossentropy(), new Accuracy())
 * }</pre>
 */
public final class MnistMlp {
  private MnistMlp() {}

  public static Sequential create() {
    return new Sequential(
        Input.of(28, 28, 1),
        Flatten.of(),
        Dense.of(256).activation(Activation.RELU),
        Dense.of(256).activation(Activation.RELU),
        Dense.of(256).activation(Activation.RELU),
        Dense.of(1).activation(Activation.SIGMOID))
        .name("mnist_mlp");
  }
}
