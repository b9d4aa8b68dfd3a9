package dev.engage.launcher;

import dev.engage.launcher.config.StackConfig;
import dev.engage.launcher.stack.LocalStack;
import dev.engage.launcher.stack.ServiceProcess;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code engage down}: asks the running {@code engage up} to stop the stack cleanly, or stops
 * services left behind by one that was killed.
 */
@Command(name = "down", description = "Stop the local stack started by engage up.")
final class DownCommand implements Callable<Integer> {
  private static final Duration SUPERVISOR_GRACE = Duration.ofSeconds(120);

  @Mixin ConfigOptions options;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    StackConfig config = options.load();
    PrintWriter out = spec.commandLine().getOut();
    Optional<ProcessHandle> supervisor = RunFiles.supervisor(config).liveProcess();
    if (supervisor.isPresent()) {
      out.println("engage: stopping the local stack (pid " + supervisor.get().pid() + ")");
      ServiceProcess.stop(supervisor.get(), SUPERVISOR_GRACE, "engage up");
    }
    int leftovers = LocalStack.stopLeftovers(config, out);
    RunFiles.supervisor(config).delete();
    RunFiles.clearReady(config);
    out.println(
        supervisor.isPresent() || leftovers > 0
            ? "engage: stopped"
            : "engage: nothing was running");
    return 0;
  }
}
