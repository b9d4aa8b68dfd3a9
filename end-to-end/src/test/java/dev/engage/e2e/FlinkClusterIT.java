package dev.engage.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engage.launcher.config.StackConfig;
import dev.engage.launcher.flink.FlinkCluster;
import dev.engage.launcher.flink.FlinkRest;
import dev.engage.launcher.stack.PidFile;
import dev.engage.launcher.stack.SharedStack;
import dev.engage.launcher.stack.StackCli;
import dev.engage.schemas.redis.RedisKeys;
import dev.engage.schemas.registry.SchemaRegistryClient;
import dev.engage.schemas.topics.Topic;
import dev.engage.schemas.topics.TopicCatalog;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import redis.clients.jedis.JedisPooled;

/**
 * The stream jobs on a real Flink cluster: {@code engage up --flink cluster} starts a JobManager
 * and two TaskManagers as processes of their own and submits the job jar over REST. Touchpoints
 * carrying a per-customer sequence number go through the collector at a steady rate while one
 * TaskManager is killed with SIGKILL: the job fails over to the other, the supervisor starts the
 * TaskManager again, and the committed output is what an uninterrupted run makes: every profile
 * counts each touchpoint once, the rule fired once per touchpoint, and Redis holds each customer's
 * latest version on the {@code profiles} topic. Run with {@code -Pcluster} (see the README); CI
 * leaves it out for time.
 */
