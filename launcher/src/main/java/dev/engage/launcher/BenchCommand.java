package dev.engage.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engage.launcher.bench.ApiBenchmark;
import dev.engage.launcher.bench.BacktestBenchmark;
import dev.engage.launcher.bench.BenchSummary;
import dev.engage.launcher.bench.DeliveryBenchmark;
import dev.engage.launcher.bench.DisruptionLatencyBenchmark;
import dev.engage.launcher.bench.EndToEndBenchmark;
import dev.engage.launcher.bench.IngestBenchmark;
import dev.engage.launcher.bench.KafkaBacktestTopic;
import dev.engage.launcher.config.StackConfig;
import dev.engage.launcher.stack.LocalApiKeys;
import dev.engage.launcher.stack.LocalDelivery;
import dev.engage.launcher.stack.StackServices;
import dev.engage.rules.definition.Rule;
import dev.engage.rules.evaluation.Backtest;
import dev.engage.rules.store.RuleStore;
import dev.engage.schemas.registry.SchemaRegistryClient;
import dev.engage.schemas.topics.TopicCatalog;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    subcommands = {
      BenchCommand.Ingest.class,
      BenchCommand.BacktestSpeed.class,
      BenchCommand.RulesSpeed.class,
      BenchCommand.ProfileSpeed.class,
      BenchCommand.ValueFitSpeed.class,
      BenchCommand.ApiSpeed.class,
      BenchCommand.DeliverySpeed.class,
      BenchCommand.DecisionsSpeed.class,
      BenchCommand.EndToEnd.class,
      BenchCommand.All.class
    })
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
      Path result = resultsDir().resolve("ingest.json");
      new IngestBenchmark(
              config.bootstrapServers(),
              URI.create(config.collectorUrl()),
              LocalWriteKeys.of(config, "website"),
              spec.commandLine().getOut())
          .run(events, connections, result);
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
    static final String RULE =
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

    @Option(
        names = "--kafka",
        description =
            "Also time the backtest's Kafka path on the running stack: the events are written to"
                + " a throw-away topic and replayed from it as `engage rules backtest` does.")
    boolean kafka;

    @Mixin ConfigOptions options;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      Path result = resultsDir().resolve("backtest.json");
      if (kafka) {
        timeKafkaReplay(options.load(), events, spec.commandLine().getOut());
      }
      BacktestBenchmark.run(
          RulesCommand.RULE_PARSER.parse(RULE), events, spec.commandLine().getOut(), result);
      return 0;
    }
  }

  /** Where benchmarks write their figures: target/bench under the project. */
  private static Path resultsDir() {
    return Path.of(System.getProperty("engage.home", "."))
        .resolve("target")
        .resolve("bench")
        .toAbsolutePath()
        .normalize();
  }

  /** Fills a throw-away topic, then replays it through the rule as the backtest command does. */
  private static void timeKafkaReplay(StackConfig config, int events, PrintWriter out)
      throws Exception {
    Rule rule = RulesCommand.RULE_PARSER.parse(BacktestSpeed.RULE);
    try (KafkaBacktestTopic topic =
        new KafkaBacktestTopic(config.bootstrapServers(), config.registryUrl())) {
      topic.fill(events, out);
      Backtest backtest = new Backtest(rule);
      long began = System.nanoTime();
      BacktestCommand.replay(
          config, topic.topic(), Instant.now().minus(Duration.ofHours(2)), backtest);
      Backtest.Report report = backtest.finish();
      double seconds = (System.nanoTime() - began) / 1e9;
      out.printf(
          "bench backtest (from Kafka): %,d events read and evaluated in %.2f s: %,.0f events/s,"
              + " %,d firings%n",
          report.events(), seconds, report.events() / seconds, report.firings());
    }
  }

  /** {@code engage bench rules}. */
  @Command(
      name = "rules",
      description = {
        "Rule evaluation with 10, 100, 1,000 (and, in JMH, 10,000) mixed rules: the pure evaluator (JMH),",
        "the same event rules in Engage and in Drools (one JMH run, firings compared first), the",
        "trigger operator inside Flink (local MiniCluster, RocksDB, against a no-rule baseline)",
        "and, when the stack runs (./engage up -d), the time from a 400-passenger cancellation",
        "to the last trigger. Writes target/bench/rules.json."
      })
  static final class RulesSpeed implements Callable<Integer> {
    static final int DEFAULT_PASSENGERS = 400;
    static final int DEFAULT_REPEATS = 20;

    @Mixin ConfigOptions options;

    @Option(
        names = "--passengers",
        defaultValue = "" + DEFAULT_PASSENGERS,
        description = "Passengers on each cancelled flight (default: ${DEFAULT-VALUE}).")
    int passengers;

    @Option(
        names = "--repeats",
        defaultValue = "" + DEFAULT_REPEATS,
        description = "Cancellations to time (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(
        names = "--flink-events",
        defaultValue = "400000",
        description = "Touchpoints per Flink run (default: ${DEFAULT-VALUE}).")
    int flinkEvents;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      StackConfig config = options.load();
      PrintWriter out = spec.commandLine().getOut();
      Path dir = resultsDir();
      Files.createDirectories(dir);
      Map<String, Object> results = new LinkedHashMap<>();

      out.println(
          "bench rules: pure evaluator and Drools (JMH, 1 fork, 3 x 2 s warm-up, 5 x 2 s measured)");
      Path jmh = dir.resolve("rules-jmh.json");
      Path jmhLog = dir.resolve("rules-jmh.log");
      if (runEchoingFigures(
              StackServices.moduleJvm(
                  "rules-bench", "2g", "dev.engage.rulesbench.RulesJmh", jmh.toString()),
              jmhLog,
              out)
          != 0) {
        out.println("  the JMH benchmark failed; see " + jmhLog);
        return 1;
      }
      JsonNode jmhRuns = new ObjectMapper().readTree(jmh.toFile());
      results.put("pureEvaluator", jmhRuns.get("pureEvaluator"));
      results.put("drools", jmhRuns.get("peer"));
      results.put("droolsAgreement", jmhRuns.get("agreement"));

      out.println("bench rules: trigger operator in Flink (MiniCluster, RocksDB, parallelism 2)");
      Path flink = dir.resolve("rules-flink.json");
      int exit =
          new ProcessBuilder(
                  StackServices.moduleJvm(
                      "stream-jobs",
                      "2g",
                      "dev.engage.jobs.bench.TriggerJobBenchmark",
                      "--events",
                      Integer.toString(flinkEvents),
                      "--out",
                      flink.toString()))
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("rules-flink.log").toFile())
              .start()
              .waitFor();
      if (exit != 0) {
        out.println("  the Flink benchmark failed; see " + dir.resolve("rules-flink.log"));
        return 1;
      }
      JsonNode flinkRuns = new ObjectMapper().readTree(flink.toFile());
      for (JsonNode run : flinkRuns) {
        out.printf(
            "  flink job, %-9s %,6d rules: %,9d touchpoints/s, %.3f of the no-rule baseline%n",
            run.get("mix").asText(),
            run.get("rules").asInt(),
            run.get("touchpointsPerSecond").asLong(),
            run.get("vsNoRules").asDouble());
      }
      results.put("flinkJob", flinkRuns);

      if (Files.exists(RunFiles.readyMarker(config)) && config.jobsEnabled()) {
        out.println("bench rules: flight cancellation to last trigger (running stack)");
        results.put("cancellation", cancellationLatency(config, passengers, repeats, out));
      } else {
        out.println(
            "bench rules: the cancellation latency needs the stack with its stream jobs:"
                + " ./engage up -d, then run this again");
      }
      Path result = dir.resolve("rules.json");
      Files.writeString(
          result, new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(results));
      out.println("  figures written to " + result);
      return 0;
    }
  }

  /**
   * Times {@code repeats} cancellations of flights with {@code passengers} booked, to each last
   * trigger.
   */
  private static Map<String, Object> cancellationLatency(
      StackConfig config, int passengers, int repeats, PrintWriter out) throws Exception {
    TopicCatalog topics =
        new TopicCatalog(config.topics(), new SchemaRegistryClient(config.registryUrl()));
    RuleStore store = RulesCommand.store(config);
    try {
      return new DisruptionLatencyBenchmark(config.bootstrapServers(), topics, store, out)
          .run(passengers, repeats);
    } finally {
      store.delete("bench-rebooking");
    }
  }

  /**
   * Runs a benchmark JVM, its output into {@code log}, and shows its figures (the lines it indents,
   * as every figure of {@code engage bench} is) as they come; returns its exit code.
   */
  private static int runEchoingFigures(List<String> command, Path log, PrintWriter out)
      throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    try (BufferedReader lines =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        BufferedWriter logged = Files.newBufferedWriter(log)) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        logged.write(line);
        logged.newLine();
        if (line.startsWith("  ")) {
          out.println(line);
          out.flush();
        }
      }
    }
    return process.waitFor();
  }

  /** {@code engage bench profile}. */
  @Command(
      name = "profile",
      description = {
        "The profile job on the running stack's Kafka and Redis, with 100,000 customers:",
        "sustained touchpoints/s beside a pass-through job (the ceiling), event-to-Redis",
        "latency at half that rate, bytes of state per customer, and the aging pass: every",
        "customer re-valued as event time moves a day on. Uses throw-away topics",
        "and empties Redis database 15. Writes target/bench/profile.json."
      })
  static final class ProfileSpeed implements Callable<Integer> {
    @Mixin ConfigOptions options;

    @Option(
        names = "--customers",
        defaultValue = "100000",
        description = "Distinct customers (default: ${DEFAULT-VALUE}).")
    int customers;

    @Option(
        names = "--events-per-customer",
        defaultValue = "5",
        description = "Touchpoints per customer in the backlog (default: ${DEFAULT-VALUE}).")
    int eventsPerCustomer;

    @Option(
        names = "--latency-rate",
        description = "Touchpoints/s while latency is timed (default: half the sustained rate).")
    Double latencyRate;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      StackConfig config = options.load();
      List<String> args =
          new ArrayList<>(
              List.of(
                  "--redis-uri",
                  scratchRedis(config),
                  "--customers",
                  Integer.toString(customers),
                  "--events-per-customer",
                  Integer.toString(eventsPerCustomer)));
      if (latencyRate != null) {
        args.addAll(List.of("--latency-rate", latencyRate.toString()));
      }
      return streamJobsBench(
          config,
          spec.commandLine().getOut(),
          "profile",
          "3g",
          "dev.engage.jobs.bench.ProfileJobBenchmark",
          args);
    }
  }

  /**
   * Runs a benchmark of the stream-jobs module in a JVM of its own against the running stack's
   * broker and registry, with {@code args} after those; its figures go to {@code
   * target/bench/<name>.json} and its log to {@code <name>.log} beside them.
   */
  private static int streamJobsBench(
      StackConfig config,
      PrintWriter out,
      String name,
      String heap,
      String mainClass,
      List<String> args)
      throws Exception {
    if (!Files.exists(RunFiles.readyMarker(config))) {
      out.println("bench " + name + " needs the running stack: ./engage up -d first");
      return 1;
    }
    Path dir = resultsDir();
    Files.createDirectories(dir);
    Path result = dir.resolve(name + ".json");
    List<String> command =
        new ArrayList<>(
            StackServices.moduleJvm(
                "stream-jobs",
                heap,
                mainClass,
                "--bootstrap-servers",
                config.bootstrapServers(),
                "--registry-url",
                config.registryUrl(),
                "--out",
                result.toString()));
    command.addAll(args);
    return runInJvm(command, "bench " + name, dir.resolve(name + ".log"), result, out);
  }

  /** The Redis database a benchmark may empty and fill. */
  private static String scratchRedis(StackConfig config) {
    return "redis://localhost:" + config.redisPort() + "/" + ApiBenchmark.SCRATCH_DB;
  }

  /**
   * Runs a benchmark JVM to its end: its own lines (starting with {@code prefix}) go to the
   * console, everything (Flink's logging too) to the log file.
   */
  private static int runInJvm(
      List<String> command, String prefix, Path log, Path result, PrintWriter out)
      throws Exception {
    Process bench = new ProcessBuilder(command).redirectErrorStream(true).start();
    try (var lines = bench.inputReader();
        PrintWriter logFile = new PrintWriter(Files.newBufferedWriter(log))) {
      String line;
      while ((line = lines.readLine()) != null) {
        logFile.println(line);
        if (line.startsWith(prefix)) {
          out.println(line);
          out.flush();
        }
      }
    }
    if (bench.waitFor() != 0) {
      out.println(prefix + " failed; see " + log);
      return 1;
    }
    out.println("  figures written to " + result);
    return 0;
  }

  /** {@code engage bench value}. */
  @Command(
      name = "value",
      description = {
        "engage value fit over a million simulated customers' profiles on throw-away topics of",
        "the running stack: profiles/s beside a scan of the same topic that only counts, the",
        "models' share of the time, and the fitted parameters beside the true ones. Writes",
        "target/bench/value.json."
      })
  static final class ValueFitSpeed implements Callable<Integer> {
    @Mixin ConfigOptions options;

    @Option(
        names = "--customers",
        defaultValue = "1000000",
        description = "Simulated customers (default: ${DEFAULT-VALUE}).")
    int customers;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      return streamJobsBench(
          options.load(),
          spec.commandLine().getOut(),
          "value",
          "4g",
          "dev.engage.jobs.bench.ValueFitBenchmark",
          List.of("--customers", Integer.toString(customers)));
    }
  }

  /** {@code engage bench decisions}. */
  @Command(
      name = "decisions",
      description = {
        "The trigger pipeline with the decisions beside the trigger pipeline alone, on the running",
        "stack's Kafka and Redis (./engage up -d), every touchpoint firing a rule for a customer",
        "of its own: the sustained rate of each over a backlog, and at 1,000 touchpoints/s the",
        "latency to the trigger on Kafka and to the next-best-actions announced in Redis",
        "(p50/p99). Uses throw-away topics and empties Redis database 15.",
        "Writes target/bench/decisions.json."
      })
  static final class DecisionsSpeed implements Callable<Integer> {
    @Mixin ConfigOptions options;

    @Option(
        names = "--backlog",
        defaultValue = "50000",
        description = "Triggering touchpoints in the backlog (default: ${DEFAULT-VALUE}).")
    int backlog;

    @Option(
        names = "--latency-rate",
        defaultValue = "1000",
        description = "Touchpoints/s while latency is timed (default: ${DEFAULT-VALUE}).")
    double latencyRate;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      StackConfig config = options.load();
      return streamJobsBench(
          config,
          spec.commandLine().getOut(),
          "decisions",
          "3g",
          "dev.engage.jobs.bench.DecisionJobBenchmark",
          List.of(
              "--redis-uri",
              scratchRedis(config),
              "--backlog",
              Integer.toString(backlog),
              "--latency-rate",
              Double.toString(latencyRate)));
    }
  }

  /** {@code engage bench api}. */
  @Command(
      name = "api",
      description = {
        "GET /v1/customers/{id}/next-best-actions for random customers among 100,000 in Redis",
        "(wrk), beside redis-benchmark GETs of the same values on the same Redis: the ratio.",
        "Needs the stack with its API (./engage up -d) and wrk and redis-benchmark",
        "(apt-get install wrk redis-tools). Writes target/bench/api.json."
      })
  static final class ApiSpeed implements Callable<Integer> {
    @Mixin ConfigOptions options;

    @Option(
        names = "--customers",
        defaultValue = "100000",
        description = "Customers with next-best-actions in Redis (default: ${DEFAULT-VALUE}).")
    int customers;

    @Option(
        names = "--connections",
        defaultValue = "16",
        description =
            "Concurrent connections of wrk and redis-benchmark (default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(
        names = "--duration",
        defaultValue = "PT20S",
        description = "How long wrk runs (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      StackConfig config = options.load();
      PrintWriter out = spec.commandLine().getOut();
      Path keys = LocalApiKeys.file(config);
      if (!config.apiEnabled() || !Files.exists(keys)) {
        out.println("bench api needs the stack with its API: ./engage up -d first");
        return 1;
      }
      Path dir = resultsDir();
      Files.createDirectories(dir);
      Map<String, Object> results =
          new ApiBenchmark(
                  config.apiUrl(),
                  config.redisPort(),
                  LocalApiKeys.byRole(keys).get("service"),
                  out)
              .run(customers, connections, duration, dir);
      Path result = dir.resolve("api.json");
      Files.writeString(
          result, new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(results));
      out.println("  figures written to " + result);
      return 0;
    }
  }

  /** {@code engage bench delivery}. */
  @Command(
      name = "delivery",
      description = {
        "Notifications per second per channel through delivery, beside a plain SMTP, HTTP and"
            + " Redis client sending the same messages to the same servers in one run.",
        "Needs the stack running with delivery and its local mailbox (./engage up -d)."
            + " Writes target/bench/delivery.json."
      })
  static final class DeliverySpeed implements Callable<Integer> {
    @Mixin ConfigOptions options;

    @Option(
        names = "--notifications",
        defaultValue = "2000",
        description = "Notifications per channel (default: ${DEFAULT-VALUE}).")
    int notifications;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      StackConfig config = options.load();
      new DeliveryBenchmark(
              config.bootstrapServers(),
              new TopicCatalog(config.topics(), new SchemaRegistryClient(config.registryUrl())),
              config.mailSmtpPort(),
              URI.create(config.mailboxUrl()),
              Files.readString(LocalDelivery.webhookSecretFile(config)).trim(),
              config.redisPort(),
              spec.commandLine().getOut())
          .run(notifications, resultsDir().resolve("delivery.json"));
      return 0;
    }
  }

  /** {@code engage bench e2e}. */
  @Command(
      name = "e2e",
      description = {
        "Touchpoint accepted by the collector to next-best-action visible (Redis, as the API serves"
            + " it) at a ladder of rates, with each hop, beside a plain Kafka producer and"
            + " consumer at the same rate.",
        "Needs the whole stack running (./engage up -d). Writes target/bench/e2e.json."
      })
  static final class EndToEnd implements Callable<Integer> {
    @Mixin ConfigOptions options;

    @Option(
        names = "--rates",
        split = ",",
        defaultValue = "100,250,500,1000",
        description = "Events per second, one phase each (default: ${DEFAULT-VALUE}).")
    List<Integer> rates;

    @Option(
        names = "--seconds",
        defaultValue = "15",
        description = "Seconds per phase (default: ${DEFAULT-VALUE}).")
    int seconds;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      StackConfig config = options.load();
      PrintWriter out = spec.commandLine().getOut();
      if (!Files.exists(RunFiles.readyMarker(config)) || !config.jobsEnabled()) {
        out.println("bench e2e needs the whole stack: ./engage up -d, then run this again");
        return 1;
      }
      Map<String, String> topics = new LinkedHashMap<>();
      for (String id :
          List.of("touchpoints.raw", "touchpoints", "profiles", "triggers", "actions")) {
        topics.put(id, config.topics().names().getOrDefault(id, id));
      }
      out.printf("bench e2e: %d s per rate, rates %s%n", seconds, rates);
      Map<String, Object> results =
          new EndToEndBenchmark(
                  config.bootstrapServers(),
                  URI.create(config.collectorUrl()),
                  LocalWriteKeys.of(config, "website"),
                  topics,
                  config.redisPort(),
                  RulesCommand.store(config),
                  out)
              .run(rates, seconds);
      Path dir = resultsDir();
      Files.createDirectories(dir);
      Path result = dir.resolve("e2e.json");
      Files.writeString(
          result, new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(results));
      out.println("  figures written to " + result);
      return 0;
    }
  }

  /** {@code engage bench all}. */
  @Command(
      name = "all",
      description = {
        "Every data-plane benchmark in sequence on the running stack (./engage up -d): ingest,",
        "profile (latency at 1,000 touchpoints/s), api, the 400-passenger cancellation, decisions",
        "and delivery; then one table of every figure against its baseline and its target, with",
        "the machine's core count. Takes about 20 minutes. Writes target/bench/summary.json",
        "beside each benchmark's own file."
      })
  static final class All implements Callable<Integer> {
    @Mixin ConfigOptions options;

    @Option(
        names = "--profile-customers",
        defaultValue = "100000",
        description = "Customers of the profile benchmark (default: ${DEFAULT-VALUE}).")
    int profileCustomers;

    @Option(
        names = "--profile-latency-rate",
        defaultValue = "1000",
        description =
            "Touchpoints/s while the profile job's latency is timed (default: ${DEFAULT-VALUE}).")
    double profileLatencyRate;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      StackConfig config = options.load();
      PrintWriter out = spec.commandLine().getOut();
      if (!Files.exists(RunFiles.readyMarker(config))
          || !config.jobsEnabled()
          || !config.apiEnabled()) {
        out.println("bench all needs the whole stack with its jobs and API: ./engage up -d first");
        return 1;
      }
      Path dir = resultsDir();
      Files.createDirectories(dir);
      int cores = Runtime.getRuntime().availableProcessors();
      Instant began = Instant.now();
      out.printf("bench all: %d cores, started %s%n", cores, began);
      // each step writes target/bench/<its name>.json, or nothing when it failed
      Map<String, Runnable> steps = new LinkedHashMap<>();
      steps.put("ingest", () -> runBench("ingest"));
      steps.put(
          "profile",
          () ->
              runBench(
                  "profile",
                  "--customers",
                  Integer.toString(profileCustomers),
                  "--latency-rate",
                  Double.toString(profileLatencyRate)));
      steps.put("api", () -> runBench("api"));
      // not a subcommand of its own: the last part of bench rules, with its defaults
      steps.put(
          "cancellation", () -> timeCancellation(config, dir.resolve("cancellation.json"), out));
      steps.put("decisions", () -> runBench("decisions"));
      steps.put("delivery", () -> runBench("delivery"));
      Map<String, JsonNode> results = new LinkedHashMap<>();
      List<String> failed = new ArrayList<>();
      int step = 0;
      for (Map.Entry<String, Runnable> run : steps.entrySet()) {
        String name = run.getKey();
        out.printf(
            "bench all: %d/%d %s (%s in)%n",
            ++step, steps.size(), name, Duration.between(began, Instant.now()).withNanos(0));
        out.flush();
        Path figures = dir.resolve(name + ".json");
        Files.deleteIfExists(figures);
        run.getValue().run();
        if (Files.exists(figures)) {
          results.put(name, new ObjectMapper().readTree(figures.toFile()));
        } else {
          failed.add(name);
        }
      }
      BenchSummary summary = new BenchSummary(results);
      out.printf(
          "bench all: every figure, %d cores, %s in%n",
          cores, Duration.between(began, Instant.now()).withNanos(0));
      summary.table().forEach(out::println);
      Path result = dir.resolve("summary.json");
      Files.writeString(
          result,
          new ObjectMapper()
              .writerWithDefaultPrettyPrinter()
              .writeValueAsString(summary.asJson(cores, began.toString())));
      out.println("  figures written to " + result);
      if (!failed.isEmpty()) {
        out.println(
            "bench all: failed: " + String.join(", ", failed) + " (see their output above)");
        return 1;
      }
      return 0;
    }

    /** Runs the bench subcommand {@code name} on the same stack, with {@code args} after. */
    private void runBench(String name, String... args) {
      List<String> all = new ArrayList<>(options.asArgs());
      all.addAll(List.of(args));
      spec.parent().subcommands().get(name).execute(all.toArray(String[]::new));
    }

    private static void timeCancellation(StackConfig config, Path figures, PrintWriter out) {
      try {
        Files.writeString(
            figures,
            new ObjectMapper()
                .writerWithDefaultPrettyPrinter()
                .writeValueAsString(
                    cancellationLatency(
                        config, RulesSpeed.DEFAULT_PASSENGERS, RulesSpeed.DEFAULT_REPEATS, out)));
      } catch (Exception e) {
        out.println("  bench cancellation failed: " + e);
      }
    }
  }
}
