package dev.engage.launcher.stack;

import dev.engage.launcher.EngageCli;
import dev.engage.launcher.config.StackConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * Runs {@code engage} commands as a user types them, on a test stack's data directory and ports
 * ({@link SharedStack#freshConfig}), and keeps everything they printed.
 */
public final class StackCli {
  private final StackConfig config;
  private final List<String> settings;
  private final StringWriter output = new StringWriter();

  /** Every command gets these {@code --set key=value} settings too (which services to start). */
  public StackCli(StackConfig config, String... settings) {
    this.config = config;
    this.settings = List.of(settings);
  }

  /** Runs {@code engage <command> <extra...>} and returns its exit code. */
  public int run(String command, String... extra) {
    List<String> args = new ArrayList<>(List.of(command));
    args.addAll(List.of(extra));
    args.addAll(
        List.of(
            "--data-dir", config.dataDir().toString(),
            "--kafka-port", Integer.toString(config.kafkaPort()),
            "--registry-port", Integer.toString(config.registryPort()),
            "--redis-port", Integer.toString(config.redisPort()),
            "--set", "kafka.controller-port=" + config.controllerPort(),
            "--set", "kafka.host=127.0.0.1"));
    for (String setting : settings) {
      args.addAll(List.of("--set", setting));
    }
    CommandLine cli = EngageCli.commandLine();
    PrintWriter writer = new PrintWriter(output, true);
    cli.setOut(writer);
    cli.setErr(writer);
    return cli.execute(args.toArray(String[]::new));
  }

  /** Everything the commands printed so far. */
  public String output() {
    return output.toString();
  }
}
