package io.kava.models;

import io.kava.Sequential;
import io.kava.internal.Checks;
import io.kava.layers.Activation;
import io.kava.layers.Conv2D;
import io.kava.layers.Dense;
import io.kava.layers.Dropout;
import io.kava.layers.Flatten;
import io.kava.layers.Initializer;
import io.kava.layers.Input;
import io.kava.layers.MaxPooling2D;
import io.kava.layers.Padding;
import io.kava.layers.Regularizer;

/**
 * AlexNet (Krizhevsky, Sutskever and Hinton, "ImageNet Classification with Deep
 * Convolutional Neural Networks", NIPS 2012) as the Dogs-vs-Cats tutorial builds it, on
 * 227x227x3 crops: Conv 96 11x11 stride 4, MaxPool 3/2, Conv 256 5x5, MaxPool 3/2, Conv 384
 * 3x3, Conv 384 3x3, Conv 256 3x3, MaxPool 3/2, two Dense 4096 with Dropout 0.5, Dense
 * softmax. Weights N(0, 0.01); biases 1 in conv 2, 4, 5 and the hidden dense layers, 0
 * elsewhere (as the paper); L2 weight decay 0.0005 on every kernel. 58,289,538 parameters
 * for 2 classes.
 *
 * <p>Deviations from the paper, as the tutorial: one tower instead of two GPUs' halves, no
 * local response normalization, "same" padding where the paper padded by hand.
 *
 * <p>Recommended compile: {@code new SGD(0.01).momentum(0.9)},
 * {@code CategoricalCrossentropy}, {@code Accuracy}, with {@code ReduceLROnPlateau} (factor
 * 0.1) as the paper's learning-rate schedule.
 *
 * <pre>{@code
 * jshell> var model = AlexNet.create(2)
 * jshell> model.countParams()   // 58289538
 * }</pre>
 */
public final class AlexNet {
  private static final Regularizer DECAY = Regularizer.l2(0.0005);
  private static final Initializer WEIGHTS = Initializer.randomNormal(0, 0.01);

  private AlexNet() {}

  /** AlexNet with a softmax over {@code numClasses} classes. */
  public static Sequential create(int numClasses) {
    Checks.positive("AlexNet", "number of classes", numClasses);
    return new Sequential(
        Input.of(227, 227, 3),
        conv(96, 11, 0).strides(4),
        MaxPooling2D.of(3).strides(2),
        conv(256, 5, 1).padding(Padding.SAME),
        MaxPooling2D.of(3).strides(2),
        conv(384, 3, 0).padding(Padding.SAME),
        conv(384, 3, 1).padding(Padding.SAME),
        conv(256, 3, 1).padding(Padding.SAME),
        MaxPooling2D.of(3).strides(2),
        Flatten.of(),
        dense(4096, 1).activation(Activation.RELU),
        Dropout.of(0.5),
        dense(4096, 1).activation(Activation.RELU),
        Dropout.of(0.5),
        dense(numClasses, 0).activation(Activation.SOFTMAX))
        .name("alexnet");
  }

  private static Conv2D conv(int filters, int kernel, double bias) {
    return Conv2D.of(filters, kernel).activation(Activation.RELU).kernelInitializer(WEIGHTS)
        .biasInitializer(Initializer.constant(bias)).kernelRegularizer(DECAY);
  }

  private static Dense dense(int units, double bias) {
    return Dense.of(units).kernelInitializer(WEIGHTS)
        .biasInitializer(Initializer.constant(bias)).kernelRegularizer(DECAY);
  }
}
