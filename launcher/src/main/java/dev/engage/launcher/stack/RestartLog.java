package dev.engage.launcher.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The restarts the supervisor made since {@code engage up} started, one line per restart in {@code
 * <run-dir>/restarts} ({@code <service> <when> <exit code>}), so {@code engage status}, another
 * process, can show them.
 */
public final class RestartLog {
  private final Path file;

  public RestartLog(Path runDir) {
    this.file = runDir.resolve("restarts");
  }

  /** What {@code engage status} shows for one service. */
  public record Summary(int restarts, Instant last, int lastExitCode) {}

  /** Forgets the restarts of an earlier {@code engage up}. */
  public void clear() {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + file, e);
    }
  }

  /** Records that {@code service}, which had exited with {@code exitCode}, was started again. */
  public void record(String service, Instant at, int exitCode) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(
          file,
          service + " " + at + " " + exitCode + "\n",
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** Per service that was restarted: how often, when last, and how it had ended then. */
  public Map<String, Summary> summaries() {
    Map<String, Summary> summaries = new LinkedHashMap<>();
    for (String line : lines()) {
      String[] parts = line.trim().split(" ");
      if (parts.length != 3) {
        continue; // a line cut short by a crash of the supervisor itself
      }
      try {
        Instant at = Instant.parse(parts[1]);
        int exitCode = Integer.parseInt(parts[2]);
        summaries.merge(
            parts[0],
            new Summary(1, at, exitCode),
            (before, now) -> new Summary(before.restarts() + 1, now.last(), now.lastExitCode()));
      } catch (DateTimeParseException | NumberFormatException e) {
        // the same: a partly written line
      }
    }
    return summaries;
  }

  private List<String> lines() {
    try {
      return Files.exists(file) ? Files.readAllLines(file) : List.of();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
