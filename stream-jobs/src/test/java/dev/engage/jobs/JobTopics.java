package dev.engage.jobs;

import dev.engage.avro.Touchpoint;
import dev.engage.avro.TriggerFired;
import dev.engage.jobs.disruption.DisruptionSeverity;
import dev.engage.launcher.config.StackConfig;
import dev.engage.launcher.stack.ServiceProcess;
import dev.engage.launcher.stack.ServiceSpec;
import dev.engage.launcher.stack.StackServices;
import dev.engage.rules.analytics.AnalyticsSettings;
import dev.engage.rules.decisions.DecisionSettings;
import dev.engage.rules.store.RuleStore;
import dev.engage.schemas.jobs.JobTuning;
import dev.engage.schemas.registry.SchemaRegistryClient;
import dev.engage.schemas.topics.Topic;
import dev.engage.schemas.topics.TopicCatalog;
import dev.engage.schemas.topics.TopicSettings;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A test class's own copies of the application's topics (one partition each, names with a random
 * suffix, on the shared broker), the application started on them, and helpers to write records and
 * to read what the job wrote.
 */
public final class JobTopics {
  private final StackConfig config;
  private final TopicCatalog catalog;
  private final TopicSettings settings;

  private JobTopics(StackConfig config, TopicCatalog catalog, TopicSettings settings) {
    this.config = config;
    this.catalog = catalog;
    this.settings = settings;
  }

  /**
   * The topics {@link EngageApplication} reads and writes, and those of the normalizer, which takes
   * the job's derived touchpoints from touchpoints.raw on to touchpoints ({@link
   * #startNormalizer}).
   */
  private static final List<String> APPLICATION_TOPICS =
      List.of(
          "touchpoints.raw",
          "touchpoints",
          "touchpoints.dlq",
          "identity.links",
          "contacts",
          "flight.status",
          "bookings",
          "profiles",
          "rules",
          "rules.history",
          "triggers",
          "actions",
          "notifications",
          "responses",
          "decisions",
          "propensities",
          "identity.merges",
          "profile.transfers",
          "erasure",
          "jobs.dlq",
          "attributions");

  /**
   * Tests write records stamped weeks in the past (event time); the broker's default retention
   * would delete them while the test reads.
   */
  private static final Map<String, String> KEEP_FOREVER = Map.of("retention.ms", "-1");

  /** Creates the application's topics. */
  public static JobTopics create(StackConfig config) throws Exception {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    Map<String, String> names = new HashMap<>();
    for (String id : APPLICATION_TOPICS) {
      names.put(id, "it-" + id.replace('.', '-') + "-" + suffix);
    }
    TopicSettings settings = new TopicSettings(1, (short) 1, names, Map.of());
    TopicCatalog catalog =
        new TopicCatalog(settings, new SchemaRegistryClient(config.registryUrl()));
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    try (Admin admin = Admin.create(props)) {
      admin
          .createTopics(
              names.values().stream()
                  .map(n -> new NewTopic(n, 1, (short) 1).configs(KEEP_FOREVER))
                  .toList())
          .all()
          .get();
    }
    return new JobTopics(config, catalog, settings);
  }

  public TopicCatalog catalog() {
    return catalog;
  }

  /** How long a quiet partition holds back event time in test applications (30 s in production). */
  public static final Duration IDLE_AFTER = Duration.ofSeconds(2);

  /**
   * Starts the whole application on these topics, on a local MiniCluster of its own (parallelism 1,
   * watermarks every 100 ms, partitions idle after {@link #IDLE_AFTER}), as {@code StreamJobsMain}
   * wires it.
   */
  public JobClient startApplication(String name) throws Exception {
    return startApplication(name, new Configuration(), Duration.ofDays(90), redisUri());
  }

  /**
   * Like {@link #startApplication(String)}, with Flink configuration, a profile TTL and the Redis
   * (database) the profiles go to. Without a checkpoint interval in the configuration the job
   * checkpoints every second, as production always checkpoints: the transactional sinks (triggers,
   * notifications) commit only with a checkpoint. Without a default parallelism it runs at 1.
   */
  public JobClient startApplication(
      String name, Configuration flink, Duration profileTtl, URI redis) throws Exception {
    return application(name, flink, profileTtl, redis).executeAsync(name);
  }

