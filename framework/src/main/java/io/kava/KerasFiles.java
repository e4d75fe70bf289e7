package io.kava;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jhdf.HdfFile;
import io.jhdf.Superblock;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Keras's model files, read: the format is told by the content (the HDF5 signature, or a zip
 * for Keras 3's {@code .keras}), never by the extension. Behind {@link Model#loadKeras},
 * {@link Model#fromKerasJson} and {@link Model#loadKerasWeights}.
 */
final class KerasFiles {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final byte[] HDF5 = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
  private static final byte[] ZIP = {'P', 'K', 3, 4};

  private KerasFiles() {}

  /** A full model from a legacy {@code .h5} file or a Keras 3 {@code .keras} zip. */
  static Model load(Path file) {
    String where = "Model.loadKeras: " + file;
    byte[] head = head(file, where);
    if (startsWith(head, HDF5)) {
      KerasWeights.Contents c = readHdf5(() -> new HdfFile(file), where);
      String config = c.attributes().get("model_config");
      if (config == null) {
        throw new IllegalArgumentException(where + ": the file holds weights only (no"
            + " model_config attribute); build the model with Model.fromKerasJson(...) and"
            + " call loadKerasWeights on it.");
      }
      return assemble(json(config, where + " (model_config)"), c,
          json(c.attributes().get("training_config"), where + " (training_config)"),
          "training_config", where);
    }
    if (startsWith(head, ZIP)) {
      return loadZip(file, where);
    }
    throw new IllegalArgumentException(where + ": the file must be a Keras model, an HDF5"
        + " file (.h5) or a zip (.keras); it starts with neither signature (first bytes "
        + Arrays.toString(head) + "). For an architecture JSON use Model.fromKerasJson.");
  }

  private static Model loadZip(Path file, String where) {
    byte[] config;
    byte[] weights;
    try (ZipFile zip = new ZipFile(file.toFile())) {
      config = entry(zip, "config.json", where);
      weights = entry(zip, "model.weights.h5", where);
    } catch (ZipException e) {
      throw new IllegalArgumentException(where + ": the .keras zip is corrupt or truncated: "
          + e.getMessage() + ".", e);
    } catch (IOException e) {
      throw new UncheckedIOException(where + ": cannot read the file", e);
    }
    JsonNode root = json(new String(config, java.nio.charset.StandardCharsets.UTF_8),
        where + " (config.json)");
    KerasWeights.Contents c = readHdf5(() -> HdfFile.fromBytes(weights),
        where + " (model.weights.h5)");
    return assemble(root, c, root.path("compile_config"), "compile_config", where);
  }

  private static byte[] entry(ZipFile zip, String name, String where) throws IOException {
    ZipEntry e = zip.getEntry(name);
    if (e == null) {
      throw new IllegalArgumentException(where + ": the .keras zip must contain " + name
          + "; it does not (it holds " + zip.stream().map(ZipEntry::getName).toList() + ").");
    }
    try (InputStream in = zip.getInputStream(e)) {
      return in.readAllBytes();
    }
  }

  /** The model of {@code config} with the file's weights, compiled if its training maps. */
  private static Model assemble(JsonNode config, KerasWeights.Contents weights,
      JsonNode training, String trainingKey, String where) {
    Model m = KerasModel.build(config, where);
    try {
      setWeights(m, weights, where, "Model.loadKeras");
      if (training != null && training.isObject()) {
        KerasTraining.Mapped t = KerasTraining.map(training, m.outputNames());
        if (t.compile() != null) {
          m.compile(t.compile());
          if (weights.optimizer() != null && m.topology() != null) {
            KerasOptimizerState.restore(m, weights.optimizer().iteration(),
                weights.optimizer().vars(), where);
          }
        } else {
          System.err.println("WARNING: " + where + ": loaded uncompiled; its " + trainingKey
              + " has no Kava equivalent for: " + String.join(", ", t.unmapped())
              + ". Call compile(...) before fit or evaluate.");
        }
      }
      return m;
    } catch (RuntimeException e) {
      m.close(); // no half-loaded model keeps its native graph
      throw e;
    }
  }

  /** An unbuilt model from Keras's architecture JSON. */
  static Model fromJson(String json) {
    String where = "Model.fromKerasJson";
    if (json == null) {
      throw new IllegalArgumentException(where + ": json must be non-null.");
    }
    return KerasModel.build(json(json, where), where);
  }

  /** Sets {@code m}'s weights from a Keras 2 or Keras 3 weights file (or a full-model .h5). */
  static void loadWeights(Model m, Path file) {
    String where = m.subject() + ".loadKerasWeights: " + file;
    byte[] head = head(file, where);
    if (!startsWith(head, HDF5)) {
      throw new IllegalArgumentException(where + ": the file must be an HDF5 weights file"
          + " (Keras's save_weights, or Keras 3's .weights.h5); it does not start with the"
          + " HDF5 signature.");
    }
    setWeights(m, readHdf5(() -> new HdfFile(file), where), where, "loadKerasWeights");
  }

  private static void setWeights(Model m, KerasWeights.Contents c, String where, String what) {
    if ("theano".equals(c.attributes().get("backend"))) {
      throw new IllegalArgumentException(where + ": the weights were saved with the Theano"
          + " backend, whose convolution kernels are flipped; Kava reads TensorFlow-backend"
          + " files only.");
    }
    Topology t = m.requireTopology(what);
    List<float[]> values = KerasWeights.match(t, c, m.kerasLayout(), where);
    m.built(what).weights().set(values);
  }

  // ------------------------------------------------------------------ plumbing

  private static byte[] head(Path file, String where) {
    if (file == null) {
      throw new IllegalArgumentException(where + ": the path must be non-null.");
    }
    try (InputStream in = Files.newInputStream(file)) {
      return in.readNBytes(8);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new IllegalArgumentException(where + ": the file does not exist.", e);
    } catch (IOException e) {
      throw new UncheckedIOException(where + ": cannot read the file", e);
    }
  }

  private static boolean startsWith(byte[] head, byte[] signature) {
    return head.length >= signature.length
        && Arrays.equals(Arrays.copyOf(head, signature.length), signature);
  }

  /**
   * Reads an HDF5 file (or its bytes) completely; whatever jHDF or the layout check throws
   * becomes one error naming the file, as a corrupt file makes them throw. A file shorter than
   * its superblock says is refused even when what Kava reads happens to lie before the cut.
   */
  private static KerasWeights.Contents readHdf5(Supplier<HdfFile> open, String where) {
    long size;
    long end;
    try (HdfFile f = open.get()) {
      Superblock sb = f.getHdfBackingStorage().getSuperblock();
      size = f.size();
      end = sb.getBaseAddressByte() + sb.getEndOfFileAddress();
      if (end < 0 || size >= end) {
        return KerasWeights.read(f);
      }
    } catch (KerasWeights.NotKeras e) {
      throw new IllegalArgumentException(where + ": not a Keras model or weights file: "
          + e.getMessage() + ".", e);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(where + ": not a readable Keras HDF5 file: "
          + describe(e) + ". The file may be truncated or corrupt.", e);
    }
    throw new IllegalArgumentException(where + ": the file is truncated: it has " + size
        + " bytes; its HDF5 superblock says " + end + ".");
  }

  private static String describe(Throwable e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m.replaceAll("\\.$", "");
  }

  private static JsonNode json(String text, String where) {
    if (text == null) {
      return null;
    }
    try {
      return MAPPER.readTree(text);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(where + ": not valid JSON: " + e.getOriginalMessage()
          + ".", e);
    }
  }
}
