package dev.engage.jobs.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engage.avro.Touchpoint;
import dev.engage.jobs.ApplicationSettings;
import dev.engage.jobs.EngageApplication;
import dev.engage.jobs.KafkaAndRedisSinks;
import dev.engage.jobs.KafkaSources;
import dev.engage.rules.cel.ConditionCompiler;
import dev.engage.rules.definition.DefinitionParser;
import dev.engage.rules.store.RuleStore;
import dev.engage.schemas.redis.RedisKeys;
import dev.engage.schemas.topics.TopicCatalog;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Response;

/**
 * {@code engage bench profile}, run in its own JVM on the stream-jobs classpath against the running
 * stack's broker, registry and Redis, on throw-away topics of its own:
 *
 * <ol>
 *   <li>a backlog of touchpoints for 100,000 customers is written to Kafka;
 *   <li>a pass-through job (Kafka source, discard) reads it: the ceiling;
 *   <li>the profile job (RocksDB, incremental checkpoints, a scoring model and two segments) reads
 *       it into the profiles topic and Redis: sustained touchpoints/s, and the time until Redis
 *       holds every customer's last version;
 *   <li>touchpoints are sent at half that rate, one per customer, and each is timed until Redis
 *       announces the version it made: p50/p99;
 *   <li>a savepoint of the job gives its state's bytes per customer;
 *   <li>the aging pass: event time moves a day on without touchpoints of the customers, and every
 *       customer is re-valued: profiles/s beside the touchpoint rate above.
 * </ol>
 */
@Command(name = "profile-job-benchmark", mixinStandardHelpOptions = true)
public final class ProfileJobBenchmark implements Callable<Integer> {
  private static final List<String> TOPICS =
      List.of(
          "touchpoints", "profiles", "rules", "identity.merges", "profile.transfers", "erasure");

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

  @Option(names = "--customers", defaultValue = "100000")
  int customers;

  @Option(names = "--events-per-customer", defaultValue = "5")
  int eventsPerCustomer;

  @Option(
      names = "--latency-seconds",
      defaultValue = "20",
      description = "How long touchpoints are sent at half rate (at most one per customer).")
  int latencySeconds;

  @Option(
      names = "--latency-rate",
      description = "Touchpoints/s while latency is timed (default: half the sustained rate).")
  Double latencyRate;

  @Option(names = "--parallelism", defaultValue = "2")
  int parallelism;

  @Option(names = "--out", required = true)
  Path out;