  /** The environment {@link #startApplication(String, Configuration, Duration, URI)} runs. */
  public StreamExecutionEnvironment application(
      String name, Configuration flink, Duration profileTtl, URI redis) {
    Configuration conf = new Configuration(flink);
    if (!conf.contains(CheckpointingOptions.CHECKPOINTING_INTERVAL)) {
      conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofSeconds(1));
    }
    if (!conf.contains(CoreOptions.DEFAULT_PARALLELISM)) {
      conf.set(CoreOptions.DEFAULT_PARALLELISM, 1);
    }
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.getConfig().setAutoWatermarkInterval(100);
    wireApplication(env, name, profileTtl, redis);
    return env;
  }

  /**
   * Wires the whole application on these topics into {@code env}, as {@code StreamJobsMain} does.
   */
  public void wireApplication(
      StreamExecutionEnvironment env, String name, Duration profileTtl, URI redis) {
    EngageApplication.wire(
        env,
        new KafkaEndpoints(
            config.bootstrapServers(), config.registryUrl(), catalog.jobsDlq().name()),
        catalog,
        settings(name, profileTtl, redis));
  }

  /**
   * The application's settings in these tests: checkpoints every second, parallelism 1, partitions
   * idle after {@link #IDLE_AFTER}, Redis batched as in production.
   */
  public static ApplicationSettings settings(String name, Duration profileTtl, URI redis) {
    return new ApplicationSettings(
        "it-" + name,
        new JobTuning(
            Duration.ofSeconds(1),
            1,
            Duration.ofSeconds(5),
            IDLE_AFTER,
            Duration.ofMillis(50),
            profileTtl),
        DisruptionSeverity.defaults(),
        redis,
        DecisionSettings.defaults(),
        AnalyticsSettings.defaults());
  }

  /**
   * The normalizer on these topics, as in production a process of its own (the ingestion module's
   * classpath: Kafka Streams' RocksDB must not share a JVM with Flink's). The job's flight
   * disruptions reach touchpoints, and so the trigger operator, only through it. Stop it when done.
   */
  public ServiceProcess startNormalizer(Path dir) throws Exception {
    System.setProperty("engage.home", Path.of("..").toAbsolutePath().normalize().toString());
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    List<String> command =
        StackServices.ingestionJvm(
            "256m", port, config.bootstrapServers(), config.registryUrl(), dir, settings);
    URI health = URI.create("http://127.0.0.1:" + port + "/health");
    ServiceProcess normalizer =
        ServiceProcess.start(
            new ServiceSpec(
                "normalizer",
                "the normalizer",
                () -> command,
                () ->
                    HttpClient.newHttpClient()
                            .send(
                                HttpRequest.newBuilder(health).build(),
                                HttpResponse.BodyHandlers.discarding())
                            .statusCode()
                        == 200),
            dir,
            dir);
    normalizer.awaitReady(Duration.ofSeconds(60));
    return normalizer;
  }

  /** The shared stack's Redis. */
  public URI redisUri() {
    return URI.create("redis://localhost:" + config.redisPort());
  }

  public <V> void send(Topic<String, V> topic, Function<V, String> key, List<V> values)
      throws Exception {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    try (KafkaProducer<String, V> producer =
        new KafkaProducer<>(
            props, topic.keySerde().serializer(), topic.valueSerde().serializer())) {
      for (V value : values) {
        producer.send(new ProducerRecord<>(topic.name(), key.apply(value), value));
      }
      producer.flush();
    }
  }

  /** Bytes as they are, keyed by {@code key}: what a writer outside Engage may put on a topic. */
  public void sendBytes(Topic<String, ?> topic, String key, byte[] value) throws Exception {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(topic.name(), key, value)).get();
    }
  }

  /**
   * Waits until the job has loaded the rules published so far. Touchpoints that reach the trigger
   * operator before the rules are evaluated against none, so tests start only once a warm-up rule,
   * published after theirs, fires (its touchpoint is sent again until it does).
   */
  public void awaitRules(JobClient job, RuleStore rules) throws Exception {
    rules.publish(
        """
        id: warm-up
        name: Warm-up
        when: {kind: event, condition: "event.type == 'warm_up'"}
        action: {code: NONE}
        """,
        "yaml",
        "it");
    for (int attempt = 0; attempt < 20; attempt++) {
      Touchpoint warmUp =
          Touchpoint.newBuilder()
              .setEventId("warm-up-" + attempt)
              .setCustomerId("warm-up")
              .setType("warm_up")
              .setChannel("web")
              .setSource("it")
              .setOccurredAt(Instant.now())
              .setReceivedAt(Instant.now())
              .build();
      send(catalog.touchpoints(), Touchpoint::getCustomerId, List.of(warmUp));
      if (!firings(job, t -> t.getRuleId().equals("warm-up"), 1, Duration.ofSeconds(3)).isEmpty()) {
        return;
      }
    }
    throw new IllegalStateException("the warm-up rule never fired");
  }

  /**
   * The firings passing the filter, once {@code atLeast} of them arrived (or the timeout passed),
   * plus 2 s for any that should not be there. Fails at once with the reason if the job stopped.
   */
  public List<TriggerFired> firings(
      JobClient job, Predicate<TriggerFired> filter, int atLeast, Duration timeout) {
    return records(job, catalog.triggers(), filter, atLeast, timeout);
  }

  /** Like {@link #firings}, for any topic's values; {@code job} may be null when none runs. */
  public <V> List<V> records(
      JobClient job, Topic<String, V> topic, Predicate<V> filter, int atLeast, Duration timeout) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    // triggers and notifications are transactional: only what a checkpoint committed counts
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<V> found = new ArrayList<>();
    try (KafkaConsumer<String, V> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), topic.valueSerde().deserializer())) {
      TopicPartition partition = new TopicPartition(topic.name(), 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long deadline = System.nanoTime() + timeout.toNanos();
      long settle = Long.MAX_VALUE;
      while (System.nanoTime() < Math.min(deadline, settle)) {
        consumer
            .poll(Duration.ofMillis(200))
            .forEach(
                r -> {
                  if (filter.test(r.value())) {
                    found.add(r.value());
                  }
                });
        if (job != null && job.getJobExecutionResult().isDone()) {
          job.getJobExecutionResult().join(); // rethrows why the job stopped
          throw new IllegalStateException("the job finished");
        }
        if (found.size() >= atLeast && settle == Long.MAX_VALUE) {
          settle = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        }
      }
    }
    return found;
  }
}
