package dev.engage.launcher.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * npm packages for tests that check our services against JavaScript clients we did not write (node
 * and npm are installed by .ci/run): installed from a kept {@code package.json} and {@code
 * package-lock.json}, so every machine gets the same versions.
 */
public final class NodePackages {
  private NodePackages() {}

  /**
   * Installs the packages that {@code source}'s manifest and lock file pin into {@code target} (a
   * directory under {@code target/}), once: a later call finds them there.
   *
   * @return {@code target}, which then holds {@code node_modules}
   */
  public static Path install(Path source, Path target) throws IOException, InterruptedException {
    if (Files.isDirectory(target.resolve("node_modules"))) {
      return target;
    }
    Files.createDirectories(target);
    for (String file : List.of("package.json", "package-lock.json")) {
      Files.copy(source.resolve(file), target.resolve(file), StandardCopyOption.REPLACE_EXISTING);
    }
    run(target, List.of("npm", "ci", "--no-audit", "--no-fund"), 300);
    return target;
  }

  /** Runs the command in {@code dir}; its output (with errors) if it succeeds, else fails. */
  public static String run(Path dir, List<String> command, int timeoutSeconds)
      throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    boolean finished = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
    if (!finished) {
      process.destroyForcibly();
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!finished || process.exitValue() != 0) {
      throw new AssertionError(String.join(" ", command) + " failed:\n" + output);
    }
    return output;
  }
}
