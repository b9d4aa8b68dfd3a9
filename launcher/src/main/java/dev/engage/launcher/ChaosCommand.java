package dev.engage.launcher;

import dev.engage.launcher.chaos.ChaosRun;
import dev.engage.launcher.config.StackConfig;
import dev.engage.launcher.stack.LocalApiKeys;
import dev.engage.launcher.stack.ServiceException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code engage chaos}: the fault suite on the running stack. Probe touchpoints with per-customer
 * sequence numbers go through the collector at a steady rate while one service at a time is killed
 * with SIGKILL at random moments and the supervisor of {@code engage up} starts it again; then the
 * committed data is checked ({@link ChaosRun}).
 */
@Command(
    name = "chaos",
    description = {
      "Kill the running stack's services one at a time under a steady load, then check that"
          + " nothing was lost or doubled.",
      "Needs the stack running (./engage up -d). Exits 1 when a check fails."
    })
final class ChaosCommand implements Callable<Integer> {
  /** A mailbox only catches what delivery sends locally; it is nothing a customer would miss. */
  private static final List<String> NOT_BY_DEFAULT = List.of("mailbox");

  @Mixin ConfigOptions options;

  @Option(
      names = "--duration",
      defaultValue = "PT5M",
      description = "How long faults are injected, ISO-8601 (default: ${DEFAULT-VALUE}).")
  Duration duration;

  @Option(
      names = "--fault-every",
      defaultValue = "PT30S",
      description =
          "Mean time between faults; each wait is 0.5 to 1.5 times it (default: ${DEFAULT-VALUE}).")
  Duration faultEvery;

  @Option(
      names = "--faults",
      description = "Stop after this many faults (default: as many as the duration allows).")
  int maxFaults = Integer.MAX_VALUE;

  @Option(
      names = "--customers",
      defaultValue = "50",
      description = "Customers sending probes (default: ${DEFAULT-VALUE}).")
  int customers;

  @Option(
      names = "--rate",
      defaultValue = "100",
      description = "Probes per second over all customers (default: ${DEFAULT-VALUE}).")
  double rate;

  @Option(
      names = "--services",
      split = ",",
      description =
          "Services to kill, comma-separated (default: every service of the stack but the"
              + " mailbox).")
  List<String> services;

  @Option(
      names = "--settle",
      defaultValue = "PT5M",
      description =
          "How long after the last probe the data may take to be right (default:"
              + " ${DEFAULT-VALUE}).")
  Duration settle;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "Seed of the faults' order and times.")
  long seed;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    StackConfig config = options.load();
    if (RunFiles.supervisor(config).liveProcess().isEmpty()) {
      throw new ServiceException(
          "the local stack is not running; start it first with: ./engage up -d");
    }
    if (customers < 1 || rate <= 0 || duration.isNegative() || faultEvery.isNegative()) {
      throw new ServiceException(
          "--customers must be 1 or more, --rate above 0, --duration and --fault-every 0 or more");
    }
    ChaosRun run =
        new ChaosRun(
            config,
            LocalWriteKeys.of(config, "website"),
            LocalApiKeys.byRole(LocalApiKeys.file(config)).get("agent"),
            RulesCommand.store(config),
            spec.commandLine().getOut());
    List<String> victims = services != null ? services : defaultVictims(config, run);
    boolean right =
        run.run(victims, duration, faultEvery, maxFaults, customers, rate, settle, seed);
    return right ? 0 : 1;
  }

  private static List<String> defaultVictims(StackConfig config, ChaosRun run) {
    List<String> names = new ArrayList<>(run.serviceNames());
    names.removeAll(NOT_BY_DEFAULT);
    return names;
  }
}
