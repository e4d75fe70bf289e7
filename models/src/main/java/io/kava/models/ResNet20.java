package io.kava.models;

import io.kava.Model;
import io.kava.Node;
import io.kava.layers.Activation;
import io.kava.layers.Add;
import io.kava.layers.AveragePooling2D;
import io.kava.layers.BatchNormalization;
import io.kava.layers.Conv2D;
import io.kava.layers.Dense;
import io.kava.layers.Flatten;
import io.kava.layers.Initializer;
import io.kava.layers.Input;
import io.kava.layers.Padding;
import io.kava.layers.Regularizer;

/**
 * ResNet-20 for CIFAR-10 (He et al. 2016, "Deep Residual Learning for Image Recognition",
 * section 4.2), built exactly as Keras's {@code cifar10_resnet.py} example builds
 * {@code resnet_v1(depth=20)}: a 3x3 Conv2D-BN-ReLU stem with 16 filters, three stacks of
 * three residual blocks (16, 32, 64 filters; the first block of stacks 2 and 3 halves the
 * size with stride 2 and a 1x1 projection shortcut), 8x8 average pooling, and a softmax Dense.
 * Convolutions use {@code he_normal} and L2 1e-4, as the example. 274,442 parameters (1,376 of
 * them BatchNormalization's moving statistics, not trained).
 *
 * <p>Recommended compile, as the example: {@code new Adam(1e-3)},
 * {@code CategoricalCrossentropy}, {@code Accuracy}; inputs scaled to [0, 1] with the
 * training set's per-pixel mean subtracted, and shifts and horizontal flips as augmentation.
 *
 * <pre>{@code
 * jshell> var model = ResNet20.create()
 * jshell> model.countParams()   // 274442
 * }</pre>
 */
public final class ResNet20 {
  private static final int BLOCKS = 3; // (depth - 2) / 6 for depth 20

  private ResNet20() {}

  /** ResNet-20 v1 for 32x32x3 images and 10 classes. */
  public static Model create() {
    return create(10);
  }

  /** ResNet-20 v1 for 32x32x3 images and {@code numClasses} classes. */
  public static Model create(int numClasses) {
    Zoo.checkClasses("ResNet20", numClasses);
    Namer relu = new Namer();
    Input input = Input.of(32, 32, 3);
    Node x = convBn(input, 16, 3, 1, relu);
    int filters = 16;
    for (int stack = 0; stack < 3; stack++) {
      for (int block = 0; block < BLOCKS; block++) {
        int strides = stack > 0 && block == 0 ? 2 : 1;
        Node y = convBn(x, filters, 3, strides, relu);
        y = convBn(y, filters, 3, 1, null);
        if (strides == 2) {
          // The projection shortcut: a strided 1x1 convolution, no batch normalization.
          x = conv(filters, 1, strides).apply(x);
        }
        x = relu.next().apply(Add.of().apply(x, y));
      }
      filters *= 2;
    }
    Node pooled = Flatten.of().apply(AveragePooling2D.of(8).apply(x));
    Node out = Dense.of(numClasses).activation(Activation.SOFTMAX)
        .kernelInitializer(Initializer.heNormal()).apply(pooled);
    return Model.of(input, out).name("resnet20_v1");
  }

  /** Conv2D, BatchNormalization and (when {@code relu} is given) a ReLU activation layer. */
  private static Node convBn(Node x, int filters, int kernel, int strides, Namer relu) {
    Node y = BatchNormalization.of().apply(conv(filters, kernel, strides).apply(x));
    return relu == null ? y : relu.next().apply(y);
  }

  private static Conv2D conv(int filters, int kernel, int strides) {
    return Conv2D.of(filters, kernel).strides(strides).padding(Padding.SAME)
        .kernelInitializer(Initializer.heNormal()).kernelRegularizer(Regularizer.l2(1e-4));
  }

  /** Keras's names for the example's unnamed activation layers: activation, activation_1... */
  private static final class Namer {
    private int count;

    Activation next() {
      String name = count == 0 ? "activation" : "activation_" + count;
      count++;
      return Activation.RELU.name(name);
    }
  }
}
