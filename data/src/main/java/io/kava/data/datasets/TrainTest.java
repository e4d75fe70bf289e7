package io.kava.data.datasets;

/**
 * A data set's training and test parts, as Keras's {@code load_data()} returns
 * {@code (x_train, y_train), (x_test, y_test)}.
 *
 * <pre>{@code
 * jshell> TrainTest mnist = Mnist.load()
 * jshell> mnist.train().images()   // [60000, 28, 28, 1]
 * }</pre>
 *
 * @param train the training images and labels
 * @param test the test images and labels
 */
public record TrainTest(ImageDataset train, ImageDataset test) {

  @Override
  public String toString() {
    return "TrainTest(train=" + train.size() + ", test=" + test.size() + ", classes="
        + train.classNames().size() + ")";
  }
}
