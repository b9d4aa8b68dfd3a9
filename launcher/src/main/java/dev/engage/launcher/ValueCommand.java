package dev.engage.launcher;

import dev.engage.launcher.config.StackConfig;
import dev.engage.launcher.stack.StackServices;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code engage value ...}: customer lifetime value. */
@Command(
    name = "value",
    description = "Customer lifetime value.",
    subcommands = {ValueCommand.Fit.class})
final class ValueCommand {
  private ValueCommand() {}

  /**
   * {@code engage value fit}: runs the stream-jobs module's {@code ValueModelFit} in its own JVM
   * with this stack's addresses and topic names.
   */
  @Command(
      name = "fit",
      description = {
        "Fit BG/NBD (how often customers buy, and when they leave) and Gamma-Gamma (what they",
        "spend) over every customer in the profiles topic, and publish the parameters as the",
        "lifetime-value value model: the profile job applies it to each customer's next version.",
        "Run it on a schedule (nightly, from cron) to follow how customers buy."
      })
  static final class Fit implements Callable<Integer> {
    @Mixin ConfigOptions options;

    @Option(
        names = "--as-of",
        description = "The end of the calibration period, a UTC date-time (default: now).")
    String asOf;

    @Override
    public Integer call() throws Exception {
      StackConfig config = options.load();
      Map<String, String> names = config.topics().names();
      List<String> command =
          new ArrayList<>(
              StackServices.moduleJvm(
                  "stream-jobs",
                  "2g",
                  "dev.engage.jobs.value.ValueModelFit",
                  "--bootstrap-servers",
                  config.bootstrapServers(),
                  "--registry-url",
                  config.registryUrl(),
                  "--profiles-topic",
                  names.getOrDefault("profiles", "profiles"),
                  "--rules-topic",
                  names.getOrDefault("rules", "rules"),
                  "--rules-history-topic",
                  names.getOrDefault("rules.history", "rules.history")));
      if (asOf != null) {
        command.addAll(List.of("--as-of", asOf));
      }
      return new ProcessBuilder(command).inheritIO().start().waitFor();
    }
  }
}
