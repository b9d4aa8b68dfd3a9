package dev.engage.launcher.generate;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engage.launcher.generate.Emitted.Target;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the scenario as JSON lines, one file per interface, in time order: {@code web.jsonl} and
 * {@code app.jsonl} (Segment events, for {@code /v1/batch}), {@code call-center.jsonl} (webhooks),
 * {@code pos.jsonl} (receipts, for {@code engage ingest pos}), {@code bookings.jsonl} and {@code
 * flight-status.jsonl}.
 */
public final class FileSink implements EventSink {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Map<Target, BufferedWriter> writers = new EnumMap<>(Target.class);

  public FileSink(Path dir) {
    try {
      Files.createDirectories(dir);
      for (Target target : Target.values()) {
        writers.put(target, Files.newBufferedWriter(dir.resolve(fileName(target))));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write under " + dir, e);
    }
  }

  static String fileName(Target target) {
    return target.name().toLowerCase(Locale.ROOT).replace('_', '-') + ".jsonl";
  }

  @Override
  public void accept(Emitted event) {
    try {
      BufferedWriter writer = writers.get(event.target());
      writer.write(JSON.writeValueAsString(event.body()));
      writer.newLine();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void flush() {
    for (BufferedWriter writer : writers.values()) {
      try {
        writer.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  @Override
  public void close() {
    flush();
    for (BufferedWriter writer : writers.values()) {
      try {
        writer.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