  public static void main(String[] args) {
    System.exit(new CommandLine(new ProfileJobBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    long backlog = (long) customers * eventsPerCustomer;
    ProfileWorkload workload =
        new ProfileWorkload(
            customers, Instant.now().minus(ProfileWorkload.STEP.multipliedBy(backlog * 2)));
    Map<String, Object> results = new LinkedHashMap<>();
    results.put("customers", customers);
    results.put("touchpoints", backlog);
    results.put("parallelism", parallelism);
    BenchStack stack = new BenchStack("profile", bootstrapServers, registryUrl, redisUri);
    TopicCatalog topics = stack.createTopics(TOPICS, parallelism);
    Path work = Files.createTempDirectory("engage-bench-profile");
    try (JedisPooled redis = new JedisPooled(redisUri)) {
      redis.flushDB();
      RuleStore definitions =
          new RuleStore(
              bootstrapServers, topics.rules(), new DefinitionParser(new ConditionCompiler()));
      for (String definition : ProfileWorkload.DEFINITIONS) {
        definitions.publish(definition, "yaml", "bench");
      }
      fill(topics, workload, backlog);

      double ceiling = passThrough(stack, topics, backlog);
      results.put("passThroughPerSecond", Math.round(ceiling));

      JobClient job = startProfileJob(stack, topics, work);
      // the job as it runs, unchanged: its progress is the profile versions in its output topic
      Progress progress =
          stack.awaitRecords(
              topics.profiles(), backlog, "profile versions", Duration.ofMinutes(30));
      double sustained = progress.sustainedRate(backlog);
      long inRedisAt = awaitRedis(redis, eventsPerCustomer);
      double endToEnd = backlog / ((inRedisAt - progress.firstNanos()) / 1e9);
      System.out.printf(
          "bench profile: profile job, Kafka -> profile -> Kafka + Redis: %,.0f touchpoints/s"
              + " sustained (%.3f of the pass-through), %,.0f/s from the first version until"
              + " Redis held all %,d customers%n",
          sustained, sustained / ceiling, endToEnd, customers);
      results.put("profileJobPerSecond", Math.round(sustained));
      results.put("vsPassThrough", round3(sustained / ceiling));
      results.put("firstVersionToAllInRedisPerSecond", Math.round(endToEnd));

      double rate = latencyRate != null ? latencyRate : sustained / 2;
      int timed = (int) Math.min(customers, rate * latencySeconds);
      results.put("latency", latency(redis, topics, workload, backlog, rate, timed));
      results.put("stateBytesPerCustomer", stateBytesPerCustomer(job, work));
      double revalued = agingPass(stack, topics, workload, backlog + timed);
      System.out.printf(
          "bench profile: aging pass: %,.0f profiles/s re-valued (%.3f of the touchpoint rate)%n",
          revalued, revalued / sustained);
      results.put("revaluedPerSecond", Math.round(revalued));
      results.put("revaluedVsTouchpoints", round3(revalued / sustained));
      job.cancel().get();
    } finally {
      stack.deleteTopics(topics);
      BenchStack.deleteRecursively(work);
    }
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(
        out, new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(results));
    return 0;
  }

  private KafkaProducer<String, Touchpoint> producer(TopicCatalog topics) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    return new KafkaProducer<>(
        props,
        topics.touchpoints().keySerde().serializer(),
        topics.touchpoints().valueSerde().serializer());
  }

  private void fill(TopicCatalog topics, ProfileWorkload workload, long count) {
    System.out.printf(
        "bench profile: writing %,d touchpoints for %,d customers to Kafka%n", count, customers);
    try (KafkaProducer<String, Touchpoint> producer = producer(topics)) {
      for (long i = 0; i < count; i++) {
        Touchpoint event = workload.touchpoint(i, Instant.now());
        producer.send(
            new ProducerRecord<>(topics.touchpoints().name(), event.getCustomerId(), event));
      }
      producer.flush();
    }
  }

  /** The ceiling: the same topic read by a job that does nothing with it. */
  private double passThrough(BenchStack stack, TopicCatalog topics, long count) throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(parallelism);
    new KafkaSources(env, stack.kafka(topics), topics, stack.settings("bench-pass-through"))
        .touchpoints()
        .map(Progress.countEveryRecord())
        .name("count")
        .sinkTo(new DiscardingSink<>());
    Progress progress = Progress.ofCountedRecords("profile");
    JobClient job = env.executeAsync("bench pass-through");
    progress.awaitCount(count, "pass-through touchpoints", Duration.ofMinutes(10));
    job.cancel().get();
    double rate = progress.sustainedRate(count);
    System.out.printf(
        "bench profile: pass-through job (Kafka source -> discard): %,.0f touchpoints/s%n", rate);
    return rate;
  }

