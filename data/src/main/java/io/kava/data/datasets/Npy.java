package io.kava.data.datasets;

import io.kava.internal.AtomicFiles;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * numpy's {@code .npy} and {@code .npz} files, so arrays move between Python and Kava:
 * reads unsigned/signed integers and floats of any byte order (as floats, like Keras's
 * {@code load_data()} gives pixels), C order; writes little-endian float32. Keras caches
 * MNIST as {@code mnist.npz} ({@code x_train}, {@code y_train}, {@code x_test},
 * {@code y_test}).
 *
 * <pre>{@code
 * jshell> Map<String, FloatNdArray> arrays = Npy.readNpz(Path.of("mnist.npz"))
 * jshell> Npy.write(Path.of("predictions.npy"), model.predict(x))
 * }</pre>
 */
public final class Npy {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=])([uif])(\\d+)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  private Npy() {}

  /** Reads one {@code .npy} file. */
  public static FloatNdArray read(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return read(in, file.toString());
    } catch (java.nio.file.NoSuchFileException e) {
      throw new IllegalArgumentException("npy file " + file + " must exist; it does not.", e);
    } catch (IOException e) {
      throw new UncheckedIOException("npy file " + file + ": cannot read: " + e.getMessage(), e);
    }
  }

  /** Reads every array of an {@code .npz} archive, by name (without {@code .npy}). */
  public static Map<String, FloatNdArray> readNpz(Path file) {
    Map<String, FloatNdArray> out = new LinkedHashMap<>();
    try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(file))) {
      for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
        String name = e.getName().endsWith(".npy")
            ? e.getName().substring(0, e.getName().length() - 4) : e.getName();
        out.put(name, read(zip, file + "/" + e.getName()));
      }
    } catch (java.nio.file.NoSuchFileException e) {
      throw new IllegalArgumentException("npz file " + file + " must exist; it does not.", e);
    } catch (IOException e) {
      throw new UncheckedIOException("npz file " + file + ": cannot read: " + e.getMessage(), e);
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("npz file " + file + ": must hold at least one array;"
          + " it is empty or not a zip archive.");
    }
    return out;
  }

  static FloatNdArray read(InputStream raw, String source) throws IOException {
    DataInputStream in = new DataInputStream(raw);
    byte[] magic = new byte[6];
    try {
      in.readFully(magic);
      if (!java.util.Arrays.equals(magic, MAGIC)) {
        throw bad(source, "must start with the magic string \\x93NUMPY");
      }
      int major = in.readUnsignedByte();
      in.readUnsignedByte();
      long headerLength;
      if (major == 1) {
        headerLength = Short.toUnsignedInt(Short.reverseBytes(in.readShort()));
      } else if (major == 2 || major == 3) {
        headerLength = Integer.toUnsignedLong(Integer.reverseBytes(in.readInt()));
      } else {
        throw bad(source, "format version must be 1, 2 or 3; got " + major);
      }
      byte[] header = new byte[(int) headerLength];
      in.readFully(header);
      String h = new String(header, major == 3 ? StandardCharsets.UTF_8
          : StandardCharsets.ISO_8859_1);
      Matcher d = DESCR.matcher(h);
      Matcher f = FORTRAN.matcher(h);
      Matcher s = SHAPE.matcher(h);
      if (!d.find() || !f.find() || !s.find()) {
        throw bad(source, "header must give descr, fortran_order and shape; got " + h.trim());
      }
      if (f.group(1).equals("True")) {
        throw bad(source, "arrays must be in C order; got fortran_order True");
      }
      long[] dims = java.util.Arrays.stream(s.group(1).split(",")).map(String::trim)
          .filter(t -> !t.isEmpty()).mapToLong(Long::parseLong).toArray();
      Shape shape = Shape.of(dims);
      int width = Integer.parseInt(d.group(3));
      char kind = d.group(2).charAt(0);
      ByteOrder order = d.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
      long count = shape.size();
      if ((long) count * width > Integer.MAX_VALUE - 8) {
        throw bad(source, "data must fit in one array; got " + count + " values");
      }
      byte[] bytes = new byte[(int) (count * width)];
      in.readFully(bytes);
      ByteBuffer b = ByteBuffer.wrap(bytes).order(order);
      float[] v = new float[(int) count];
      for (int i = 0; i < v.length; i++) {
        v[i] = value(b, kind, width, source);
      }
      return NdArrays.wrap(shape, DataBuffers.of(v, false, false));
    } catch (EOFException e) {
      throw bad(source, "file ends before its declared size (truncated?)");
    }
  }

  private static float value(ByteBuffer b, char kind, int width, String source) {
    return switch (kind) {
      case 'u' -> switch (width) {
        case 1 -> b.get() & 0xff;
        case 2 -> b.getShort() & 0xffff;
        case 4 -> b.getInt() & 0xffffffffL;
        case 8 -> b.getLong();
        default -> throw bad(source, "unsigned width must be 1, 2, 4 or 8; got " + width);
      };
      case 'i' -> switch (width) {
        case 1 -> b.get();
        case 2 -> b.getShort();
        case 4 -> b.getInt();
        case 8 -> b.getLong();
        default -> throw bad(source, "integer width must be 1, 2, 4 or 8; got " + width);
      };
      default -> switch (width) {
        case 4 -> b.getFloat();
        case 8 -> (float) b.getDouble();
        default -> throw bad(source, "float width must be 4 or 8; got " + width);
      };
    };
  }

  /** Writes {@code array} as a little-endian float32 {@code .npy} file, atomically. */
  public static void write(Path file, FloatNdArray array) {
    AtomicFiles.write(file, out -> write(out, array));
  }

  /** Writes arrays into an {@code .npz} archive (uncompressed, as numpy.savez), atomically. */
  public static void writeNpz(Path file, Map<String, FloatNdArray> arrays) {
    AtomicFiles.write(file, out -> {
      ZipOutputStream zip = new ZipOutputStream(out);
      for (var e : arrays.entrySet()) {
        zip.putNextEntry(new ZipEntry(e.getKey() + ".npy"));
        write(zip, e.getValue());
        zip.closeEntry();
      }
      zip.finish();
    });
  }

  private static void write(OutputStream out, FloatNdArray array) throws IOException {
    long[] dims = array.shape().asArray();
    StringBuilder shape = new StringBuilder("(");
    for (long d : dims) {
      shape.append(d).append(", ");
    }
    if (dims.length > 1) {
      shape.setLength(shape.length() - 2);
    } else if (dims.length == 1) {
      shape.setLength(shape.length() - 1);
    }
    shape.append(')');
    String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }";
    int total = 10 + dict.length() + 1;
    int pad = (64 - total % 64) % 64;
    String header = dict + " ".repeat(pad) + "\n";
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    head.write(MAGIC);
    head.write(1);
    head.write(0);
    int len = header.length();
    head.write(len & 0xff);
    head.write((len >> 8) & 0xff);
    head.write(header.getBytes(StandardCharsets.ISO_8859_1));
    out.write(head.toByteArray());
    float[] v = new float[Math.toIntExact(array.shape().size())];
    array.copyTo(DataBuffers.of(v, false, false));
    ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(v);
    out.write(b.array());
  }

  private static IllegalArgumentException bad(String source, String what) {
    return new IllegalArgumentException("npy file " + source + ": " + what + ".");
  }
}
