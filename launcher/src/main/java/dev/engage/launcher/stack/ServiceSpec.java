package dev.engage.launcher.stack;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * How to run one service of the local stack as its own process.
 *
 * @param name short name used for its log ({@code logs/<name>.log}) and pid file
 * @param description what it is and where it listens, for progress lines
 * @param command builds the full command line when the service is started (this may look up
 *     binaries and prepare directories, so specs can be used for status checks without it)
 * @param readiness the probe that says when it accepts work
 */
public record ServiceSpec(
    String name, String description, Supplier<List<String>> command, Readiness readiness) {

  public Path logFile(Path logDir) {
    return logDir.resolve(name + ".log");
  }
}
