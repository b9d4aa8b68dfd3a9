package dev.engage.launcher.stack;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * How to run one service of the local stack as its own process.
 *
 * @param name short name used for its log ({@code logs/<name>.log}) and pid file
 * @param description what it is and where it listens, for progress lines
 * @param command the full command line
 * @param readiness builds the probe that says when it accepts work
 */
public record ServiceSpec(
    String name, String description, List<String> command, Supplier<Readiness> readiness) {

  public Path logFile(Path logDir) {
    return logDir.resolve(name + ".log");
  }
}
