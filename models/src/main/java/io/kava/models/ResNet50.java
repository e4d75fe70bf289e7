package io.kava.models;

import io.kava.Model;
import io.kava.Node;
import io.kava.layers.Activation;
import io.kava.layers.Add;
import io.kava.layers.BatchNormalization;
import io.kava.layers.Conv2D;
import io.kava.layers.Dense;
import io.kava.layers.GlobalAveragePooling2D;
import io.kava.layers.Input;
import io.kava.layers.MaxPooling2D;
import io.kava.layers.Padding;
import io.kava.layers.ZeroPadding2D;

/**
 * ResNet-50 (He et al. 2016, "Deep Residual Learning for Image Recognition"), exactly as
 * {@code keras.applications.ResNet50} builds it with {@code include_top=True}: a 7x7/2 stem
 * with explicit zero padding, 3x3/2 max pooling, four stacks of bottleneck blocks (3, 4, 6, 3
 * blocks of 64, 128, 256, 512 filters, 4x expansion, a projection shortcut in each stack's
 * first block, stride 2 in the 1x1 convolution as Keras does), global average pooling and a
 * softmax Dense. Convolutions have biases and BatchNormalization uses epsilon 1.001e-5, as
 * Keras; layer names are Keras's ({@code conv2_block1_1_conv} ...), so Keras weights map by
 * name. 25,636,712 parameters for 1,000 classes (53,120 non-trainable).
 *
 * <pre>{@code
 * jshell> var resnet = ResNet50.create(1000)
 * jshell> resnet.countParams()   // 25636712
 * }</pre>
 */
public final class ResNet50 {
  private ResNet50() {}

  /** ResNet-50 for 224x224x3 images and {@code numClasses} classes. */
  public static Model create(int numClasses) {
    return create(numClasses, 224, 224);
  }

  /** ResNet-50 for {@code height x width x 3} images (at least 32x32, as Keras requires). */
  public static Model create(int numClasses, int height, int width) {
    Zoo.checkClasses("ResNet50", numClasses);
    Input input = Input.of(height, width, 3);
    Node x = GlobalAveragePooling2D.of().name("avg_pool").apply(features(input));
    Node out = Dense.of(numClasses).activation(Activation.SOFTMAX).name("predictions").apply(x);
    return Model.of(input, out).name("resnet50");
  }

  /**
   * The convolutional base applied to {@code input} (Keras's {@code include_top=False}): a
   * {@code (h/32, w/32, 2048)} feature map to put a new head on.
   */
  public static Node features(Input input) {
    Zoo.checkImage("ResNet50", input, 32);
    Node x = ZeroPadding2D.of(3, 3, 3, 3).name("conv1_pad").apply(input);
    x = Conv2D.of(64, 7).strides(2).name("conv1_conv").apply(x);
    x = bn("conv1_bn", x);
    x = Activation.RELU.name("conv1_relu").apply(x);
    x = ZeroPadding2D.of(1, 1, 1, 1).name("pool1_pad").apply(x);
    x = MaxPooling2D.of(3).strides(2).name("pool1_pool").apply(x);
    x = stack(x, 64, 3, 1, "conv2");
    x = stack(x, 128, 4, 2, "conv3");
    x = stack(x, 256, 6, 2, "conv4");
    return stack(x, 512, 3, 2, "conv5");
  }

  /** Keras's {@code stack_residual_blocks_v1}. */
  private static Node stack(Node x, int filters, int blocks, int stride, String name) {
    x = block(x, filters, stride, true, name + "_block1");
    for (int i = 2; i <= blocks; i++) {
      x = block(x, filters, 1, false, name + "_block" + i);
    }
    return x;
  }

  /** Keras's {@code residual_block_v1}: 1x1, 3x3, 1x1 (4x filters), plus the shortcut. */
  private static Node block(Node x, int filters, int stride, boolean project, String name) {
    Node shortcut = x;
    if (project) {
      shortcut = Conv2D.of(4 * filters, 1).strides(stride).name(name + "_0_conv").apply(x);
      shortcut = bn(name + "_0_bn", shortcut);
    }
    Node y = Conv2D.of(filters, 1).strides(stride).name(name + "_1_conv").apply(x);
    y = Activation.RELU.name(name + "_1_relu").apply(bn(name + "_1_bn", y));
    y = Conv2D.of(filters, 3).padding(Padding.SAME).name(name + "_2_conv").apply(y);
    y = Activation.RELU.name(name + "_2_relu").apply(bn(name + "_2_bn", y));
    y = Conv2D.of(4 * filters, 1).name(name + "_3_conv").apply(y);
    y = bn(name + "_3_bn", y);
    Node sum = Add.of().name(name + "_add").apply(shortcut, y);
    return Activation.RELU.name(name + "_out").apply(sum);
  }

  private static Node bn(String name, Node x) {
    return BatchNormalization.of().epsilon(1.001e-5).name(name).apply(x);
  }
}
