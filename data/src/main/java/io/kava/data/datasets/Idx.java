package io.kava.data.datasets;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads IDX files, the format of the original MNIST and Fashion-MNIST distributions:
 * a magic number {@code 0x00 0x00 type rank}, {@code rank} big-endian int32 dimensions, then
 * the data. Only unsigned bytes (type 0x08) are used by those data sets and supported here.
 * Gzipped files are detected by their header, whatever their name.
 */
final class Idx {
  private Idx() {}

  /** An IDX array of unsigned bytes: its dimensions and its values (0..255). */
  record UByteArray(int[] dims, byte[] data) {}

  static UByteArray read(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return read(in, file.toString());
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("IDX file " + file + " must exist; it does not.", e);
    } catch (IOException e) {
      throw new UncheckedIOException("IDX file " + file + ": cannot read: " + e.getMessage(), e);
    }
  }

  static UByteArray read(InputStream raw, String source) throws IOException {
    BufferedInputStream buffered = new BufferedInputStream(raw, 1 << 16);
    buffered.mark(2);
    int b0 = buffered.read();
    int b1 = buffered.read();
    buffered.reset();
    InputStream in = (b0 == 0x1f && b1 == 0x8b) ? new GZIPInputStream(buffered, 1 << 16)
        : buffered;
    DataInputStream data = new DataInputStream(in);
    try {
      int magic = data.readInt();
      if ((magic >>> 16) != 0) {
        throw corrupt(source, "magic number must start with two zero bytes; got 0x"
            + Integer.toHexString(magic));
      }
      int type = (magic >> 8) & 0xff;
      int rank = magic & 0xff;
      if (type != 0x08) {
        throw corrupt(source, "data type must be 0x08 (unsigned byte); got 0x"
            + Integer.toHexString(type));
      }
      if (rank < 1 || rank > 4) {
        throw corrupt(source, "rank must be 1 to 4; got " + rank);
      }
      int[] dims = new int[rank];
      long size = 1;
      for (int i = 0; i < rank; i++) {
        dims[i] = data.readInt();
        if (dims[i] < 0) {
          throw corrupt(source, "dimension " + i + " must be >= 0; got " + dims[i]);
        }
        size *= dims[i];
      }
      if (size > Integer.MAX_VALUE - 8) {
        throw corrupt(source, "data must fit in one array; got " + size + " values");
      }
      byte[] values = new byte[(int) size];
      data.readFully(values);
      return new UByteArray(dims, values);
    } catch (EOFException e) {
      throw corrupt(source, "file ends before its declared size (truncated?)");
    }
  }

  private static IllegalArgumentException corrupt(String source, String what) {
    return new IllegalArgumentException("IDX file " + source + ": " + what + ".");
  }
}
