package io.kava.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kava.FitOptions;
import io.kava.History;
import io.kava.Model;
import io.kava.Node;
import io.kava.data.image.DirectoryIterator;
import io.kava.data.image.FlowOptions;
import io.kava.data.image.ImageDataGenerator;
import io.kava.layers.Activation;
import io.kava.layers.Dense;
import io.kava.layers.GlobalAveragePooling2D;
import io.kava.layers.Input;
import io.kava.losses.CategoricalCrossentropy;
import io.kava.metrics.Accuracy;
import io.kava.models.MobileNetV2;
import io.kava.optimizers.Adam;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's model-zoo example, run as written on real class folders of JPEGs. */
class ReadmeExamplesTest {
  private static final Path CIFAR_TEST = Path.of("../../shared/data/cifar10-jpg/test");

  @Test
  void aNewHeadOnMobileNetV2FeaturesTrainsOnClassFolders(@TempDir Path photos)
      throws IOException {
    for (String label : List.of("cat", "dog")) {
      Path dir = Files.createDirectories(photos.resolve("train").resolve(label));
      for (int i = 0; i < 24; i++) {
        String name = String.format("%04d.jpg", i);
        Files.copy(CIFAR_TEST.resolve(label).resolve(name), dir.resolve(name));
      }
    }
    Input image = Input.of(96, 96, 3);
    Node x = GlobalAveragePooling2D.of().apply(MobileNetV2.features(image));
    Node out = Dense.of(2).activation(Activation.SOFTMAX).name("cat_or_dog").apply(x);
    try (Model model = Model.of(image, out).seed(1)) {
      model.compile(new Adam(1e-3), new CategoricalCrossentropy(), new Accuracy());
      DirectoryIterator train = ImageDataGenerator.builder().rescale(1 / 255.0)
          .horizontalFlip(true).build().flowFromDirectory(photos.resolve("train"),
              FlowOptions.defaults().targetSize(96, 96).seed(2));
      assertEquals(48, train.samples());
      History h = model.fit(train, FitOptions.defaults().epochs(2).verbose(0).seed(3));
      List<Double> loss = h.get("loss");
      assertEquals(2, loss.size());
      assertTrue(loss.stream().allMatch(Double::isFinite), loss.toString());
      assertEquals(2, model.predict(train.get(0).x()).shape().get(1));
    }
  }
}