@Tag("cluster")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FlinkClusterIT {
  private static final int CUSTOMERS = 40;
  private static final int ROUNDS = 80;
  private static final Duration ROUND = Duration.ofMillis(500);
  private static final int KILL_AT_ROUND = 25;
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String RULE =
      """
      id: cluster-probe
      name: Fires on every probe
      when:
        kind: event
        condition: "event.type == 'cluster_probe'"
      action:
        code: PROBE
        notify: none
      """;

  private final StackConfig config =
      SharedStack.freshConfig(
          "flink-cluster",
          Map.of("jobs.enabled", "true", "jobs.flink", "cluster", "ingestion.enabled", "true"));
  private final StackCli cli =
      new StackCli(
          config,
          "ingestion.enabled=true",
          "ingestion.port=" + config.ingestionPort(),
          "jobs.enabled=true",
          "jobs.rest-port=" + config.jobsRestPort(),
          "jobs.rpc-port=" + freePort(),
          "api.enabled=false",
          "delivery.enabled=false");
  private final HttpClient http = HttpClient.newHttpClient();
  private final String run = Long.toString(System.currentTimeMillis(), 36);
  private TopicCatalog topics;
  private FlinkRest flink;

  @BeforeAll
  void up() throws Exception {
    System.setProperty("engage.home", Path.of("..").toAbsolutePath().normalize().toString());
    int exit = cli.run("up", "--detach", "--flink", "cluster");
    System.out.println(cli.output());
    assertThat(exit).as(cli.output()).isZero();
    topics = new TopicCatalog(config.topics(), new SchemaRegistryClient(config.registryUrl()));
    flink = FlinkRest.of(FlinkCluster.restUrl(config));
  }

  @AfterAll
  void down() {
    cli.run("down");
  }

  @Test
  void aKilledTaskManagerUnderLoadLosesNothingAndDoublesNothing() throws Exception {
    assertThat(flink.taskManagers()).as("two TaskManagers registered").hasSize(2);
    Path rule = config.dataDir().resolve("cluster-probe.yaml");
    Files.writeString(rule, RULE);
    assertThat(cli.run("rules", "apply", rule.toString())).as(cli.output()).isZero();
    awaitFirstFiring();
    awaitCheckpoint();

    long tm1 = pid(FlinkCluster.TASK_MANAGER + 1);
    long tm2 = pid(FlinkCluster.TASK_MANAGER + 2);
    long jobManager = pid(FlinkCluster.JOB_MANAGER);
    String job = runningJob();
    long killedAt = 0;
    long began = System.nanoTime();
    for (int round = 1; round <= ROUNDS; round++) {
      sendRound(round);
      if (round == KILL_AT_ROUND) {
        ProcessHandle.of(tm1).orElseThrow().destroyForcibly();
        killedAt = System.nanoTime();
      }
      long next = began + round * ROUND.toNanos();
      Thread.sleep(Math.max(0, (next - System.nanoTime()) / 1_000_000));
    }
    double sentSeconds = (System.nanoTime() - began) / 1e9;

    // every customer's profile counts each probe once: nothing lost, nothing doubled
    try (JedisPooled redis = new JedisPooled("127.0.0.1", config.redisPort())) {
      await()
          .atMost(Duration.ofSeconds(180))
          .pollInterval(Duration.ofSeconds(2))
          .until(() -> probesCounted(redis).values().stream().allMatch(n -> n == ROUNDS));
      double settled = (System.nanoTime() - killedAt) / 1e9;

      Map<String, Long> redisVersions = new HashMap<>();
      for (int c = 0; c < CUSTOMERS; c++) {
        redisVersions.put(customer(c), Long.parseLong(redis.hget(profileKey(c), "version")));
      }
      Map<String, Long> topicVersions = new HashMap<>();
      readCommitted(
          topics.profiles(),
          (key, profile) -> topicVersions.merge(key, profile.getVersion(), Math::max));
      assertThat(topicVersions)
          .as("Redis holds each customer's latest version on the profiles topic")
          .containsAllEntriesOf(redisVersions);

      // the firings are committed with the checkpoints that follow
      await()
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofSeconds(2))
          .until(() -> firings().total() >= CUSTOMERS * ROUNDS);
      Firings firings = firings();
      assertThat(firings.doubled()).as("no probe fired twice").isZero();
      assertThat(firings.byCustomer()).hasSize(CUSTOMERS);
      assertThat(firings.byCustomer().values())
          .as("each probe fired once")
          .allMatch(n -> n == ROUNDS);
      double committed = (System.nanoTime() - killedAt) / 1e9;

      assertThat(pid(FlinkCluster.TASK_MANAGER + 1))
          .as("the supervisor started the killed TaskManager again")
          .isNotEqualTo(tm1);
      assertThat(pid(FlinkCluster.TASK_MANAGER + 2)).isEqualTo(tm2);
      assertThat(pid(FlinkCluster.JOB_MANAGER)).isEqualTo(jobManager);
      assertThat(runningJob()).as("the same job, failed over, not submitted again").isEqualTo(job);
      JsonNode failover = lastFailover(job);
      long killedAtMillis = wallClockOf(killedAt);
      double failedOverAfter = (failover.path("timestamp").asLong() - killedAtMillis) / 1000.0;
      double runningAgainAfter = (runningSince(job) - killedAtMillis) / 1000.0;
      System.out.printf(
          "flink cluster: %d touchpoints from %d customers in %.1f s; TaskManager 1 killed at"
              + " round %d; the job noticed after %.1f s (%s) and ran again after %.1f s; every"
              + " profile and Redis version"
              + " right %.1f s after the kill, every firing committed after %.1f s; %d firings,"
              + " 0 lost, 0 doubled%n",
          CUSTOMERS * ROUNDS,
          CUSTOMERS,
          sentSeconds,
          KILL_AT_ROUND,
          failedOverAfter,
          failover.path("exceptionName").asText(),
          runningAgainAfter,
          settled,
          committed,
          firings.total());
    }
  }

  /** The committed firings of the probe rule: per customer, and how many had a cause twice. */
  private record Firings(Map<String, Integer> byCustomer, int total, int doubled) {}

  private Firings firings() {
    Map<String, Integer> byCustomer = new HashMap<>();
    Set<String> causes = new HashSet<>();
    int[] counts = {0, 0};
    readCommitted(
        topics.triggers(),
        (key, fired) -> {
          if (fired.getRuleId().equals("cluster-probe") && key.startsWith("cl-" + run + "-")) {
            byCustomer.merge(key, 1, Integer::sum);
            counts[0]++;
            if (!causes.add(fired.getCauses().get(0).getEventId())) {
              counts[1]++;
            }
          }
        });
    return new Firings(byCustomer, counts[0], counts[1]);
  }

  /** One probe per customer, in one batch, each with its sequence number. */
  private void sendRound(int round) throws Exception {
    StringBuilder batch = new StringBuilder("{\"batch\":[");
    for (int c = 0; c < CUSTOMERS; c++) {
      if (c > 0) {
        batch.append(',');
      }
      batch.append(
          String.format(
              "{\"type\":\"track\",\"userId\":\"%s\",\"event\":\"cluster_probe\","
                  + "\"messageId\":\"%s-%d\",\"properties\":{\"seq\":%d}}",
              customer(c), customer(c), round, round));
    }
    batch.append("]}");
    HttpResponse<String> answer =
        http.send(
            HttpRequest.newBuilder(URI.create(config.collectorUrl() + "/v1/batch"))
                .header("Authorization", "Basic " + writeKey())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(batch.toString()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
  }

  /** Each customer's count of probes in their Redis profile (0 before the first). */
  private Map<String, Integer> probesCounted(JedisPooled redis) throws Exception {
    Map<String, Integer> counted = new HashMap<>();
    for (int c = 0; c < CUSTOMERS; c++) {
      String json = redis.hget(profileKey(c), "json");
      counted.put(
          customer(c),
          json == null
              ? 0
              : JSON.readTree(json).path("countsByType").path("cluster_probe").asInt());
    }
    return counted;
  }

  /** A probe until the job has the rule: it may not have read it when the first comes. */
  private void awaitFirstFiring() {
    String warmUp = "cl-warm-" + run;
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofSeconds(3))
        .until(
            () -> {
              track(warmUp);
              boolean[] fired = {false};
              readCommitted(topics.triggers(), (key, f) -> fired[0] |= key.equals(warmUp));
              return fired[0];
            });
  }

  private void track(String customer) throws Exception {
    http.send(
        HttpRequest.newBuilder(URI.create(config.collectorUrl() + "/v1/track"))
            .header("Authorization", "Basic " + writeKey())
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"userId\":\"" + customer + "\",\"event\":\"cluster_probe\"}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private void awaitCheckpoint() {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> dev.engage.schemas.jobs.Checkpoints.newest(checkpoints()).isPresent());
  }

  private Path checkpoints() {
    return FlinkCluster.checkpointDir(config);
  }

  private String runningJob() throws Exception {
    return flink.jobs().stream()
        .filter(j -> j.name().equals("engage") && j.state().equals("RUNNING"))
        .map(FlinkRest.Job::id)
        .findFirst()
        .orElseThrow();
  }

  /** The newest failure in the job's exception history: the killed TaskManager. */
  private JsonNode lastFailover(String job) throws Exception {
    HttpResponse<String> answer =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(FlinkCluster.restUrl(config) + "/jobs/" + job + "/exceptions"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    JsonNode entries = JSON.readTree(answer.body()).path("exceptionHistory").path("entries");
    assertThat(entries.size()).as("the job failed over").isPositive();
    return entries.get(0);
  }

  /** When the job last went RUNNING (epoch millis): after its failover. */
  private long runningSince(String job) throws Exception {
    HttpResponse<String> answer =
        http.send(
            HttpRequest.newBuilder(URI.create(FlinkCluster.restUrl(config) + "/jobs/" + job))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(answer.body()).path("timestamps").path("RUNNING").asLong();
  }

  private static long wallClockOf(long nanoTime) {
    return System.currentTimeMillis() - (System.nanoTime() - nanoTime) / 1_000_000;
  }

  private String customer(int c) {
    return "cl-" + run + "-" + c;
  }

  private String profileKey(int c) {
    return RedisKeys.profile(customer(c));
  }

  private String writeKey() throws Exception {
    String sources =
        Files.readString(config.dataDir().resolve("ingestion").resolve("ingestion.yaml"));
    Matcher app = Pattern.compile("name: mobile-app, writeKey: (wk_[0-9a-f]+)").matcher(sources);
    assertThat(app.find()).as(sources).isTrue();
    return Base64.getEncoder()
        .encodeToString((app.group(1) + ":").getBytes(StandardCharsets.UTF_8));
  }

  private long pid(String service) {
    return PidFile.of(config.runDir(), service).liveProcess().orElseThrow().pid();
  }

  /** Every committed record of the topic, from its start to its end now. */
  private <V> void readCommitted(Topic<String, V> topic, BiConsumer<String, V> each) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      consumer
          .partitionsFor(topic.name())
          .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.key() != null && r.value() != null) {
            each.accept(
                r.key(), topic.valueSerde().deserializer().deserialize(topic.name(), r.value()));
          }
        }
      }
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
