package io.kava.tools.serving;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * Reads a TFRecord file, TensorFlow's framing of binary records: each record is its length
 * (uint64, little-endian), the masked CRC-32C of those 8 bytes, the data, and the masked
 * CRC-32C of the data. Both checksums are verified; a truncated or corrupt file is an
 * {@link IllegalArgumentException} naming the file, the record and what is wrong.
 *
 * <pre>{@code
 * jshell> TfRecordReader.forEach(Path.of("assets.extra/tf_serving_warmup_requests"), 1000,
 *    ...>     bytes -> System.out.println(bytes.length))
 * }</pre>
 */
final class TfRecordReader {
  private static final int MASK_DELTA = 0xa282ead8;

  private TfRecordReader() {}

  /** TensorFlow's masked CRC-32C of {@code data[offset, offset + length)}. */
  static int maskedCrc(byte[] data, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(data, offset, length);
    int c = (int) crc.getValue();
    return ((c >>> 15) | (c << 17)) + MASK_DELTA;
  }

  /**
   * Hands each record of {@code file} to {@code record}, in order, and returns how many there
   * were; fails before the record after the {@code max}-th, naming the limit.
   *
   * @throws IllegalArgumentException if the file is truncated, a checksum does not match, or
   *     it holds more than {@code max} records
   * @throws UncheckedIOException if the file cannot be read
   */
  static int forEach(Path file, int max, Consumer<byte[]> record) {
    byte[] all;
    try {
      all = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read TFRecord file " + file + ": " + e, e);
    }
    ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
    int n = 0;
    while (b.hasRemaining()) {
      String where = "TFRecord file " + file + ", record " + n + " (at byte " + b.position()
          + ")";
      if (b.remaining() < 12) {
        throw new IllegalArgumentException(where + ": truncated: a record header needs 12"
            + " bytes; " + b.remaining() + " are left.");
      }
      int start = b.position();
      long length = b.getLong();
      if (b.getInt() != maskedCrc(all, start, 8)) {
        throw new IllegalArgumentException(where + ": corrupt: the checksum of the record"
            + " length does not match. Is this a TFRecord file?");
      }
      if (length < 0 || length > b.remaining() - 4L) {
        throw new IllegalArgumentException(where + ": truncated: the record has " + length
            + " bytes of data; " + Math.max(0, b.remaining() - 4) + " are left.");
      }
      if (n == max) {
        throw new IllegalArgumentException("TFRecord file " + file + " holds more than " + max
            + " records, the most allowed.");
      }
      int at = b.position();
      byte[] data = new byte[(int) length];
      b.get(data);
      if (b.getInt() != maskedCrc(all, at, data.length)) {
        throw new IllegalArgumentException(where + ": corrupt: the checksum of the record"
            + " data does not match.");
      }
      record.accept(data);
      n++;
    }
    return n;
  }
}
