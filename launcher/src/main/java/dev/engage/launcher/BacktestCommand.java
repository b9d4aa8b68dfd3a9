package dev.engage.launcher;

import dev.engage.avro.Touchpoint;
import dev.engage.launcher.config.ConfigException;
import dev.engage.launcher.config.StackConfig;
import dev.engage.rules.definition.Definition;
import dev.engage.rules.definition.InvalidRuleException;
import dev.engage.rules.definition.Rule;
import dev.engage.rules.evaluation.Backtest;
import dev.engage.rules.evaluation.Lookback;
import dev.engage.rules.evaluation.TouchpointReplay;
import dev.engage.schemas.registry.SchemaRegistryClient;
import dev.engage.schemas.topics.Topic;
import dev.engage.schemas.topics.TopicCatalog;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code engage rules backtest FILE --since 24h}: what a trigger rule would have done on recent
 * data.
 */
@Command(
    name = "backtest",
    description =
        "Replay recent touchpoints through a trigger rule and report what it would have fired"
            + " (segments and scoring models cannot be backtested).")
final class BacktestCommand implements Callable<Integer> {
  @Mixin ConfigOptions options;

  @Parameters(paramLabel = "FILE", description = "The trigger rule (YAML or JSON).")
  Path file;

  @Option(
      names = "--since",
      defaultValue = "24h",
      description = "How far back: 30m, 24h, 7d (default: ${DEFAULT-VALUE}).")
  String since;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    StackConfig config = options.load();
    Definition definition;
    try {
      definition = RulesCommand.DEFINITION_PARSER.parse(Files.readString(file));
    } catch (InvalidRuleException e) {
      e.problems().forEach(p -> out.println(file + ":" + p));
      return 1;
    }
    if (!(definition instanceof Rule rule)) {
      out.println(
          file
              + ": "
              + definition.id()
              + " is a "
              + definition.kind().replace('_', ' ')
              + "; only trigger rules can be backtested");
      return 1;
    }
    Instant from = Instant.now().minus(period());
    Topic<String, Touchpoint> touchpoints =
        new TopicCatalog(config.topics(), new SchemaRegistryClient(config.registryUrl()))
            .touchpoints();
    Backtest backtest = new Backtest(rule);
    long began = System.nanoTime();
    replay(config, touchpoints, from, backtest);
    Backtest.Report report = backtest.finish();
    double seconds = (System.nanoTime() - began) / 1e9;
    out.printf(
        "%s over %,d touchpoints since %s: %,d firings for %,d customers (%.1f s, %,.0f events/s)%n",
        rule.id(),
        report.events(),
        from,
        report.firings(),
        report.customers(),
        seconds,
        report.events() / Math.max(seconds, 1e-9));
    for (Backtest.Sample sample : report.samples()) {
      out.printf(
          "  %s at %s: %s%n",
          sample.customerId(), sample.firing().occurredAt(), sample.firing().explanation());
    }
    if (rule.audience() != null) {
      out.println(
          "  note: the audience needs profiles, which a backtest does not have; it was treated as not met");
    }
    return 0;
  }

  private Duration period() {
    try {
      return Lookback.parse(since);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("--since " + e.getMessage());
    }
  }

  /** Replays the touchpoints since {@code from} (kept for {@code engage bench backtest}). */
  static void replay(
      StackConfig config, Topic<String, Touchpoint> topic, Instant from, Backtest backtest) {
    TouchpointReplay.replay(config.bootstrapServers(), topic, from, backtest);
  }
}
