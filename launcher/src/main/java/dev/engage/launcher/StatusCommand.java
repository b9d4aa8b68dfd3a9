package dev.engage.launcher;

import dev.engage.launcher.config.StackConfig;
import dev.engage.launcher.flink.FlinkCluster;
import dev.engage.launcher.stack.PidFile;
import dev.engage.launcher.stack.RestartLog;
import dev.engage.launcher.stack.ServiceProcess;
import dev.engage.launcher.stack.ServiceSpec;
import dev.engage.launcher.stack.StackServices;
import java.io.PrintWriter;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code engage status}: which services of the local stack run and answer, and how often the
 * supervisor of {@code engage up} restarted each.
 */
@Command(
    name = "status",
    description = "Show which services of the local stack are running and ready.")
final class StatusCommand implements Callable<Integer> {
  @Mixin ConfigOptions options;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    StackConfig config = options.load();
    if (!config.jobsOnCluster()
        && PidFile.of(config.runDir(), FlinkCluster.JOB_MANAGER).liveProcess().isPresent()) {
      // started with engage up --flink cluster: show the cluster's processes
      options.settings.add("jobs.flink=cluster");
      config = options.load();
    }
    PrintWriter out = spec.commandLine().getOut();
    Optional<ProcessHandle> supervisor = RunFiles.supervisor(config).liveProcess();
    out.println(
        supervisor
            .map(p -> "engage up: running (pid " + p.pid() + ")")
            .orElse("engage up: not running"));
    boolean allReady = supervisor.isPresent();
    Map<String, RestartLog.Summary> restarts = new RestartLog(config.runDir()).summaries();
    for (ServiceSpec spec : StackServices.of(config)) {
      Optional<ProcessHandle> process = PidFile.of(config.runDir(), spec.name()).liveProcess();
      boolean ready = process.isPresent() && answers(spec);
      allReady &= ready;
      RestartLog.Summary restarted = restarts.get(spec.name());
      out.printf(
          "  %-11s %-11s restarts %-3d %s%n",
          spec.name(),
          process.map(p -> "pid " + p.pid()).orElse("not running"),
          restarted == null ? 0 : restarted.restarts(),
          ready ? "ready - " + spec.description() : "not ready");
      if (restarted != null) {
        out.printf(
            "  %-11s last restart %s, after it %s%n",
            "",
            restarted.last().truncatedTo(ChronoUnit.SECONDS),
            ServiceProcess.ending(restarted.lastExitCode()));
      }
    }
    return allReady ? 0 : 3;
  }

  private static boolean answers(ServiceSpec spec) {
    try {
      return spec.readiness().check();
    } catch (Exception e) {
      return false;
    }
  }
}
