package dev.engage.launcher;

import dev.engage.launcher.bench.BacktestBenchmark;
import dev.engage.launcher.bench.IngestBenchmark;
import dev.engage.launcher.config.StackConfig;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code engage bench ...}: benchmarks against the running local stack. */
@Command(
    name = "bench",
    description = "Benchmarks against the running stack.",
    subcommands = {BenchCommand.Ingest.class, BenchCommand.BacktestSpeed.class})
final class BenchCommand {

  /** {@code engage bench ingest}. */
  @Command(
      name = "ingest",
      description = {
        "Collector and normalizer throughput beside a plain Kafka producer, in one run.",
        "Needs the stack running (./engage up -d). Writes target/bench/ingest.json."
      })
  static final class Ingest implements Callable<Integer> {
    @Mixin ConfigOptions options;

    @Option(
        names = "--events",
        defaultValue = "100000",
        description = "Events per phase (default: ${DEFAULT-VALUE}).")
    int events;

    @Option(
        names = "--connections",
        defaultValue = "4",
        description = "Concurrent HTTP connections (default: ${DEFAULT-VALUE}).")
    int connections;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      StackConfig config = options.load();
      Path result =
          Path.of(System.getProperty("engage.home", "."))
              .resolve("target")
              .resolve("bench")
              .resolve("ingest.json");
      new IngestBenchmark(
              config.bootstrapServers(),
              URI.create(config.collectorUrl()),
              LocalWriteKeys.of(config, "website"),
              spec.commandLine().getOut())
          .run(events, connections, result.toAbsolutePath().normalize());
      return 0;
    }
  }

  /** {@code engage bench backtest}. */
  @Command(
      name = "backtest",
      description = {
        "Rule evaluation speed of the backtest engine on synthetic events (no stack needed).",
        "Writes target/bench/backtest.json."
      })
  static final class BacktestSpeed implements Callable<Integer> {
    private static final String RULE =
        """
        id: bench-abandoned-cart
        name: Abandoned cart (benchmark)
        when:
          kind: absence
          first: "event.type == 'add_to_cart'"
          not: "event.type == 'purchase'"
          within: 30m
        action: {code: CART_REMINDER}
        """;

    @Option(
        names = "--events",
        defaultValue = "1000000",
        description = "Events (default: ${DEFAULT-VALUE}).")
    int events;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      Path result =
          Path.of(System.getProperty("engage.home", "."))
              .resolve("target")
              .resolve("bench")
              .resolve("backtest.json");
      BacktestBenchmark.run(
          RulesCommand.PARSER.parse(RULE),
          events,
          spec.commandLine().getOut(),
          result.toAbsolutePath().normalize());
      return 0;
    }
  }
}
