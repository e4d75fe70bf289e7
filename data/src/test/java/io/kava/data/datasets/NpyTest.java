package io.kava.data.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;

class NpyTest {

  /** An .npy file as numpy 1.x writes it (header padded to 64 bytes, then the data). */
  static byte[] npy(String descr, String shape, byte[] data) throws IOException {
    String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape
        + ", }";
    int pad = (64 - (10 + dict.length() + 1) % 64) % 64;
    String header = dict + " ".repeat(pad) + "\n";
    var out = new ByteArrayOutputStream();
    out.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
    out.write(header.length() & 0xff);
    out.write(header.length() >> 8);
    out.write(header.getBytes(StandardCharsets.ISO_8859_1));
    out.write(data);
    return out.toByteArray();
  }

  @Test
  void readsUint8AndBigEndianInt32AndFloat64(@TempDir Path dir) throws IOException {
    Path u8 = dir.resolve("x.npy");
    Files.write(u8, npy("|u1", "(2, 3)", new byte[] {0, 1, 2, (byte) 200, (byte) 255, 7}));
    FloatNdArray x = Npy.read(u8);
    assertEquals(Shape.of(2, 3), x.shape());
    assertEquals(255f, x.getFloat(1, 1));
    assertEquals(200f, x.getFloat(1, 0));

    ByteBuffer be = ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putInt(-5).putInt(70000);
    Path i4 = dir.resolve("y.npy");
    Files.write(i4, npy(">i4", "(2,)", be.array()));
    FloatNdArray y = Npy.read(i4);
    assertEquals(-5f, y.getFloat(0));
    assertEquals(70000f, y.getFloat(1));

    ByteBuffer le = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(0.25);
    Path f8 = dir.resolve("z.npy");
    Files.write(f8, npy("<f8", "()", le.array()));
    assertEquals(0.25f, Npy.read(f8).getFloat());
  }

  @Test
  void writesWhatItReadsAndNpzArchives(@TempDir Path dir) {
    FloatNdArray a = NdArrays.ofFloats(Shape.of(3, 2));
    a.setFloat(1.5f, 2, 1);
    a.setFloat(-3f, 0, 0);
    Path file = dir.resolve("a.npy");
    Npy.write(file, a);
    assertEquals(a, Npy.read(file));
    Path npz = dir.resolve("both.npz");
    Npy.writeNpz(npz, Map.of("x_train", a));
    Map<String, FloatNdArray> back = Npy.readNpz(npz);
    assertEquals(a, back.get("x_train"));
  }

  @Test
  void readsAKerasStyleNpz(@TempDir Path dir) throws IOException {
    Path npz = dir.resolve("mnist.npz");
    try (var zip = new ZipOutputStream(Files.newOutputStream(npz))) {
      zip.putNextEntry(new ZipEntry("x_train.npy"));
      zip.write(npy("|u1", "(1, 2, 2)", new byte[] {0, 10, 20, 30}));
      zip.putNextEntry(new ZipEntry("y_train.npy"));
      zip.write(npy("|u1", "(1,)", new byte[] {7}));
    }
    Map<String, FloatNdArray> m = Npy.readNpz(npz);
    assertEquals(Shape.of(1, 2, 2), m.get("x_train").shape());
    assertEquals(30f, m.get("x_train").getFloat(0, 1, 1));
    assertEquals(7f, m.get("y_train").getFloat(0));
  }

  @Test
  void badFilesGiveClearErrors(@TempDir Path dir) throws IOException {
    var e = assertThrows(IllegalArgumentException.class, () -> Npy.read(dir.resolve("no.npy")));
    assertTrue(e.getMessage().contains("must exist"), e.getMessage());
    Path png = dir.resolve("p.npy");
    Files.write(png, new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, 0, 0, 0, 0});
    e = assertThrows(IllegalArgumentException.class, () -> Npy.read(png));
    assertTrue(e.getMessage().contains("magic"), e.getMessage());
    Path cut = dir.resolve("cut.npy");
    byte[] full = npy("<f4", "(4,)", new byte[16]);
    Files.write(cut, java.util.Arrays.copyOf(full, full.length - 5));
    e = assertThrows(IllegalArgumentException.class, () -> Npy.read(cut));
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    Path complex = dir.resolve("c.npy");
    Files.write(complex, npy("<c8", "(1,)", new byte[8]));
    e = assertThrows(IllegalArgumentException.class, () -> Npy.read(complex));
    assertTrue(e.getMessage().contains("descr"), e.getMessage());
  }
}
