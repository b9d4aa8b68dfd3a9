package dev.engage.launcher;

import dev.engage.launcher.config.StackConfig;
import dev.engage.launcher.stack.PidFile;
import dev.engage.launcher.stack.ServiceSpec;
import dev.engage.launcher.stack.StackServices;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code engage status}: which services of the local stack run and answer. */
@Command(
    name = "status",
    description = "Show which services of the local stack are running and ready.")
final class StatusCommand implements Callable<Integer> {
  @Mixin ConfigOptions options;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    StackConfig config = options.load();
    PrintWriter out = spec.commandLine().getOut();
    Optional<ProcessHandle> supervisor = RunFiles.supervisor(config).liveProcess();
    out.println(
        supervisor
            .map(p -> "engage up: running (pid " + p.pid() + ")")
            .orElse("engage up: not running"));
    boolean allReady = supervisor.isPresent();
    for (ServiceSpec spec : StackServices.of(config)) {
      Optional<ProcessHandle> process = PidFile.of(config.runDir(), spec.name()).liveProcess();
      boolean ready = process.isPresent() && answers(spec);
      allReady &= ready;
      out.printf(
          "  %-9s %-28s %s%n",
          spec.name(),
          process.map(p -> "pid " + p.pid()).orElse("not running"),
          ready ? "ready - " + spec.description() : "not ready");
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
