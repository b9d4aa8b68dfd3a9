package dev.engage.launcher;

import dev.engage.launcher.config.StackConfig;
import dev.engage.launcher.stack.PidFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Files under {@code <data-dir>/run} through which {@code engage up}, {@code down} and {@code
 * status} find each other: the supervisor's pid and a marker that the stack is ready.
 */
final class RunFiles {
  private RunFiles() {}

  static PidFile supervisor(StackConfig config) {
    return new PidFile(config.runDir().resolve("engage.pid"));
  }

  static Path readyMarker(StackConfig config) {
    return config.runDir().resolve("ready");
  }

  static void markReady(StackConfig config) {
    try {
      Files.createDirectories(config.runDir());
      Files.writeString(readyMarker(config), "ready\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void clearReady(StackConfig config) {
    try {
      Files.deleteIfExists(readyMarker(config));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
