package io.kava.data.image;

import io.kava.Batch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * Augmented batches of images read from class sub-folders, from
 * {@link ImageDataGenerator#flowFromDirectory}, as Keras's {@code DirectoryIterator}.
 *
 * <p>Classes are the sorted sub-folder names (or {@code FlowOptions.classes}); each class
 * folder is walked recursively and its files sorted; accepted extensions are Keras's png, jpg,
 * jpeg, bmp, ppm, tif, tiff, plus gif (any case). With the generator's validation split, the
 * first {@code int(split * n)} files of each class are VALIDATION, the rest TRAINING. Images
 * are decoded and resized in parallel, then augmented as a batch.
 *
 * <pre>{@code
 * jshell> var it = gen.flowFromDirectory(Path.of("cifar10-jpg/train"),
 *    ...>     FlowOptions.defaults().targetSize(32, 32).batchSize(32))
 * Found 50000 images belonging to 10 classes.
 * jshell> it.classIndices()
 * }</pre>
 */
public final class DirectoryIterator extends ImageIterator {
  static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "ppm", "tif",
      "tiff", "gif");

  private final Path directory;
  private final List<String> filenames;
  private final int[] classes;
  private final Map<String, Integer> classIndices;
  private final FlowOptions options;
  private final ImageDecoder decoder;
  private final BatchDecoder batchDecoder;
  private final ExecutorService pool;
  private int saved;

  DirectoryIterator(ImageDataGenerator gen, Path directory, FlowOptions options) {
    this(gen, directory, options, Scan.of(gen, directory, options));
  }

  private DirectoryIterator(ImageDataGenerator gen, Path directory, FlowOptions options,
      Scan scan) {
    super(gen, scan.files.size(), options);
    this.directory = directory;
    this.options = options;
    this.filenames = Collections.unmodifiableList(scan.files);
    this.classes = scan.labels;
    this.classIndices = Collections.unmodifiableMap(scan.classIndices);
    this.decoder = new ImageDecoder(options.targetHeight, options.targetWidth,
        options.colorMode, options.interpolation, options.keepAspectRatio);
    this.batchDecoder = options.colorMode == ColorMode.RGBA ? null : new BatchDecoder(
        options.targetHeight, options.targetWidth, options.colorMode, options.interpolation,
        options.keepAspectRatio);
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    this.pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "kava-decode");
      t.setDaemon(true);
      return t;
    });
    NativeResources.onUnreachable(this, pool::shutdown);
    System.out.println("Found " + filenames.size() + " images belonging to "
        + classIndices.size() + " classes.");
    if (filenames.isEmpty()) {
      throw new IllegalArgumentException("flowFromDirectory: " + directory + " must hold images ("
          + String.join(", ", new java.util.TreeSet<>(EXTENSIONS)) + ") in its class folders"
          + (options.subset == null ? "" : " for the " + options.subset + " subset")
          + "; found none.");
    }
    if (options.classMode == ClassMode.BINARY && classIndices.size() != 2) {
      throw new IllegalArgumentException("flowFromDirectory: class mode BINARY needs exactly 2"
          + " classes; got " + classIndices.size() + " " + classIndices.keySet() + ".");
    }
    warmUp(options.colorMode.channels());
  }

  /** The file list of one subset, with labels, in Keras's order (class-major, sorted). */
  private record Scan(List<String> files, int[] labels, Map<String, Integer> classIndices) {
    static Scan of(ImageDataGenerator gen, Path dir, FlowOptions options) {
      if (dir == null || !Files.isDirectory(dir)) {
        throw new IllegalArgumentException("flowFromDirectory: directory " + dir + " must exist"
            + " and be a directory; it " + (dir != null && Files.exists(dir) ? "is a file."
            : "does not exist."));
      }
      if (options.subset != null && gen.validationSplit == 0) {
        throw new IllegalArgumentException("flowFromDirectory: subset " + options.subset
            + " needs the generator's validationSplit; it is not set.");
      }
      List<String> names = options.classes != null ? options.classes : subfolders(dir);
      if (names.isEmpty()) {
        throw new IllegalArgumentException("flowFromDirectory: " + dir + " must contain one"
            + " sub-folder per class; it has none.");
      }
      Map<String, Integer> indices = new LinkedHashMap<>();
      for (String n : names) {
        if (!Files.isDirectory(dir.resolve(n))) {
          throw new IllegalArgumentException("flowFromDirectory: class folder " + dir.resolve(n)
              + " must exist; it does not.");
        }
        indices.put(n, indices.size());
      }
      List<String> files = new ArrayList<>();
      List<Integer> labels = new ArrayList<>();
      for (var e : indices.entrySet()) {
        List<String> own = files(dir, e.getKey(), options.followLinks);
        int n = own.size();
        int split = (int) (gen.validationSplit * n);
        int from = options.subset == Subset.TRAINING ? split : 0;
        int to = options.subset == Subset.VALIDATION ? split : n;
        for (String f : own.subList(from, to)) {
          files.add(f);
          labels.add(e.getValue());
        }
      }
      return new Scan(files, labels.stream().mapToInt(Integer::intValue).toArray(), indices);
    }

    private static List<String> subfolders(Path dir) {
      try (Stream<Path> s = Files.list(dir)) {
        return s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted()
            .toList();
      } catch (IOException e) {
        throw new UncheckedIOException("flowFromDirectory: cannot list " + dir, e);
      }
    }

    /**
     * Where to walk a class folder from: as Python's {@code os.walk}, a class folder that is
     * itself a symbolic link is listed even without {@code followLinks} ({@code Files.walk}
     * would yield only the link).
     */
    private static Path start(Path dir) {
      try {
        return Files.isSymbolicLink(dir) ? dir.toRealPath() : dir;
      } catch (IOException e) {
        throw new UncheckedIOException("flowFromDirectory: cannot resolve " + dir, e);
      }
    }

    /** Keras's order: folders sorted by path, files sorted by name within each. */
    private static List<String> files(Path root, String cls, boolean followLinks) {
      Path dir = root.resolve(cls);
      FileVisitOption[] opts = followLinks ? new FileVisitOption[] {FileVisitOption.FOLLOW_LINKS}
          : new FileVisitOption[0];
      Path start = start(dir);
      TreeMap<String, List<String>> byFolder = new TreeMap<>();
      try (Stream<Path> s = Files.walk(start, opts)) {
        s.filter(Files::isRegularFile)
            .filter(p -> EXTENSIONS.contains(ImageDecoder.extension(p)))
            .map(p -> dir.resolve(start.relativize(p)))
            .forEach(p -> byFolder.computeIfAbsent(p.getParent().toString(),
                k -> new ArrayList<>()).add(root.relativize(p).toString()));
      } catch (IOException e) {
        throw new UncheckedIOException("flowFromDirectory: cannot walk " + dir, e);
      }
      List<String> out = new ArrayList<>();
      byFolder.values().forEach(v -> {
        Collections.sort(v);
        out.addAll(v);
      });
      return out;
    }
  }

  @Override
  Batch load(int[] samples, long[] seeds) {
    float[] px = batchDecoded(samples);
    if (px != null) {
      return finish(px, samples, seeds, samples.length);
    }
    return loadOneByOne(samples, seeds);
  }

  /**
   * The batch decoded by TensorFlow in one run (measured on CIFAR-10: about 4x ImageIO on one
   * thread, pixels identical), or null when a file is not JPEG/PNG or any file fails; then
   * {@link #loadOneByOne} decodes the batch with ImageIO and reports errors per file.
   */
  private float[] batchDecoded(int[] samples) {
    if (batchDecoder == null) {
      return null;
    }
    List<Path> files = new ArrayList<>(samples.length);
    int per = (int) decoder.shape().size();
    int[] offsets = new int[samples.length];
    for (int i = 0; i < samples.length; i++) {
      Path file = directory.resolve(filenames.get(samples[i]));
      if (!BatchDecoder.takes(file)) {
        return null;
      }
      files.add(file);
      offsets[i] = i * per;
    }
    float[] px = new float[samples.length * per];
    try {
      batchDecoder.decode(files, px, offsets);
      return px;
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** Reads and decodes each file with ImageIO (or Commons Imaging) on the decode threads. */
  private Batch loadOneByOne(int[] samples, long[] seeds) {
    List<Future<float[]>> work = new ArrayList<>(samples.length);
    for (int s : samples) {
      Path file = directory.resolve(filenames.get(s));
      work.add(pool.submit(() -> decoder.decode(file, Files.readAllBytes(file))));
    }
    int per = (int) decoder.shape().size();
    float[] px = new float[samples.length * per];
    int[] kept = new int[samples.length];
    long[] keptSeeds = new long[samples.length];
    int n = 0;
    for (int i = 0; i < samples.length; i++) {
      try {
        float[] one = work.get(i).get();
        System.arraycopy(one, 0, px, n * per, per);
        kept[n] = samples[i];
        keptSeeds[n++] = seeds[i];
      } catch (ExecutionException e) {
        RuntimeException cause = e.getCause() instanceof IllegalArgumentException iae ? iae
            : e.getCause() instanceof IOException io ? new UncheckedIOException(
                "Image " + directory.resolve(filenames.get(samples[i])) + ": cannot read: "
                + io.getMessage(), io) : new IllegalStateException(e.getCause());
        if (!options.skipCorrupt) {
          throw cause;
        }
        System.err.println("WARNING: skipping " + cause.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while decoding images", e);
      }
    }
    if (n == 0) {
      throw new IllegalArgumentException("flowFromDirectory: every image of this batch failed"
          + " to decode; see the warnings above.");
    }
    return finish(n == samples.length ? px : java.util.Arrays.copyOf(px, n * per),
        java.util.Arrays.copyOf(kept, n), java.util.Arrays.copyOf(keptSeeds, n), n);
  }

  /** Augments the decoded pixels of {@code kept} and adds their labels. */
  private Batch finish(float[] px, int[] kept, long[] keptSeeds, int n) {
    Shape image = decoder.shape();
    float[] out = generator.process(px, n, image, keptSeeds);
    FloatNdArray x = NdArrays.wrap(Shape.of(n).append(image), DataBuffers.of(out, false,
        false));
    if (options.saveToDir != null) {
      saved = ImageFiles.save(options, x, saved, keptSeeds);
    }
    return new Batch(x, labels(kept, x));
  }

  private FloatNdArray labels(int[] samples, FloatNdArray x) {
    int n = samples.length;
    return switch (options.classMode) {
      case NONE -> null;
      case INPUT -> x;
      case SPARSE, BINARY -> {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
          v[i] = classes[samples[i]];
        }
        yield NdArrays.wrap(Shape.of(n), DataBuffers.of(v, false, false));
      }
      case CATEGORICAL -> {
        int k = classIndices.size();
        float[] v = new float[n * k];
        for (int i = 0; i < n; i++) {
          v[i * k + classes[samples[i]]] = 1;
        }
        yield NdArrays.wrap(Shape.of(n, k), DataBuffers.of(v, false, false));
      }
    };
  }

  /** Paths of the images, relative to the directory, class-major. */
  public List<String> filenames() {
    return filenames;
  }

  /** The class index of each image, in {@link #filenames()} order. */
  public int[] classes() {
    return classes.clone();
  }

  /** Class name to label index. */
  public Map<String, Integer> classIndices() {
    return classIndices;
  }

  public int numClasses() {
    return classIndices.size();
  }

  /** The directory read. */
  public Path directory() {
    return directory;
  }

  @Override
  public String toString() {
    return "DirectoryIterator(" + directory + ", samples=" + samples() + ", classes="
        + numClasses() + ", batch_size=" + batchSize + ", image=" + decoder.shape() + ")";
  }
}
