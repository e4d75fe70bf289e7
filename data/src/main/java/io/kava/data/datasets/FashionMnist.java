package io.kava.data.datasets;

import java.nio.file.Path;
import java.util.List;

/**
 * Fashion-MNIST (Xiao, Rasul and Vollgraf, Zalando, 2017): 70,000 28x28 grey images of 10
 * clothing classes, a drop-in replacement for MNIST, as Keras's
 * {@code fashion_mnist.load_data()}: read from Keras's cache
 * ({@code ~/.keras/datasets/fashion-mnist/*.gz}), downloaded there with each file's MD5 (from
 * the data set's README) verified if missing.
 *
 * <pre>{@code
 * jshell> TrainTest fashion = FashionMnist.load()
 * jshell> fashion.train().classNames().get(9)   // "Ankle boot"
 * }</pre>
 */
public final class FashionMnist {
  static final List<String> CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress",
      "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
  private static final String BASE =
      "https://storage.googleapis.com/tensorflow/tf-keras-datasets/";
  private static final String[][] FILES = {
      {"train-images-idx3-ubyte.gz", "8d4fb7e6c68d591d4c3dfef9ec88bf0d"},
      {"train-labels-idx1-ubyte.gz", "25c81989df183df01b3e8a0aad5dffbe"},
      {"t10k-images-idx3-ubyte.gz", "bef4ecab320f06d8554ea6380940ec79"},
      {"t10k-labels-idx1-ubyte.gz", "bb300cfdad3c16e7a12a480ee83cd310"}};

  private FashionMnist() {}

  public static TrainTest load() {
    return load(Download.kerasCache());
  }

  /** As {@link #load()}, with another cache folder (files go to {@code fashion-mnist/}). */
  public static TrainTest load(Path cacheDir) {
    Path[] p = new Path[4];
    for (int i = 0; i < 4; i++) {
      p[i] = Download.cached(cacheDir.resolve("fashion-mnist"), FILES[i][0],
          BASE + FILES[i][0], "MD5", FILES[i][1]);
    }
    return new TrainTest(fromIdx(p[0], p[1]), fromIdx(p[2], p[3]));
  }

  /** Reads an images and a labels IDX file (gzipped or not) with Fashion-MNIST's classes. */
  public static ImageDataset fromIdx(Path images, Path labels) {
    ImageDataset d = Mnist.fromIdx(images, labels);
    return new ImageDataset(d.images(), d.labels(), CLASSES);
  }
}
