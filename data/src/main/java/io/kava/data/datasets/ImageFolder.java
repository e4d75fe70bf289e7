package io.kava.data.datasets;

import io.kava.Batch;
import io.kava.data.image.ClassMode;
import io.kava.data.image.DirectoryIterator;
import io.kava.data.image.FlowOptions;
import io.kava.data.image.ImageDataGenerator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * Loads class folders of images ({@code dir/<class>/...}) into memory, resized to
 * {@code height x width} RGB, pixel values 0..255: the whole folder as one
 * {@link ImageDataset}, in {@code flowFromDirectory}'s order (classes sorted, files sorted).
 * For data that does not fit in memory, use {@code flowFromDirectory} directly.
 *
 * <pre>{@code
 * jshell> ImageDataset train = ImageFolder.load(Path.of("cifar10-jpg/train"), 32, 32)
 * }</pre>
 */
public final class ImageFolder {
  private ImageFolder() {}

  public static ImageDataset load(Path dir, int height, int width) {
    DirectoryIterator it = ImageDataGenerator.identity().flowFromDirectory(dir,
        FlowOptions.defaults().targetSize(height, width).classMode(ClassMode.SPARSE)
            .shuffle(false).batchSize(256));
    int n = it.samples();
    int per = height * width * 3;
    float[] px = new float[n * per];
    int at = 0;
    for (int i = 0; i < it.size(); i++) {
      Batch b = it.get(i);
      int size = (int) b.x().shape().size();
      b.x().copyTo(DataBuffers.of(px, false, false).offset(at).narrow(size));
      at += size;
    }
    List<String> names = new ArrayList<>(it.classIndices().keySet());
    return new ImageDataset(NdArrays.wrap(Shape.of(n, height, width, 3), DataBuffers.of(px,
        false, false)), it.classes(), names);
  }
}
