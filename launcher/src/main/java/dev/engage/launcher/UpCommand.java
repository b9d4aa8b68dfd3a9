package dev.engage.launcher;

import dev.engage.launcher.config.StackConfig;
import dev.engage.launcher.stack.LocalStack;
import dev.engage.launcher.stack.PidFile;
import dev.engage.launcher.stack.RestartLog;
import dev.engage.launcher.stack.RestartPolicy;
import dev.engage.launcher.stack.ServiceException;
import dev.engage.launcher.stack.Supervisor;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code engage up}: starts the local stack and supervises it (a service that dies is started
 * again, see {@link Supervisor}) until Ctrl-C or {@code engage down}; with {@code --detach}, in the
 * background.
 */
@Command(
    name = "up",
    description = "Start the local stack (Kafka, schema registry, Redis) and create the topics.")
final class UpCommand implements Callable<Integer> {
  @Mixin ConfigOptions options;

  @Option(
      names = {"-d", "--detach"},
      description = "Run in the background; return once ready.")
  boolean detach;

  @Option(
      names = "--flink",
      paramLabel = "local|cluster",
      description =
          "Where the stream jobs run: local, a MiniCluster in one process (the default), or"
              + " cluster, a JobManager and TaskManagers as processes of their own, the job"
              + " submitted to them over REST. Same as --set jobs.flink=...")
  String flink;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (flink != null) {
      options.settings.add("jobs.flink=" + flink);
    }
    StackConfig config = options.load();
    PrintWriter out = spec.commandLine().getOut();
    PidFile supervisor = RunFiles.supervisor(config);
    supervisor
        .liveProcess()
        .ifPresent(
            p -> {
              throw new ServiceException(
                  "the local stack is already running (pid "
                      + p.pid()
                      + "). Stop it with: ./engage down");
            });
    return detach ? startDetached(config, out) : supervise(config, supervisor, out);
  }

  private int supervise(StackConfig config, PidFile supervisor, PrintWriter out)
      throws InterruptedException {
    out.println("engage: starting the local stack in " + config.dataDir());
    supervisor.write(ProcessHandle.current());
    RestartLog restarts = new RestartLog(config.runDir());
    restarts.clear();
    LocalStack stack = new LocalStack(config, out);
    Thread stopper =
        new Thread(
            () -> {
              RunFiles.clearReady(config);
              stack.stop();
              supervisor.delete();
              out.println("engage: stopped");
            },
            "engage-stop");
    Runtime.getRuntime().addShutdownHook(stopper);
    try {
      stack.start();
    } catch (RuntimeException e) {
      Runtime.getRuntime().removeShutdownHook(stopper);
      supervisor.delete();
      throw e;
    }
    Endpoints.print(config, out);
    out.println("Stop it with ./engage down (or Ctrl-C when it runs in the foreground).");
    RunFiles.markReady(config);
    new Supervisor(stack, RestartPolicy.DEFAULT, restarts, out).watch();
    return 0;
  }

  /** Runs {@code engage up} without --detach as a background process and waits for it. */
  private int startDetached(StackConfig config, PrintWriter out)
      throws IOException, InterruptedException {
    Files.createDirectories(config.logDir());
    Path log = config.logDir().resolve("engage.log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    String home = System.getProperty("engage.home");
    if (home != null) {
      command.add("-Dengage.home=" + home);
    }
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(EngageCli.class.getName());
    command.add("up");
    List<String> args = new ArrayList<>(spec.commandLine().getParseResult().originalArgs());
    args.remove("up");
    args.removeAll(List.of("-d", "--detach"));
    command.addAll(args);
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .start();
    out.println(
        "engage: starting the local stack in the background (pid "
            + process.pid()
            + ", log "
            + log
            + ")");
    RunFiles.clearReady(config);
    Path ready = RunFiles.readyMarker(config);
    long deadline = System.nanoTime() + (config.startupTimeoutSeconds() * 4L) * 1_000_000_000L;
    int printed = 0;
    while (!Files.exists(ready)) {
      printed = echoNewLines(log, printed, out);
      if (!process.isAlive()) {
        echoNewLines(log, printed, out);
        throw new ServiceException("the local stack did not start; see " + log);
      }
      if (System.nanoTime() > deadline) {
        process.destroy();
        throw new ServiceException("the local stack was not ready in time; see " + log);
      }
      Thread.sleep(200);
    }
    echoNewLines(log, printed, out);
    return 0;
  }

  /** Prints the log lines after the first {@code already}; returns the new count. */
  private static int echoNewLines(Path log, int already, PrintWriter out) throws IOException {
    List<String> lines = Files.readAllLines(log);
    for (int i = already; i < lines.size(); i++) {
      out.println(lines.get(i));
    }
    return Math.max(already, lines.size());
  }
}
