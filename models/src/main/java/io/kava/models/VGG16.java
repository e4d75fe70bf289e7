package io.kava.models;

import io.kava.Model;
import io.kava.Node;
import io.kava.layers.Activation;
import io.kava.layers.Conv2D;
import io.kava.layers.Dense;
import io.kava.layers.Flatten;
import io.kava.layers.Input;
import io.kava.layers.MaxPooling2D;
import io.kava.layers.Padding;

/**
 * VGG16 (Simonyan and Zisserman 2015, "Very Deep Convolutional Networks for Large-Scale Image
 * Recognition", configuration D), exactly as {@code keras.applications.VGG16} builds it with
 * {@code include_top=True}: five blocks of 3x3 same-padded ReLU convolutions (64, 128, 256,
 * 512, 512 filters; 2, 2, 3, 3, 3 of them) each closed by 2x2 max pooling, then Flatten, two
 * 4096-unit ReLU Dense layers ({@code fc1}, {@code fc2}) and a softmax Dense
 * ({@code predictions}). Layer names are Keras's ({@code block1_conv1} ... {@code block5_pool}),
 * so Keras weights map by name. 138,357,544 parameters for 1,000 classes at 224x224.
 *
 * <pre>{@code
 * jshell> var vgg = VGG16.create(1000)
 * jshell> vgg.countParams()   // 138357544
 * }</pre>
 */
public final class VGG16 {
  private static final int[] FILTERS = {64, 128, 256, 512, 512};
  private static final int[] CONVS = {2, 2, 3, 3, 3};

  private VGG16() {}

  /** VGG16 for 224x224x3 images and {@code numClasses} classes. */
  public static Model create(int numClasses) {
    return create(numClasses, 224, 224);
  }

  /**
   * VGG16 for {@code height x width x 3} images (at least 32x32, as Keras requires); the
   * size of {@code fc1} follows from it.
   */
  public static Model create(int numClasses, int height, int width) {
    Zoo.checkClasses("VGG16", numClasses);
    Input input = Input.of(height, width, 3);
    Node x = Flatten.of().name("flatten").apply(features(input));
    x = Dense.of(4096).activation(Activation.RELU).name("fc1").apply(x);
    x = Dense.of(4096).activation(Activation.RELU).name("fc2").apply(x);
    Node out = Dense.of(numClasses).activation(Activation.SOFTMAX).name("predictions").apply(x);
    return Model.of(input, out).name("vgg16");
  }

  /**
   * The convolutional base applied to {@code input} (Keras's {@code include_top=False}): a
   * {@code (h/32, w/32, 512)} feature map to put a new head on.
   */
  public static Node features(Input input) {
    Zoo.checkImage("VGG16", input, 32);
    Node x = input;
    for (int b = 0; b < FILTERS.length; b++) {
      String block = "block" + (b + 1);
      for (int c = 0; c < CONVS[b]; c++) {
        x = Conv2D.of(FILTERS[b], 3).padding(Padding.SAME).activation(Activation.RELU)
            .name(block + "_conv" + (c + 1)).apply(x);
      }
      x = MaxPooling2D.of(2).name(block + "_pool").apply(x);
    }
    return x;
  }
}
