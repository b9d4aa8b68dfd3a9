package dev.engage.launcher.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * A running process recorded on disk as pid plus start time, so a later {@code engage down} or
 * {@code engage up} can find it again and never signals an unrelated process that reused the pid.
 */
public final class PidFile {
  private final Path file;

  public PidFile(Path file) {
    this.file = file;
  }

  /** The pid file of a service of the local stack. */
  public static PidFile of(Path runDir, String service) {
    return new PidFile(runDir.resolve(service + ".pid"));
  }

  public void write(ProcessHandle process) {
    String started = process.info().startInstant().map(Instant::toString).orElse("");
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, process.pid() + " " + started + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** The recorded process if it is still the one that was recorded and still alive. */
  public Optional<ProcessHandle> liveProcess() {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      String[] parts = Files.readString(file).trim().split(" ", 2);
      Optional<ProcessHandle> process = ProcessHandle.of(Long.parseLong(parts[0]));
      String recordedStart = parts.length > 1 ? parts[1] : "";
      return process.filter(
          p ->
              p.isAlive()
                  && p.info()
                      .startInstant()
                      .map(Instant::toString)
                      .orElse("")
                      .equals(recordedStart));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  public void delete() {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + file, e);
    }
  }
}
