package io.kava.callbacks;

import io.kava.Model;
import io.kava.internal.Checks;
import io.kava.saving.Config;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.CRC32C;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.Summary;

/**
 * Writes the epoch logs as TensorBoard event files, as Keras's {@code TensorBoard(log_dir)}
 * with {@code update_freq="epoch"}: scalars {@code epoch_loss}, {@code epoch_accuracy}...
 * under {@code <logDir>/train} and the {@code val_} values under {@code <logDir>/validation},
 * step = epoch. The files are TFRecord streams of {@code Event} protocol buffers (length,
 * masked CRC-32C, data, masked CRC-32C), flushed after every epoch so a running
 * {@code tensorboard --logdir logs} shows progress. Default log directory {@code logs}.
 * In a distributed fit only the chief (worker 0) writes.
 *
 * <pre>{@code
 * jshell> model.fit(x, y, FitOptions.defaults().epochs(10)
 *    ...>     .callbacks(new TensorBoard(Path.of("logs/run1"))))
 * $ tensorboard --logdir logs
 * }</pre>
 */
public final class TensorBoard implements Callback {
  private final Path logDir;
  /** False on a distributed fit's other replicas, which write nothing. */
  private boolean chief = true;
  private final Map<String, OutputStream> writers = new HashMap<>();

  public TensorBoard() {
    this(Path.of("logs"));
  }

  public TensorBoard(Path logDir) {
    this.logDir = Checks.notNull("TensorBoard", "log directory", logDir);
  }

  /** Rebuilds a TensorBoard callback from {@link #config()} ({@code log_dir}). */
  public static TensorBoard fromConfig(Config c) {
    return new TensorBoard(Path.of(c.getString("log_dir", "logs")));
  }

  /** Keras's {@code get_config} key: log_dir. */
  @Override
  public Config config() {
    return Config.builder().put("log_dir", logDir.toString()).build();
  }

  @Override
  public void setParams(TrainParams params) {
    chief = params.chief();
  }

  @Override
  public void onTrainBegin(Model model) {
    closeAll();
  }

  @Override
  public void onEpochEnd(Model model, int epoch, Map<String, Double> logs) {
    Summary.Builder train = Summary.newBuilder();
    Summary.Builder validation = Summary.newBuilder();
    for (var e : logs.entrySet()) {
      boolean val = e.getKey().startsWith("val_");
      String tag = "epoch_" + (val ? e.getKey().substring(4) : e.getKey());
      (val ? validation : train).addValue(Summary.Value.newBuilder().setTag(tag)
          .setSimpleValue(e.getValue().floatValue()));
    }
    double now = System.currentTimeMillis() / 1000.0;
    if (train.getValueCount() > 0) {
      write("train", Event.newBuilder().setWallTime(now).setStep(epoch).setSummary(train)
          .build());
    }
    if (validation.getValueCount() > 0) {
      write("validation", Event.newBuilder().setWallTime(now).setStep(epoch)
          .setSummary(validation).build());
    }
  }

  @Override
  public void onTrainEnd(Model model) {
    closeAll();
  }

  private void write(String run, Event event) {
    if (!chief) {
      return;
    }
    try {
      OutputStream out = writers.get(run);
      if (out == null) {
        Path dir = logDir.resolve(run);
        Files.createDirectories(dir);
        String host = java.net.InetAddress.getLoopbackAddress().getHostName();
        Path file = dir.resolve("events.out.tfevents." + System.currentTimeMillis() / 1000
            + "." + host + ".kava." + ProcessHandle.current().pid());
        out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW);
        writers.put(run, out);
        record(out, Event.newBuilder().setWallTime(System.currentTimeMillis() / 1000.0)
            .setFileVersion("brain.Event:2").build().toByteArray());
      }
      record(out, event.toByteArray());
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("TensorBoard: cannot write events under " + logDir + ": "
          + e.getMessage(), e);
    }
  }

  /** One TFRecord: length, its masked CRC, the data, its masked CRC. */
  static void record(OutputStream out, byte[] data) throws IOException {
    ByteBuffer header = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
    header.putLong(data.length);
    header.putInt(maskedCrc(header.array(), 0, 8));
    out.write(header.array());
    out.write(data);
    ByteBuffer footer = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
    footer.putInt(maskedCrc(data, 0, data.length));
    out.write(footer.array());
  }

  /** TFRecord's CRC-32C, rotated and offset so data holding CRCs does not confuse it. */
  static int maskedCrc(byte[] b, int off, int len) {
    CRC32C crc = new CRC32C();
    crc.update(b, off, len);
    int c = (int) crc.getValue();
    return ((c >>> 15) | (c << 17)) + 0xa282ead8;
  }

  private void closeAll() {
    for (OutputStream out : writers.values()) {
      try {
        out.close();
      } catch (IOException ignored) {
        // The records were flushed after each epoch already.
      }
    }
    writers.clear();
  }

  @Override
  public String toString() {
    return "TensorBoard(" + logDir + ")";
  }
}
