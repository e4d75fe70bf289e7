package io.kava.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kava.FitOptions;
import io.kava.Sequential;
import io.kava.layers.Dense;
import io.kava.layers.Input;
import io.kava.losses.MeanSquaredError;
import io.kava.optimizers.SGD;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.Event;

/** The event files, read back record by record with their checksums, as TensorBoard does. */
class TensorBoardTest {

  static List<Event> read(Path dir) throws IOException {
    Path file;
    try (Stream<Path> s = Files.list(dir)) {
      file = s.filter(p -> p.getFileName().toString().startsWith("events.out.tfevents."))
          .findFirst().orElseThrow();
    }
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    List<Event> events = new ArrayList<>();
    while (b.hasRemaining()) {
      byte[] len = new byte[8];
      b.get(len);
      long n = ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).getLong();
      assertEquals(TensorBoard.maskedCrc(len, 0, 8), b.getInt(), "length checksum");
      byte[] data = new byte[(int) n];
      b.get(data);
      assertEquals(TensorBoard.maskedCrc(data, 0, data.length), b.getInt(), "data checksum");
      events.add(Event.parseFrom(data));
    }
    return events;
  }

  @Test
  void writesEpochScalarsForTrainingAndValidation(@TempDir Path logs) throws IOException {
    var x = NdArrays.ofFloats(Shape.of(16, 2));
    var y = NdArrays.ofFloats(Shape.of(16, 1));
    for (int i = 0; i < 16; i++) {
      x.setFloat(i / 16f, i, 0);
      y.setFloat(2 * i / 16f, i, 0);
    }
    try (Sequential m = new Sequential(Input.of(2), Dense.of(1)).seed(1)) {
      m.compile(new SGD(0.1), new MeanSquaredError());
      var h = m.fit(x, y, FitOptions.defaults().epochs(3).batchSize(8).validationSplit(0.25)
          .verbose(0).callbacks(new TensorBoard(logs)));
      List<Event> train = read(logs.resolve("train"));
      assertEquals("brain.Event:2", train.get(0).getFileVersion());
      assertEquals(4, train.size());
      for (int epoch = 0; epoch < 3; epoch++) {
        Event e = train.get(epoch + 1);
        assertEquals(epoch, e.getStep());
        assertEquals("epoch_loss", e.getSummary().getValue(0).getTag());
        assertEquals(h.get("loss").get(epoch), e.getSummary().getValue(0).getSimpleValue(),
            1e-6);
      }
      List<Event> val = read(logs.resolve("validation"));
      assertEquals(h.get("val_loss").get(2), val.get(3).getSummary().getValue(0)
          .getSimpleValue(), 1e-6);
      assertTrue(val.get(3).getWallTime() > 1.6e9);
    }
  }

  @Test
  void checksumsAreTfRecordsMaskedCrc32c() {
    byte[] check = "123456789".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    int raw = 0xE3069283; // the CRC-32C check value of "123456789"
    assertEquals(((raw >>> 15) | (raw << 17)) + 0xa282ead8, TensorBoard.maskedCrc(check, 0, 9));
  }

}
