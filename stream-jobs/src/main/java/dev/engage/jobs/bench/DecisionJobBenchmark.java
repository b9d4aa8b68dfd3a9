package dev.engage.jobs.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engage.avro.Touchpoint;
import dev.engage.jobs.ApplicationSettings;
import dev.engage.jobs.ApplicationSinks;
import dev.engage.jobs.ApplicationSources;
import dev.engage.jobs.EngageApplication;
import dev.engage.jobs.KafkaAndRedisSinks;
import dev.engage.jobs.KafkaSources;
import dev.engage.rules.cel.ConditionCompiler;
import dev.engage.rules.definition.DefinitionParser;
import dev.engage.rules.store.RuleStore;
import dev.engage.schemas.topics.TopicCatalog;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import redis.clients.jedis.JedisPooled;

/**
 * {@code engage bench decisions}, run in its own JVM on the stream-jobs classpath against the
 * running stack's broker, registry and Redis, on throw-away topics of its own. Every touchpoint
 * fires one event rule, for a customer of its own; the same backlog and the same paced sends go
 * through two jobs, one after the other:
 *
 * <ol>
 *   <li>the trigger pipeline alone (touchpoints and rules to the triggers topic), the baseline;
 *   <li>the trigger pipeline with the decisions (next-best-actions to the actions topic and Redis,
 *       the notification outbox, decision records, propensities), as {@link EngageApplication}
 *       wires them.
 * </ol>
 *
 * For each: the sustained rate over the backlog (the highest it keeps up with), and, at {@code
 * --latency-rate} (1,000/s), the time from sending a touchpoint until its firing can be read on the
 * triggers topic (baseline) or until Redis announces the customer's new next-best-actions.
 */
@Command(name = "decision-job-benchmark", mixinStandardHelpOptions = true)
public final class DecisionJobBenchmark implements Callable<Integer> {
  private static final List<String> TOPICS =
      List.of(
          "touchpoints",
          "profiles",
          "rules",
          "erasure",
          "triggers",
          "actions",
          "notifications",
          "responses",
          "decisions",
          "propensities");

  static final String RULE =
      """
      id: bench-decisions
      name: Benchmark offer
      when: {kind: event, condition: "event.type == 'bench_offer_seen'"}
      action: {code: BENCH_OFFER, notify: none, agent: true, priority: 60, ttl: 1d}
      """;

  @Option(names = "--bootstrap-servers", defaultValue = "localhost:9092")
  String bootstrapServers;

  @Option(names = "--registry-url", defaultValue = "http://localhost:8081")
  String registryUrl;

  @Option(
      names = "--redis-uri",
      defaultValue = "redis://localhost:6390/15",
      description =
          "The Redis database the benchmark empties and fills (default: ${DEFAULT-VALUE}).")
  URI redisUri;

  @Option(
      names = "--backlog",
      defaultValue = "50000",
      description = "Triggering touchpoints in the backlog, one per customer.")
  int backlog;

  @Option(names = "--latency-rate", defaultValue = "1000")
  double latencyRate;

  @Option(names = "--latency-seconds", defaultValue = "20")
  int latencySeconds;

  @Option(names = "--parallelism", defaultValue = "2")
  int parallelism;

  @Option(names = "--out", required = true)
  Path out;

