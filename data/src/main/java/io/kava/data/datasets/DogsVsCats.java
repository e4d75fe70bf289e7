package io.kava.data.datasets;

import io.kava.data.image.ImageReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * Kaggle's Dogs vs Cats (Asirra): one folder of {@code cat.123.jpg} and {@code dog.45.jpg}
 * files of varied sizes, labelled by file name (cat 0, dog 1), as the AlexNet tutorial reads
 * it. {@link #load} resizes into memory (256x256 in the tutorial: 786 KB an image, so take a
 * subset); {@link #asClassFolders} links the files into {@code cat/} and {@code dog/} folders
 * for {@code flowFromDirectory}, which streams any number of them.
 *
 * <pre>{@code
 * jshell> ImageDataset some = DogsVsCats.load(Path.of("train"), 256, 2000)
 * jshell> DogsVsCats.asClassFolders(Path.of("train"), Path.of("train-by-class"))
 * }</pre>
 */
public final class DogsVsCats {
  static final List<String> CLASSES = List.of("cat", "dog");
  private static final Pattern NAME = Pattern.compile("(cat|dog)\\.(\\d+)\\.(jpe?g|png)",
      Pattern.CASE_INSENSITIVE);

  private DogsVsCats() {}

  /** The labelled files of {@code dir}, ordered by class then number (cat.0, cat.1, ...). */
  public static List<Path> files(Path dir) {
    if (dir == null || !Files.isDirectory(dir)) {
      throw new IllegalArgumentException("DogsVsCats: directory " + dir + " must exist; it"
          + " does not.");
    }
    try (Stream<Path> s = Files.list(dir)) {
      List<Path> files = s.filter(p -> NAME.matcher(p.getFileName().toString()).matches())
          .sorted(Comparator.comparing((Path p) -> label(p))
              .thenComparingLong(p -> number(p)))
          .toList();
      if (files.isEmpty()) {
        throw new IllegalArgumentException("DogsVsCats: " + dir + " must hold files named"
            + " cat.<n>.jpg or dog.<n>.jpg; found none.");
      }
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException("DogsVsCats: cannot list " + dir, e);
    }
  }

  /** 0 for cat.*, 1 for dog.*. */
  public static int label(Path file) {
    Matcher m = NAME.matcher(file.getFileName().toString());
    if (!m.matches()) {
      throw new IllegalArgumentException("DogsVsCats: file name must be cat.<n>.jpg or"
          + " dog.<n>.jpg; got " + file.getFileName() + ".");
    }
    return m.group(1).equalsIgnoreCase("cat") ? 0 : 1;
  }

  private static long number(Path file) {
    Matcher m = NAME.matcher(file.getFileName().toString());
    return m.matches() ? Long.parseLong(m.group(2)) : 0;
  }

  /**
   * Up to {@code limit} images, taken alternately from cats and dogs so any limit is
   * balanced, resized to {@code size x size} RGB (bilinear), pixel values 0..255.
   */
  public static ImageDataset load(Path dir, int size, int limit) {
    if (limit <= 0) {
      throw new IllegalArgumentException("DogsVsCats: limit must be > 0; got " + limit + ".");
    }
    List<Path> all = files(dir);
    List<Path> cats = all.stream().filter(p -> label(p) == 0).toList();
    List<Path> dogs = all.stream().filter(p -> label(p) == 1).toList();
    List<Path> chosen = new ArrayList<>();
    for (int i = 0; chosen.size() < limit && (i < cats.size() || i < dogs.size()); i++) {
      if (i < cats.size()) {
        chosen.add(cats.get(i));
      }
      if (i < dogs.size() && chosen.size() < limit) {
        chosen.add(dogs.get(i));
      }
    }
    ImageReader reader = ImageReader.of(size, size);
    int per = size * size * 3;
    float[] px = new float[chosen.size() * per];
    int[] labels = new int[chosen.size()];
    for (int i = 0; i < chosen.size(); i++) {
      reader.read(chosen.get(i)).copyTo(DataBuffers.of(px, false, false).offset((long) i * per)
          .narrow(per));
      labels[i] = label(chosen.get(i));
    }
    return new ImageDataset(NdArrays.wrap(Shape.of(chosen.size(), size, size, 3),
        DataBuffers.of(px, false, false)), labels, CLASSES);
  }

  /**
   * Links every labelled file of {@code dir} into {@code target/cat/} and {@code target/dog/}
   * (symbolic links, so nothing is copied) for {@code flowFromDirectory}. Existing links are
   * kept. Returns {@code target}.
   */
  public static Path asClassFolders(Path dir, Path target) {
    try {
      for (String c : CLASSES) {
        Files.createDirectories(target.resolve(c));
      }
      for (Path f : files(dir)) {
        Path link = target.resolve(CLASSES.get(label(f))).resolve(f.getFileName());
        if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          Files.createSymbolicLink(link, f.toAbsolutePath());
        }
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("DogsVsCats: cannot link files into " + target + ": "
          + e.getMessage(), e);
    }
  }
}