  private JobClient startProfileJob(BenchStack stack, TopicCatalog topics, Path work)
      throws Exception {
    Configuration conf = new Configuration();
    conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
    conf.set(
        CheckpointingOptions.CHECKPOINTS_DIRECTORY, work.resolve("checkpoints").toUri().toString());
    conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
    conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofSeconds(10));
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(parallelism);
    env.getConfig().setAutoWatermarkInterval(100);
    EngageApplication.configure(env);
    ApplicationSettings settings = stack.settings("bench-profile");
    EngageApplication.profiles(
        new KafkaSources(env, stack.kafka(topics), topics, settings),
        new KafkaAndRedisSinks(stack.kafka(topics), topics, settings),
        settings);
    System.out.println("bench profile: profile job started (RocksDB, checkpoints every 10 s)");
    return env.executeAsync("bench profile");
  }

  /** Waits until every customer's profile in Redis has at least the version; returns when. */
  private long awaitRedis(JedisPooled redis, long version) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    int behind = customers;
    int from = 0;
    while (System.nanoTime() < deadline) {
      long[] versions = versions(redis, from, customers);
      int lagging = 0;
      while (lagging < versions.length && versions[lagging] >= version) {
        lagging++;
      }
      from += lagging;
      if (from == customers) {
        return System.nanoTime();
      }
      behind = customers - from;
      Thread.sleep(20);
    }
    throw new IllegalStateException(behind + " customers never reached Redis");
  }

  /** The versions Redis holds for customers [from, to), in one pipeline (0 when absent). */
  private static long[] versions(JedisPooled redis, int from, int to) {
    List<Response<String>> replies = new ArrayList<>(to - from);
    try (AbstractPipeline pipeline = redis.pipelined()) {
      for (int c = from; c < to; c++) {
        replies.add(pipeline.hget(RedisKeys.profile(ProfileWorkload.customerId(c)), "version"));
      }
    }
    return replies.stream().mapToLong(r -> r.get() == null ? 0 : Long.parseLong(r.get())).toArray();
  }

  /**
   * Sends touchpoints at the rate, each to a customer of its own (in order), and times each until
   * Redis announces the version it made.
   */
  private Map<String, Object> latency(
      JedisPooled redis,
      TopicCatalog topics,
      ProfileWorkload workload,
      long backlog,
      double rate,
      int count)
      throws Exception {
    long[] before = versions(redis, 0, count);
    System.out.printf(
        "bench profile: latency: %,d touchpoints at %,.0f/s, one per customer%n", count, rate);
    LatencyRecorder recorder = new LatencyRecorder(customers);
    try (RedisLatencyProbe probe = new RedisLatencyProbe(redisUri, "profile", recorder, customers);
        KafkaProducer<String, Touchpoint> producer = producer(topics)) {
      recorder.expect(count);
      Pacing.run(
          count,
          rate,
          c -> {
            // the backlog's customer c had touchpoint c + k * customers; this one comes after them
            Touchpoint event = workload.touchpoint(backlog + c, Instant.now());
            probe.sending(c, before[c] + 1);
            producer.send(
                new ProducerRecord<>(topics.touchpoints().name(), event.getCustomerId(), event));
          });
      producer.flush();
      boolean all = recorder.awaitAll(60);
      System.out.printf(
          "bench profile: event -> Redis latency at %,.0f/s: %s%s%n",
          rate, recorder.summary(count), all ? "" : "; the rest never arrived within 60 s");
    }
    return recorder.figures(rate, count);
  }

  /**
   * Moves event time a day past every customer's last touchpoint, with one touchpoint of a clock
   * customer on each partition, and times until every customer has a re-valued version (their 1h
   * and 24h windows empty, so each gets one): profiles re-valued per second.
   */
  private double agingPass(
      BenchStack stack, TopicCatalog topics, ProfileWorkload workload, long sent) throws Exception {
    long before = stack.endOffset(topics.profiles());
    Instant clock =
        workload
            .touchpoint(sent, Instant.now())
            .getOccurredAt()
            // past the out-of-orderness the watermark lags behind event time by
            .plus(Duration.ofDays(1).plusMinutes(1));
    System.out.printf(
        "bench profile: aging pass: event time moves a day on, %,d customers to re-value%n",
        customers);
    long start = System.nanoTime();
    int partitions;
    try (KafkaProducer<String, Touchpoint> producer = producer(topics)) {
      partitions = producer.partitionsFor(topics.touchpoints().name()).size();
      for (int p = 0; p < partitions; p++) {
        Touchpoint tick = workload.touchpoint(sent, Instant.now());
        tick.setEventId("bench-clock-" + p);
        tick.setCustomerId("bench-clock-" + p);
        tick.setOccurredAt(clock);
        producer.send(
            new ProducerRecord<>(topics.touchpoints().name(), p, tick.getCustomerId(), tick));
      }
    }
    stack.awaitRecords(
        topics.profiles(),
        before + partitions + customers,
        "re-valued profiles",
        Duration.ofMinutes(30));
    return customers / ((System.nanoTime() - start) / 1e9);
  }

  /** The job's keyed state as a native (RocksDB) savepoint, per customer. */
  private long stateBytesPerCustomer(JobClient job, Path work) throws Exception {
    String savepoint =
        job.triggerSavepoint(
                work.resolve("savepoints").toUri().toString(), SavepointFormatType.NATIVE)
            .get();
    long bytes;
    try (Stream<Path> files = Files.walk(Path.of(URI.create(savepoint)))) {
      bytes = files.filter(Files::isRegularFile).mapToLong(ProfileJobBenchmark::size).sum();
    }
    System.out.printf(
        "bench profile: state: %,d bytes in a native savepoint, %,d bytes per customer%n",
        bytes, bytes / customers);
    return bytes / customers;
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (java.io.IOException e) {
      return 0;
    }
  }

  private static double round3(double value) {
    return Math.round(value * 1000) / 1000.0;
  }
}
