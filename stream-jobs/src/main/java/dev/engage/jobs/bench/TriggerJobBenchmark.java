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
 * state, no Kafka), with 0 rules as the baseline and then 10, 100 and 1,000 mixed rules ({@link
 * SyntheticWorkload}). Run by {@code engage bench rules}; prints one line per rule count and writes
 * the figures as JSON.
 */
@Command(name = "trigger-job-benchmark", mixinStandardHelpOptions = true)
public final class TriggerJobBenchmark implements Callable<Integer> {
  /** The rules get this long to reach the operator before the first touchpoint is released. */
  private static final long RULES_HEAD_START_MS = 3000;

  private static final AtomicLong FIRST_RELEASED = new AtomicLong();

  @Option(names = "--rules", split = ",", defaultValue = "0,10,100,1000")
  List<Integer> ruleCounts;

  @Option(
      names = "--events",
      defaultValue = "100000",
      description =
          "Touchpoints per run; the 1,000-rule run gets a fifth (default: ${DEFAULT-VALUE}).")
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
    double baseline = 0;
    for (int rules : ruleCounts) {
      int n = rules >= 1000 ? events / 5 : events;
      double perSecond = run(rules, n);
      if (rules == 0) {
        baseline = perSecond;
      }
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("rules", rules);
      result.put("touchpoints", n);
      result.put("touchpointsPerSecond", Math.round(perSecond));
      if (baseline > 0) {
        result.put("vsNoRules", Math.round(perSecond / baseline * 1000) / 1000.0);
      }
      runs.add(result);
      System.out.printf(
          "  flink job, %,5d rules: %,9.0f touchpoints/s (%,d touchpoints, parallelism %d)%s%n",
          rules,
          perSecond,
          n,
          parallelism,
          baseline > 0
              ? String.format(", %.3f of the no-rule baseline", perSecond / baseline)
              : "");
    }
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(
        out, new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(runs));
    return 0;
  }

  /** One bounded job; touchpoints/s from the first released touchpoint to the job's end. */
  private double run(int ruleCount, int touchpoints) throws Exception {
    Configuration conf = new Configuration();
    conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(parallelism);
    List<RuleChange> changes = new ArrayList<>();
    List<String> sources = SyntheticWorkload.rules(ruleCount);
    for (int i = 0; i < sources.size(); i++) {
      changes.add(new RuleChange("bench-" + i, record("bench-" + i, sources.get(i))));
    }
    if (changes.isEmpty()) {
      changes.add(new RuleChange("none", null)); // the baseline: a deletion, no rule at all
    }
    var rules = env.fromData(changes, TypeInformation.of(RuleChange.class));
    int customerCount = customers;
    var stream =
        env.fromSource(
                new NumberSequenceSource(0, touchpoints - 1),
                WatermarkStrategy.noWatermarks(),
                "sequence")
            .map(
                i -> {
                  if (FIRST_RELEASED.get() == 0) {
                    Thread.sleep(RULES_HEAD_START_MS);
                    FIRST_RELEASED.compareAndSet(0, System.nanoTime());
                  }
                  return SyntheticWorkload.touchpoint(i, customerCount);
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
    // and one erasure of that customer: the erasure input must not be empty either
    var erasures =
        env.fromData(
            List.of(new ErasureRequest("bench-erasure", "nobody", "bench", now)),
            new AvroTypeInfo<>(ErasureRequest.class));
    TriggerJob.triggers(stream, profiles, erasures, rules, RulesAtStart.none(), Duration.ofDays(90))
        .sinkTo(new DiscardingSink<>());
    env.execute("bench-" + ruleCount);
    return touchpoints / ((System.nanoTime() - FIRST_RELEASED.get()) / 1e9);
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
