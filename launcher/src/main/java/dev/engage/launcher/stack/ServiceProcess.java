package dev.engage.launcher.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One service of the local stack running as a child process: output appended to its log file, pid
 * recorded, started, waited for and stopped the same way whatever the service is.
 */
public final class ServiceProcess {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceProcess.class);
  private static final Duration POLL = Duration.ofMillis(200);

  private final ServiceSpec spec;
  private final Path logFile;
  private final PidFile pidFile;
  private final Process process;

  private ServiceProcess(ServiceSpec spec, Path logFile, PidFile pidFile, Process process) {
    this.spec = spec;
    this.logFile = logFile;
    this.pidFile = pidFile;
    this.process = process;
  }

  /** Starts the service; its output goes to {@code <logDir>/<name>.log}. */
  public static ServiceProcess start(ServiceSpec spec, Path logDir, Path runDir) {
    Path logFile = spec.logFile(logDir);
    List<String> command = spec.command().get();
    try {
      Files.createDirectories(logDir);
      // Keep the previous run's log: after a crash it is the one worth reading.
      if (Files.exists(logFile)) {
        Files.move(
            logFile,
            logDir.resolve(spec.name() + ".previous.log"),
            StandardCopyOption.REPLACE_EXISTING);
      }
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
              .redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
              .start();
      PidFile pidFile = PidFile.of(runDir, spec.name());
      pidFile.write(process.toHandle());
      return new ServiceProcess(spec, logFile, pidFile, process);
    } catch (IOException e) {
      throw new ServiceException(
          spec.name()
              + " could not be started ("
              + String.join(" ", command)
              + "): "
              + e.getMessage());
    }
  }

  public String name() {
    return spec.name();
  }

  public Path logFile() {
    return logFile;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public long pid() {
    return process.pid();
  }

  /** The exit code once it has ended (128 + the signal's number when a signal killed it). */
  public int exitCode() {
    return process.exitValue();
  }

  /** How a process ended, in words: "was killed by signal 9", "exited with code 1". */
  public static String ending(int exitCode) {
    return exitCode > 128
        ? "was killed by signal " + (exitCode - 128)
        : "exited with code " + exitCode;
  }

  /** Waits until the service is ready; fails early, with its last log lines, if it exits. */
  public void awaitReady(Duration timeout) {
    Readiness readiness = spec.readiness();
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception lastProblem = null;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new ServiceException(
            spec.name()
                + " exited with code "
                + process.exitValue()
                + " before it was ready. "
                + "Last lines of "
                + logFile
                + ":\n"
                + tail(20));
      }
      try {
        if (readiness.check()) {
          return;
        }
      } catch (Exception e) {
        lastProblem = e;
      }
      sleep(POLL);
    }
    throw new ServiceException(
        spec.name()
            + " was not ready within "
            + timeout.toSeconds()
            + " s"
            + (lastProblem == null ? "" : " (last check: " + lastProblem.getMessage() + ")")
            + ". Last lines of "
            + logFile
            + ":\n"
            + tail(20));
  }

  /** Asks the service to stop (SIGTERM), and kills it if it has not stopped within grace. */
  public void stop(Duration grace) {
    stop(process.toHandle(), grace, spec.name());
    pidFile.delete();
  }

  /** Stops any process the same way: SIGTERM, wait, then SIGKILL. */
  public static void stop(ProcessHandle handle, Duration grace, String name) {
    if (!handle.isAlive()) {
      return;
    }
    handle.destroy();
    try {
      handle.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      LOG.warn("{} did not stop within {} s, killing it", name, grace.toSeconds());
      handle.destroyForcibly();
      handle.onExit().join();
    }
  }

  /** The last lines of the service's log, for error messages. */
  public String tail(int lines) {
    try {
      List<String> all = Files.readAllLines(logFile);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(log unreadable: " + e.getMessage() + ")";
    }
  }

  private static java.io.File nullDevice() {
    return new java.io.File(
        System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ServiceException("interrupted while waiting for a service");
    }
  }
}