  public static void main(String[] args) {
    System.exit(new CommandLine(new DecisionJobBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    int timed = (int) (latencyRate * latencySeconds);
    // customers: the backlog, then the baseline's timed ones, then the decisions' timed ones
    int customers = backlog + 2 * timed;
    Map<String, Object> results = new LinkedHashMap<>();
    results.put("backlog", backlog);
    results.put("parallelism", parallelism);
    BenchStack stack = new BenchStack("decisions", bootstrapServers, registryUrl, redisUri);
    TopicCatalog topics = stack.createTopics(TOPICS, parallelism);
    Path work = Files.createTempDirectory("engage-bench-decisions");
    try (JedisPooled redis = new JedisPooled(redisUri);
        KafkaProducer<String, Touchpoint> producer = producer(topics)) {
      redis.flushDB();
      new RuleStore(bootstrapServers, topics.rules(), new DefinitionParser(new ConditionCompiler()))
          .publish(RULE, "yaml", "bench");
      System.out.printf(
          "bench decisions: writing %,d touchpoints, each firing the rule for its customer%n",
          backlog);
      for (int c = 0; c < backlog; c++) {
        send(producer, topics, c);
      }
      producer.flush();

      JobClient triggersOnly = start(stack, topics, work, false);
      double baseline =
          stack
              .awaitRecords(topics.triggers(), backlog, "triggers", Duration.ofMinutes(20))
              .sustainedRate(backlog);
      System.out.printf(
          "bench decisions: trigger pipeline alone: %,.0f triggers/s sustained%n", baseline);
      LatencyRecorder toTrigger = new LatencyRecorder(customers);
      try (TriggerLatencyProbe probe =
          new TriggerLatencyProbe(bootstrapServers, topics.triggers().name(), toTrigger)) {
        timeSends(producer, topics, toTrigger, backlog, timed, c -> toTrigger.sending(c));
      }
      System.out.printf(
          "bench decisions: touchpoint -> trigger on Kafka at %,.0f/s: %s%n",
          latencyRate, toTrigger.summary(timed));
      triggersOnly.cancel().get();

      // the second job reads the same topic from its start: the backlog and the first timed sends
      // (a firing can reach the decisions before its rule's broadcast at start: 99% is the mark)
      long lists = (backlog + timed) * 99L / 100;
      JobClient withDecisions = start(stack, topics, work, true);
      double decided =
          stack
              .awaitRecords(
                  topics.actions(), lists, "next-best-action lists", Duration.ofMinutes(20))
              .sustainedRate(lists);
      System.out.printf(
          "bench decisions: trigger pipeline with decisions: %,.0f triggers/s sustained"
              + " (%.3f of the pipeline alone)%n",
          decided, decided / baseline);
      LatencyRecorder toRedis = new LatencyRecorder(customers);
      try (RedisLatencyProbe probe =
          new RedisLatencyProbe(redisUri, "actions", toRedis, customers)) {
        timeSends(
            producer,
            topics,
            toRedis,
            backlog + timed,
            timed,
            c -> probe.sending(c, RedisLatencyProbe.ANY_VERSION));
      }
      System.out.printf(
          "bench decisions: touchpoint -> next-best-actions in Redis at %,.0f/s: %s%n",
          latencyRate, toRedis.summary(timed));
      withDecisions.cancel().get();

      results.put("triggerPipelinePerSecond", Math.round(baseline));
      results.put("withDecisionsPerSecond", Math.round(decided));
      results.put("withDecisionsVsTriggerPipeline", Math.round(decided / baseline * 1000) / 1000.0);
      results.put("touchpointToTrigger", toTrigger.figures(latencyRate, timed));
      results.put("touchpointToNextBestActionsInRedis", toRedis.figures(latencyRate, timed));
      printTable(results);
    } finally {
      stack.deleteTopics(topics);
      BenchStack.deleteRecursively(work);
    }
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(
        out, new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(results));
    return 0;
  }

  /** Sends {@code count} touchpoints at the latency rate to customers from {@code first} on. */
  private void timeSends(
      KafkaProducer<String, Touchpoint> producer,
      TopicCatalog topics,
      LatencyRecorder recorder,
      int first,
      int count,
      java.util.function.IntConsumer sending)
      throws InterruptedException {
    recorder.expect(count);
    Pacing.run(
        count,
        latencyRate,
        i -> {
          sending.accept(first + i);
          send(producer, topics, first + i);
        });
    producer.flush();
    if (!recorder.awaitAll(60)) {
      System.out.println("bench decisions:   some never arrived within 60 s");
    }
  }

  private static void send(
      KafkaProducer<String, Touchpoint> producer, TopicCatalog topics, int customer) {
    Instant now = Instant.now();
    String id = "bench-decisions-" + customer;
    Touchpoint event =
        Touchpoint.newBuilder()
            .setEventId("bench-offer-seen-" + customer)
            .setCustomerId(id)
            .setType("bench_offer_seen")
            .setChannel("web")
            .setSource("bench")
            .setOccurredAt(now)
            .setReceivedAt(now)
            .build();
    producer.send(new ProducerRecord<>(topics.touchpoints().name(), id, event));
  }

  /** The application's pipeline, with or without the decisions, as production runs it. */
  private JobClient start(BenchStack stack, TopicCatalog topics, Path work, boolean decisions)
      throws Exception {
    String name = decisions ? "with-decisions" : "triggers-only";
    Configuration conf = new Configuration();
    conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
    conf.set(
        CheckpointingOptions.CHECKPOINTS_DIRECTORY,
        work.resolve(name).resolve("checkpoints").toUri().toString());
    conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
    conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofSeconds(10));
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(parallelism);
    env.getConfig().setAutoWatermarkInterval(100);
    EngageApplication.configure(env);
    ApplicationSettings settings = stack.settings("bench-" + name);
    ApplicationSources sources = new KafkaSources(env, stack.kafka(topics), topics, settings);
    ApplicationSinks sinks = new KafkaAndRedisSinks(stack.kafka(topics), topics, settings);
    var triggers = EngageApplication.triggers(sources, sinks, settings);
    if (decisions) {
      EngageApplication.decisions(triggers, sources, sinks, settings);
    }
    System.out.printf("bench decisions: %s job started (RocksDB, checkpoints every 10 s)%n", name);
    return env.executeAsync("bench " + name);
  }

  private KafkaProducer<String, Touchpoint> producer(TopicCatalog topics) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.LINGER_MS_CONFIG, "1");
    return new KafkaProducer<>(
        props,
        topics.touchpoints().keySerde().serializer(),
        topics.touchpoints().valueSerde().serializer());
  }

  @SuppressWarnings("unchecked")
  private static void printTable(Map<String, Object> r) {
    Map<String, Object> trigger = (Map<String, Object>) r.get("touchpointToTrigger");
    Map<String, Object> redis = (Map<String, Object>) r.get("touchpointToNextBestActionsInRedis");
    System.out.println("bench decisions: results");
    System.out.printf(
        "bench decisions:   | pipeline | sustained/s | latency at %,d/s | p50 ms | p99 ms |%n",
        trigger.get("ratePerSecond"));
    System.out.println("bench decisions:   |---|---|---|---|---|");
    System.out.printf(
        "bench decisions:   | triggers alone | %,d | touchpoint -> trigger on Kafka | %s | %s |%n",
        r.get("triggerPipelinePerSecond"), trigger.get("p50Millis"), trigger.get("p99Millis"));
    System.out.printf(
        "bench decisions:   | with decisions | %,d | touchpoint -> NBA in Redis | %s | %s |%n",
        r.get("withDecisionsPerSecond"), redis.get("p50Millis"), redis.get("p99Millis"));
    System.out.printf(
        "bench decisions:   | ratio | %s | | %.2f | %.2f |%n",
        r.get("withDecisionsVsTriggerPipeline"),
        (double) redis.get("p50Millis") / (double) trigger.get("p50Millis"),
        (double) redis.get("p99Millis") / (double) trigger.get("p99Millis"));
  }
}
