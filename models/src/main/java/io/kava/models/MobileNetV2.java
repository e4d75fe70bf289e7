package io.kava.models;

import io.kava.Model;
import io.kava.Node;
import io.kava.layers.Activation;
import io.kava.layers.Add;
import io.kava.layers.BatchNormalization;
import io.kava.layers.Conv2D;
import io.kava.layers.Dense;
import io.kava.layers.DepthwiseConv2D;
import io.kava.layers.GlobalAveragePooling2D;
import io.kava.layers.Input;
import io.kava.layers.Padding;
import io.kava.layers.ReLU;
import io.kava.layers.ZeroPadding2D;

/**
 * MobileNetV2 (Sandler et al. 2018, "MobileNetV2: Inverted Residuals and Linear
 * Bottlenecks"), exactly as {@code keras.applications.MobileNetV2} builds it with
 * {@code alpha=1.0, include_top=True}: a 3x3/2 convolution with 32 filters, 17 inverted
 * residual blocks (1x1 expansion by 6, except the first; a 3x3 depthwise convolution,
 * explicitly zero-padded where it has stride 2; a linear 1x1 projection; an {@code Add}
 * where shapes allow), a 1x1 convolution to 1280 channels, global average pooling and a
 * softmax Dense. Convolutions have no bias; BatchNormalization uses epsilon 1e-3 and momentum
 * 0.999; activations are ReLU6. Layer names are Keras's ({@code block_1_expand} ...).
 * 3,538,984 parameters for 1,000 classes (34,112 non-trainable).
 *
 * <pre>{@code
 * jshell> var net = MobileNetV2.create(1000)
 * jshell> net.countParams()   // 3538984
 * jshell> var small = MobileNetV2.create(10, 96, 96)
 * }</pre>
 */
public final class MobileNetV2 {
  // filters, stride, expansion of blocks 0..16 (Keras's table for alpha = 1).
  private static final int[][] BLOCKS = {
      {16, 1, 1}, {24, 2, 6}, {24, 1, 6}, {32, 2, 6}, {32, 1, 6}, {32, 1, 6},
      {64, 2, 6}, {64, 1, 6}, {64, 1, 6}, {64, 1, 6}, {96, 1, 6}, {96, 1, 6}, {96, 1, 6},
      {160, 2, 6}, {160, 1, 6}, {160, 1, 6}, {320, 1, 6}};

  private MobileNetV2() {}

  /** MobileNetV2 for 224x224x3 images and {@code numClasses} classes. */
  public static Model create(int numClasses) {
    return create(numClasses, 224, 224);
  }

  /** MobileNetV2 for {@code height x width x 3} images (at least 32x32, as Keras requires). */
  public static Model create(int numClasses, int height, int width) {
    Zoo.checkClasses("MobileNetV2", numClasses);
    Input input = Input.of(height, width, 3);
    Node x = GlobalAveragePooling2D.of().apply(features(input));
    Node out = Dense.of(numClasses).activation(Activation.SOFTMAX).name("predictions").apply(x);
    return Model.of(input, out).name("mobilenetv2_1.00_" + height);
  }

  /**
   * The convolutional base applied to {@code input} (Keras's {@code include_top=False}): a
   * {@code (h/32, w/32, 1280)} feature map to put a new head on.
   */
  public static Node features(Input input) {
    Zoo.checkImage("MobileNetV2", input, 32);
    Node x = Conv2D.of(32, 3).strides(2).padding(Padding.SAME).useBias(false).name("Conv1")
        .apply(input);
    x = relu6("Conv1_relu", bn("bn_Conv1", x));
    for (int id = 0; id < BLOCKS.length; id++) {
      x = invertedResidual(x, BLOCKS[id][0], BLOCKS[id][1], BLOCKS[id][2], id);
    }
    x = Conv2D.of(1280, 1).useBias(false).name("Conv_1").apply(x);
    return relu6("out_relu", bn("Conv_1_bn", x));
  }

  /** Keras's {@code _inverted_res_block}. */
  private static Node invertedResidual(Node in, int filters, int stride, int expansion,
      int id) {
    long channels = in.shape().get(2);
    String prefix = "block_" + id + "_";
    Node x = in;
    if (id > 0) {
      x = Conv2D.of((int) (expansion * channels), 1).padding(Padding.SAME).useBias(false)
          .name(prefix + "expand").apply(x);
      x = relu6(prefix + "expand_relu", bn(prefix + "expand_BN", x));
    } else {
      prefix = "expanded_conv_";
    }
    if (stride == 2) {
      // Keras's correct_pad: one pixel less before than after on even sizes.
      long h = x.shape().get(0);
      long w = x.shape().get(1);
      x = ZeroPadding2D.of((int) (h % 2), 1, (int) (w % 2), 1).name(prefix + "pad").apply(x);
    }
    x = DepthwiseConv2D.of(3).strides(stride).padding(stride == 1 ? Padding.SAME : Padding.VALID)
        .useBias(false).name(prefix + "depthwise").apply(x);
    x = relu6(prefix + "depthwise_relu", bn(prefix + "depthwise_BN", x));
    x = Conv2D.of(filters, 1).padding(Padding.SAME).useBias(false).name(prefix + "project")
        .apply(x);
    x = bn(prefix + "project_BN", x);
    if (channels == filters && stride == 1) {
      return Add.of().name(prefix + "add").apply(in, x);
    }
    return x;
  }

  private static Node bn(String name, Node x) {
    return BatchNormalization.of().epsilon(1e-3).momentum(0.999).name(name).apply(x);
  }

  private static Node relu6(String name, Node x) {
    return ReLU.of().maxValue(6.0).name(name).apply(x);
  }
}
