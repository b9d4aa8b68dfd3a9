package dev.engage.jobs.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engage.avro.CustomerProfile;
import dev.engage.avro.ErasureRequest;
import dev.engage.avro.RuleRecord;
import dev.engage.avro.Touchpoint;
import dev.engage.jobs.EventTime;
import dev.engage.jobs.triggers.RuleChange;
import dev.engage.jobs.triggers.RulesAtStart;
import dev.engage.jobs.triggers.TriggerJob;
import dev.engage.rules.bench.SyntheticWorkload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.lib.NumberSequenceSource;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Touchpoints per second through the trigger operator inside Flink (local MiniCluster, RocksDB
 * state, no Kafka), for each mix of {@link SyntheticWorkload}: 0 rules as the mix's baseline, then
 * 10 to 10,000 rules of every kind. Run by {@code engage bench rules}; prints one line per mix and
 * rule count and writes the figures as JSON.
 */
@Command(name = "trigger-job-benchmark", mixinStandardHelpOptions = true)
public final class TriggerJobBenchmark implements Callable<Integer> {
  /**
   * The first touchpoint is released this long after the job starts at the earliest, and not before
   * every subtask has compiled the rules.
   */
  private static final long RULES_HEAD_START_MS = 3000;

  private static final AtomicLong FIRST_RELEASED = new AtomicLong();
  private static final AtomicLong RELEASED = new AtomicLong();
  private static final AtomicLong HALF_RELEASED_AT = new AtomicLong();

  @Option(names = "--rules", split = ",", defaultValue = "0,10,100,1000,10000")
  List<Integer> ruleCounts;

  @Option(names = "--mix", split = ",", defaultValue = "CAMPAIGNS,PRODUCTS")
  List<SyntheticWorkload.Mix> mixes;

  @Option(
      names = "--events",
      defaultValue = "400000",
      description =
          "Touchpoints per run; runs of 10,000 rules get a tenth (default: ${DEFAULT-VALUE}).")
  int events;

  @Option(names = "--customers", defaultValue = "10000")
  int customers;

  @Option(names = "--parallelism", defaultValue = "2")
  int parallelism;

  @Option(names = "--out", required = true)
  Path out;

  public static void main(String[] args) {
    System.exit(new CommandLine(new TriggerJobBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    List<Map<String, Object>> runs = new ArrayList<>();
    // a first job warms the JVM up, so that the first baseline is not measured on cold code
    run(mixes.get(0), 0, events);
    for (SyntheticWorkload.Mix mix : mixes) {
      runMix(mix, runs);
    }
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(
        out, new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(runs));
    return 0;
  }

  private void runMix(SyntheticWorkload.Mix mix, List<Map<String, Object>> runs) throws Exception {
    double baseline = 0;
    for (int rules : ruleCounts) {
      int n = rules >= 10_000 ? events / 10 : events;
      double perSecond = run(mix, rules, n);
      if (rules == 0) {
        baseline = perSecond;
      }
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("mix", mix.name().toLowerCase());
      result.put("rules", rules);
      result.put("touchpoints", n);
      result.put("touchpointsPerSecond", Math.round(perSecond));
      if (baseline > 0) {
        result.put("vsNoRules", Math.round(perSecond / baseline * 1000) / 1000.0);
      }
      runs.add(result);
      System.out.printf(
          "  flink job, %-9s %,6d rules: %,9.0f touchpoints/s (%,d touchpoints, parallelism %d)%s%n",
          mix.name().toLowerCase(),
          rules,
          perSecond,
          n,
          parallelism,
          baseline > 0
              ? String.format(", %.3f of the no-rule baseline", perSecond / baseline)
              : "");
    }
  }

  /**
   * One bounded job; touchpoints/s over the second half of its touchpoints, from the release of the
   * middle one to the job's end: the first half warms up the code the rules take (the JIT), as a
   * JMH warm-up does, and stays in the job so that state and timers are those of a running job.
   */
  private double run(SyntheticWorkload.Mix mix, int ruleCount, int touchpoints) throws Exception {
    Configuration conf = new Configuration();
    conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
    CompiledRulesReporter.register(conf);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.getConfig().enableObjectReuse(); // as the application runs
    env.setParallelism(parallelism);
    List<RuleChange> changes = new ArrayList<>();
    List<String> sources = SyntheticWorkload.rules(mix, ruleCount);
    for (int i = 0; i < sources.size(); i++) {
      changes.add(new RuleChange("bench-" + i, record("bench-" + i, sources.get(i))));
    }
    if (changes.isEmpty()) {
      changes.add(new RuleChange("none", null)); // the baseline: a deletion, no rule at all
    }
    var rules = env.fromData(changes, TypeInformation.of(RuleChange.class));
    int customerCount = customers;
    int subtasks = parallelism;
    long half = touchpoints / 2;
    var stream =
        env.fromSource(
                new NumberSequenceSource(0, touchpoints - 1),
                WatermarkStrategy.noWatermarks(),
                "sequence")
            .map(
                i -> {
                  if (FIRST_RELEASED.get() == 0) {
                    Thread.sleep(RULES_HEAD_START_MS);
                    CompiledRulesReporter.awaitCompiled(subtasks, ruleCount);
                    FIRST_RELEASED.compareAndSet(0, System.nanoTime());
                  }
                  if (RELEASED.incrementAndGet() == half) {
                    HALF_RELEASED_AT.set(System.nanoTime());
                  }
                  return SyntheticWorkload.touchpoint(mix, i, customerCount);
                },
                new AvroTypeInfo<>(Touchpoint.class))
            .assignTimestampsAndWatermarks(
                EventTime.touchpoints(Duration.ofSeconds(5), Duration.ofSeconds(30)));
    // one profile of a customer with no touchpoints: the profile input must not be empty
    Instant now = Instant.now();
    var profiles =
        env.fromData(
            List.of(
                CustomerProfile.newBuilder()
                    .setCustomerId("nobody")
                    .setVersion(1)
                    .setFirstSeen(now)
                    .setLastSeen(now)
                    .setUpdatedAt(now)
                    .build()),
            new AvroTypeInfo<>(CustomerProfile.class));
    FIRST_RELEASED.set(0);
    RELEASED.set(0);
    // and one erasure of that customer: the erasure input must not be empty either
    var erasures =
        env.fromData(
            List.of(new ErasureRequest("bench-erasure", "nobody", "bench", now)),
            new AvroTypeInfo<>(ErasureRequest.class));
    TriggerJob.triggers(stream, profiles, erasures, rules, RulesAtStart.none(), Duration.ofDays(90))
        .sinkTo(new DiscardingSink<>());
    env.execute("bench-" + mix.name().toLowerCase() + "-" + ruleCount);
    return (touchpoints - half) / ((System.nanoTime() - HALF_RELEASED_AT.get()) / 1e9);
  }

  private static RuleRecord record(String id, String source) {
    return RuleRecord.newBuilder()
        .setId(id)
        .setKind("rule")
        .setVersion(1)
        .setSource(source)
        .setUpdatedAt(Instant.now())
        .build();
  }
}
