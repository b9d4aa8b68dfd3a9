package dev.engage.launcher.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.engage.launcher.ingest.CollectorAuth;
import dev.engage.rules.store.RuleStore;
import dev.engage.schemas.redis.RedisKeys;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.JedisPubSub;

/**
 * Touchpoint accepted to next-best-action visible, on the running stack, at a ladder of rates:
 * Segment track events go through the collector in batches every 10 ms, each for a customer of its
 * own, so the first record keyed by that customer on each topic is its event's (no decoding
 * needed); a rule fires on them and the decisions write an action to Redis, which the API serves
 * and announces on {@code nba:{id}} (the bench subscribes there, as the console's stream does).
 * Each hop is timed where the bench sees it arrive: the collector's answer, {@code touchpoints}
 * (collector and normalizer), {@code profiles}, {@code triggers}, {@code actions}, and the Redis
 * announcement. The baseline, in the same run and at each rate, is a plain Kafka producer and
 * consumer on a topic of the bench's own: what a record costs to cross Kafka once.
 */
public final class EndToEndBenchmark {
  static final String RULE_ID = "bench-e2e";
  static final String RULE =
      """
      id: bench-e2e
      name: End-to-end benchmark
      when:
        kind: event
        condition: "event.type == 'bench_ping'"
      action: {code: BENCH_PING, agent: true, priority: 50, ttl: 1h}
      """;
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * answer: sent to the collector's answer (which waits for Kafka's acknowledgement); collector:
   * sent to the record on {@code touchpoints.raw}; normalizer: {@code touchpoints.raw} to {@code
   * touchpoints}; profile and triggers: {@code touchpoints} to {@code profiles} and to {@code
   * triggers}; decisions: {@code triggers} to {@code actions}; redis: {@code actions} to the
   * announcement. Each end is when the bench saw the record: the records downstream of the
   * collector carry the timestamp of the record they came from, so they cannot split the hops.
   */
  private static final List<String> HOPS =
      List.of("answer", "collector", "normalizer", "profile", "triggers", "decisions", "redis");

  /** The hops' ends, as slots of an event's times (0 sent, 1 answered, 2-6 topics, 7 Redis). */
  private static final int[][] HOP_ENDS = {{0, 1}, {0, 2}, {2, 3}, {3, 4}, {3, 5}, {5, 6}, {6, 7}};

  private static final int SLOTS = 8;
  private static final int VISIBLE = 7;

  private static final long TICK_NANOS = 10_000_000L;
  private static final Duration DRAIN = Duration.ofSeconds(30);
  private static final long P99_TARGET_MS = 500;
  private static final int IN_FLIGHT = 8;

  private final String bootstrapServers;
  private final URI collector;
  private final String authorization;
  private final Map<String, String> topics;
  private final int redisPort;
  private final RuleStore rules;
  private final PrintWriter out;
  private final String run = UUID.randomUUID().toString().substring(0, 6);
  private final AtomicReference<String> refused = new AtomicReference<>();

  /**
   * @param topics the names of the touchpoints, profiles, triggers and actions topics, by id
   */
  public EndToEndBenchmark(
      String bootstrapServers,
      URI collector,
      String writeKey,
      Map<String, String> topics,
      int redisPort,
      RuleStore rules,
      PrintWriter out) {
    this.bootstrapServers = bootstrapServers;
    this.collector = collector.resolve("/v1/batch");
    this.authorization = CollectorAuth.header(writeKey);
    this.topics = topics;
    this.redisPort = redisPort;
    this.rules = rules;
    this.out = out;
  }

  /** One phase per rate, {@code seconds} long; answers the figures, also written as JSON. */
  public Map<String, Object> run(List<Integer> rates, int seconds) throws Exception {
    rules.publish(RULE, "yaml", "bench");
    List<Map<String, Object>> phases = new ArrayList<>();
    Integer sustained = null;
    try {
      out.println("  warming up: 10 s at the lowest rate, not counted");
      phase("warm-up", rates.get(0), 10);
      out.printf(
          "  %7s %8s | %27s | %27s | %s%n",
          "rate/s",
          "sent/s",
          "end to end p50/p99/p99.9 ms",
          "kafka baseline p50/p99 ms",
          "per hop p50/p99 ms: " + String.join(", ", HOPS));
      for (int rate : rates) {
        Map<String, Object> phase = phase("r" + rate, rate, seconds);
        Map<String, Object> baseline = kafkaBaseline(rate, seconds);
        phase.put("kafkaBaseline", baseline);
        phases.add(phase);
        out.println(row(phase, baseline));
        out.flush();
        boolean keptUp =
            (double) phase.get("sentPerSecond") >= 0.95 * rate && (long) phase.get("missing") == 0;
        if (keptUp && (long) phase.get("p99Ms") < P99_TARGET_MS) {
          sustained = rate;
        }
      }
    } finally {
      rules.delete(RULE_ID);
    }
    out.println(
        sustained == null
            ? "  no rate held p99 under " + P99_TARGET_MS + " ms with nothing missing"
            : "  highest rate with p99 under "
                + P99_TARGET_MS
                + " ms and nothing missing: "
                + sustained
                + "/s");
    Map<String, Object> results = new LinkedHashMap<>();
    results.put("seconds", seconds);
    results.put("p99TargetMs", P99_TARGET_MS);
    results.put("highestSustainedRate", sustained);
    results.put("phases", phases);
    return results;
  }

  /** Sends {@code rate} events a second for {@code seconds} and times each one through. */
  private Map<String, Object> phase(String name, int rate, int seconds) throws Exception {
    String prefix = "bench-" + run + "-" + name + "-";
    int total = rate * seconds;
    Map<String, long[]> times = new ConcurrentHashMap<>(total * 2);
    CountDownLatch visible = new CountDownLatch(total);
    try (Observer observer = new Observer(prefix, times, visible)) {
      observer.start();
      long began = System.nanoTime();
      HttpClient http = HttpClient.newHttpClient();
      Semaphore inFlight = new Semaphore(IN_FLIGHT);
      int sent = 0;
      for (long tick = 0; sent < total; tick++) {
        long due = began + tick * TICK_NANOS;
        LockSupport.parkNanos(due - System.nanoTime());
        int upTo = (int) Math.min(total, (long) rate * (tick + 1) * TICK_NANOS / 1_000_000_000L);
        if (upTo > sent) {
          send(http, inFlight, prefix, sent, upTo, times);
          sent = upTo;
        }
      }
      double sendSeconds = (System.nanoTime() - began) / 1e9;
      visible.await(DRAIN.toSeconds(), TimeUnit.SECONDS);
      if (refused.get() != null) {
        throw new IllegalStateException("the collector refused a batch: " + refused.get());
      }
      return figures(rate, total, total / sendSeconds, times);
    }
  }

  /**
   * Posts one batch without waiting for the answer (up to {@value #IN_FLIGHT} at once, so a slow
   * answer does not slow the rate); its events' accepted time is noted when the answer comes.
   */
  private void send(
      HttpClient http,
      Semaphore inFlight,
      String prefix,
      int from,
      int to,
      Map<String, long[]> times)
      throws InterruptedException {
    ObjectNode batch = JSON.createObjectNode();
    ArrayNode events = batch.putArray("batch");
    String now = Instant.now().toString();
    for (int i = from; i < to; i++) {
      events
          .addObject()
          .put("type", "track")
          .put("event", "Bench Ping")
          .put("userId", prefix + i)
          .put("messageId", prefix + i)
          .put("timestamp", now);
    }
    inFlight.acquire();
    long sentAt = System.nanoTime();
    for (int i = from; i < to; i++) {
      times.computeIfAbsent(prefix + i, k -> new long[SLOTS])[0] = sentAt;
    }
    http.sendAsync(
            HttpRequest.newBuilder(collector)
                .header("Authorization", authorization)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(batch.toString()))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .whenComplete(
            (answer, failure) -> {
              inFlight.release();
              long acceptedAt = System.nanoTime();
              if (failure != null || answer.statusCode() != 200) {
                refused.compareAndSet(
                    null,
                    failure != null
                        ? failure.toString()
                        : answer.statusCode() + ": " + answer.body());
                return;
              }
              for (int i = from; i < to; i++) {
                times.get(prefix + i)[1] = acceptedAt;
              }
            });
  }

  /**
   * Watches the topics and Redis for the phase's customers and notes when each first shows up:
   * slots 2-6 for touchpoints.raw, touchpoints, profiles, triggers and actions, 7 for the Redis
   * announcement.
   */
  private final class Observer implements AutoCloseable {
    private final String prefix;
    private final Map<String, long[]> times;
    private final CountDownLatch visible;
    private final Map<String, Integer> slotByTopic = new LinkedHashMap<>();
    private final KafkaConsumer<String, byte[]> consumer;
    private final JedisPooled redis = new JedisPooled("127.0.0.1", redisPort);
    private final JedisPubSub announcements;
    private final Thread kafkaThread;
    private final Thread redisThread;
    private volatile boolean running = true;

    Observer(String prefix, Map<String, long[]> times, CountDownLatch visible) {
      this.prefix = prefix;
      this.times = times;
      this.visible = visible;
      slotByTopic.put(topics.get("touchpoints.raw"), 2);
      slotByTopic.put(topics.get("touchpoints"), 3);
      slotByTopic.put(topics.get("profiles"), 4);
      slotByTopic.put(topics.get("triggers"), 5);
      slotByTopic.put(topics.get("actions"), 6);
      Properties props = new Properties();
      props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
      props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5);
      // triggers is transactional: a firing counts once a checkpoint has committed it
      props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : slotByTopic.keySet()) {
        consumer
            .partitionsFor(topic)
            .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
      }
      consumer.assign(partitions);
      consumer.seekToEnd(partitions);
      partitions.forEach(consumer::position); // fixes the start before the first event is sent
      announcements =
          new JedisPubSub() {
            @Override
            public void onPMessage(String pattern, String channel, String message) {
              if (message.startsWith("{\"type\":\"actions\"")) {
                mark(
                    channel.substring(channel.indexOf('{') + 1, channel.lastIndexOf('}')), VISIBLE);
              }
            }
          };
      kafkaThread = new Thread(this::pollKafka, "bench-e2e-kafka");
      redisThread =
          new Thread(
              () -> redis.psubscribe(announcements, RedisKeys.updates(prefix + "*")),
              "bench-e2e-redis");
    }

    void start() throws InterruptedException {
      kafkaThread.start();
      redisThread.start();
      while (announcements.getSubscribedChannels() == 0) {
        Thread.sleep(10);
      }
    }

    private void pollKafka() {
      while (running) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(5))) {
          if (record.key() != null && record.key().startsWith(prefix)) {
            mark(record.key(), slotByTopic.get(record.topic()));
          }
        }
      }
    }

    private void mark(String customer, int slot) {
      long now = System.nanoTime();
      long[] t = times.computeIfAbsent(customer, k -> new long[SLOTS]);
      synchronized (t) {
        if (t[slot] == 0) {
          t[slot] = now;
          if (slot == VISIBLE) {
            visible.countDown();
          }
        }
      }
    }

    @Override
    public void close() throws InterruptedException {
      running = false;
      announcements.punsubscribe();
      kafkaThread.join();
      redisThread.join();
      consumer.close();
      redis.close();
    }
  }

  private static Map<String, Object> figures(
      int rate, int total, double sentPerSecond, Map<String, long[]> times) {
    Histogram endToEnd = new Histogram(3);
    List<Histogram> hops = new ArrayList<>();
    HOPS.forEach(h -> hops.add(new Histogram(3)));
    long missing = 0;
    for (long[] t : times.values()) {
      if (t[0] == 0 || t[1] == 0 || t[VISIBLE] == 0) {
        missing++;
        continue;
      }
      endToEnd.recordValue(millis(t[0], t[VISIBLE]));
      // a hop counts where the bench saw both of its ends (a record can be missed between polls)
      for (int h = 0; h < HOP_ENDS.length; h++) {
        long from = t[HOP_ENDS[h][0]];
        long to = t[HOP_ENDS[h][1]];
        if (from != 0 && to != 0) {
          hops.get(h).recordValue(millis(from, to));
        }
      }
    }
    Map<String, Object> phase = new LinkedHashMap<>();
    phase.put("rate", rate);
    phase.put("events", total);
    phase.put("sentPerSecond", Math.round(sentPerSecond * 10) / 10.0);
    phase.put("missing", missing);
    phase.put("p50Ms", endToEnd.getValueAtPercentile(50));
    phase.put("p99Ms", endToEnd.getValueAtPercentile(99));
    phase.put("p999Ms", endToEnd.getValueAtPercentile(99.9));
    phase.put("maxMs", endToEnd.getMaxValue());
    Map<String, Object> perHop = new LinkedHashMap<>();
    for (int i = 0; i < HOPS.size(); i++) {
      perHop.put(
          HOPS.get(i),
          Map.of(
              "p50Ms", hops.get(i).getValueAtPercentile(50),
              "p99Ms", hops.get(i).getValueAtPercentile(99)));
    }
    phase.put("hops", perHop);
    return phase;
  }

  /** The same number of records through Kafka once, producer to consumer, at the same rate. */
  private Map<String, Object> kafkaBaseline(int rate, int seconds) throws Exception {
    String topic = topics.get("touchpoints") + ".bench-baseline";
    Properties producerProps = new Properties();
    producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    producerProps.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    Properties consumerProps = new Properties();
    consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    consumerProps.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5);
    int total = rate * seconds;
    Histogram latency = new Histogram(3);
    try (KafkaProducer<String, String> producer =
            new KafkaProducer<>(producerProps, new StringSerializer(), new StringSerializer());
        KafkaConsumer<String, String> consumer =
            new KafkaConsumer<>(
                consumerProps, new StringDeserializer(), new StringDeserializer())) {
      createBaselineTopic(topic);
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToEnd(partitions);
      partitions.forEach(consumer::position);
      long began = System.nanoTime();
      int sent = 0;
      int received = 0;
      long deadline = began + (seconds + DRAIN.toSeconds()) * 1_000_000_000L;
      while (received < total && System.nanoTime() < deadline) {
        long elapsedTicks = (System.nanoTime() - began) / TICK_NANOS;
        int upTo =
            (int) Math.min(total, (long) rate * (elapsedTicks + 1) * TICK_NANOS / 1_000_000_000L);
        for (; sent < upTo; sent++) {
          producer.send(
              new ProducerRecord<>(
                  topic, Integer.toString(sent), Long.toString(System.nanoTime())));
        }
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(2))) {
          latency.recordValue(millis(Long.parseLong(record.value()), System.nanoTime()));
          received++;
        }
      }
    }
    return Map.of(
        "p50Ms", latency.getValueAtPercentile(50), "p99Ms", latency.getValueAtPercentile(99));
  }

  /**
   * The baseline's topic, with the partitions of the touchpoints topic (the broker creates none).
   */
  private void createBaselineTopic(String topic) throws Exception {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    try (Admin admin = Admin.create(props)) {
      if (admin.listTopics().names().get().contains(topic)) {
        return;
      }
      int partitions =
          admin
              .describeTopics(List.of(topics.get("touchpoints")))
              .allTopicNames()
              .get()
              .get(topics.get("touchpoints"))
              .partitions()
              .size();
      admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
    }
  }

  private static long millis(long fromNanos, long toNanos) {
    return Math.max(0, (toNanos - fromNanos) / 1_000_000);
  }

  @SuppressWarnings("unchecked")
  private static String row(Map<String, Object> phase, Map<String, Object> baseline) {
    StringBuilder hops = new StringBuilder();
    Map<String, Map<String, Long>> perHop = (Map<String, Map<String, Long>>) phase.get("hops");
    for (String hop : HOPS) {
      hops.append(
          String.format(" %d/%d", perHop.get(hop).get("p50Ms"), perHop.get(hop).get("p99Ms")));
    }
    return String.format(
        "  %7d %8.1f | %9d /%6d /%8d | %12d /%12d |%s%s",
        phase.get("rate"),
        phase.get("sentPerSecond"),
        phase.get("p50Ms"),
        phase.get("p99Ms"),
        phase.get("p999Ms"),
        baseline.get("p50Ms"),
        baseline.get("p99Ms"),
        hops,
        (long) phase.get("missing") > 0 ? "  (" + phase.get("missing") + " not seen)" : "");
  }
}
