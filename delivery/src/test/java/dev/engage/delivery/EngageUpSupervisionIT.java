package dev.engage.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.engage.avro.TriggerFired;
import dev.engage.launcher.config.StackConfig;
import dev.engage.launcher.stack.PidFile;
import dev.engage.launcher.stack.ServiceSpec;
import dev.engage.launcher.stack.SharedStack;
import dev.engage.launcher.stack.StackCli;
import dev.engage.launcher.stack.StackServices;
import dev.engage.schemas.redis.RedisKeys;
import dev.engage.schemas.registry.SchemaRegistryClient;
import dev.engage.schemas.topics.Topic;
import dev.engage.schemas.topics.TopicCatalog;
import java.io.IOException;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import redis.clients.jedis.JedisPooled;

/**
 * {@code engage up} with every service, each killed with SIGKILL in turn by the fault suite ({@code
 * engage chaos}) under steady load: the supervisor starts it again (stream-jobs from its newest
 * checkpoint) while the others keep their processes, nothing sent is lost or doubled, and {@code
 * engage status} counts the restarts; a service that cannot come back makes it give up. Every topic
 * of this stack is renamed ({@code topics.overrides.<id>.name: x.<id>}), so what flows through it
 * shows that every service honours the stack's topic settings. It lives in the delivery module
 * because that is built last, so every service's build is there to start.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EngageUpSupervisionIT {
  /** From SIGKILL to a new process: the restart. */
  private static final Duration RESTART_BOUND = Duration.ofSeconds(10);

  private static final Duration STREAM_JOBS_RESTART_BOUND = Duration.ofSeconds(30);

  /**
   * From SIGKILL to ready again. Under the fault suite's load on two cores, ingestion took 21 to 23
   * s and the API up to 30.6 s (in a 30-minute run at 100 probes/s); the Kafka broker 11 to 17 s (5
   * to 10 s to start and recover its logs, then its new registration waits for the controller to
   * drop the killed one's session).
   */
  private static final Duration READY_BOUND = Duration.ofSeconds(60);

  private static final String RULE =
      """
      id: renamed-probe
      name: Fires on every probe
      when:
        kind: event
        condition: "event.type == 'renamed_probe'"
      action:
        code: PROBE
        notify: none
      """;

  private static StackConfig config;
  private static StackCli cli;

  @BeforeAll
  static void up() {
    System.setProperty("engage.home", Path.of("..").toAbsolutePath().normalize().toString());
    Map<String, String> settings = new HashMap<>(renamedTopics());
    settings.putAll(
        Map.of(
            "ingestion.enabled", "true",
            "jobs.enabled", "true",
            "api.enabled", "true",
            "delivery.enabled", "true"));
    config = SharedStack.freshConfig("up-supervision", settings);
    List<String> cliSettings = new ArrayList<>();
    renamedTopics().forEach((key, name) -> cliSettings.add(key + "=" + name));
    cliSettings.addAll(
        List.of(
            "ingestion.enabled=true",
            "ingestion.port=" + config.ingestionPort(),
            "jobs.enabled=true",
            "jobs.rest-port=" + config.jobsRestPort(),
            "api.enabled=true",
            "api.port=" + config.apiPort(),
            "delivery.enabled=true",
            "delivery.port=" + config.deliveryPort(),
            "mail.smtp-port=" + config.mailSmtpPort(),
            "mail.web-port=" + config.mailWebPort()));
    cli = new StackCli(config, cliSettings.toArray(String[]::new));
    assertThat(cli.run("up", "--detach")).as(cli.output()).isZero();
  }

  /** Every topic as {@code x.<id>}. */
  private static Map<String, String> renamedTopics() {
    Map<String, String> renamed = new HashMap<>();
    TopicCatalog.ids().forEach(id -> renamed.put("topics.overrides." + id + ".name", "x." + id));
    return renamed;
  }

  @Test
  @Order(0)
  void withEveryTopicRenamedATrackedEventReachesTheProfileAndFiresARuleOnTheRenamedTopic()
      throws Exception {
    Path rule = config.dataDir().resolve("renamed-probe.yaml");
    Files.writeString(rule, RULE);
    assertThat(cli.run("rules", "apply", rule.toString())).as(cli.output()).isZero();
    TopicCatalog topics =
        new TopicCatalog(config.topics(), new SchemaRegistryClient(config.registryUrl()));
    assertThat(topics.triggers().name()).isEqualTo("x.triggers");
    String customer = "renamed-" + UUID.randomUUID();

    // a probe until one fires: the job may not have the new rule yet when the first arrives
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofSeconds(3))
        .until(
            () -> {
              track(customer, "Renamed Probe");
              return firings(topics.triggers(), customer).stream()
                  .anyMatch(f -> f.getRuleId().equals("renamed-probe"));
            });
    try (JedisPooled redis = new JedisPooled("127.0.0.1", config.redisPort())) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> redis.hget(RedisKeys.profile(customer), "json") != null);
    }
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers()))) {
      assertThat(admin.listTopics().names().get())
          .as("no service made a topic under a default name")
          .doesNotContainAnyElementsOf(TopicCatalog.ids());
    }
  }

  /** A track call through the collector, as a website sends it. */
  private static void track(String customer, String event) throws Exception {
    String sources =
        Files.readString(config.dataDir().resolve("ingestion").resolve("ingestion.yaml"));
    Matcher website = Pattern.compile("name: website, writeKey: (wk_[0-9a-f]+)").matcher(sources);
    assertThat(website.find()).as(sources).isTrue();
    String auth =
        Base64.getEncoder()
            .encodeToString((website.group(1) + ":").getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> answer =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(config.collectorUrl() + "/v1/track"))
                    .header("Authorization", "Basic " + auth)
                    .header("Content-Type", "application/json")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"userId\":\""
                                + customer
                                + "\",\"event\":\""
                                + event
                                + "\",\"messageId\":\""
                                + UUID.randomUUID()
                                + "\"}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
  }

  /** The customer's committed firings on the topic, read from its start to its end. */
  private static List<TriggerFired> firings(Topic<String, TriggerFired> topic, String customer) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<TriggerFired> firings = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic.name()).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (customer.equals(r.key())) {
            firings.add(topic.valueSerde().deserializer().deserialize(topic.name(), r.value()));
          }
        }
      }
    }
    return firings;
  }

  @AfterAll
  static void down() {
    cli.run("down");
  }

  /**
   * The fault suite's short form: {@code engage chaos} kills every service once with SIGKILL, in a
   * shuffled order, under steady probes through the collector; the supervisor starts each again in
   * a new process while the others keep theirs, and the committed data shows nothing lost or
   * doubled.
   */
  @Test
  @Order(1)
  void eachKilledServiceIsRestartedUnderLoadWhileTheOthersKeepTheirProcesses() throws Exception {
    awaitCheckpoint();
    List<String> services = StackServices.of(config).stream().map(ServiceSpec::name).toList();
    int exit =
        cli.run(
            "chaos",
            "--services",
            String.join(",", services),
            "--faults",
            Integer.toString(services.size()),
            "--fault-every",
            "PT1S",
            "--duration",
            "PT5M",
            "--customers",
            "20",
            "--rate",
            "40",
            "--settle",
            "PT2M");
    String printed = cli.output().substring(cli.output().lastIndexOf("engage chaos: 20 customers"));
    System.out.println(printed);
    assertThat(exit).as(printed).isZero();
    assertThat(printed)
        .contains("other services restarted by a fault: none")
        .containsPattern(
            "\\| " + services.size() + " \\| [0-9,]+ \\| 0 \\| 0 \\| [0-9,]+ \\| 0 \\| 0 \\| 0 \\|")
        .contains("engage chaos: passed");
    for (String service : services) {
      Matcher row =
          Pattern.compile(
                  "\\| "
                      + Pattern.quote(service)
                      + " \\| 1 \\| ([0-9.]+) \\| ([0-9.]+) \\| ([0-9.]+) \\|")
              .matcher(printed);
      assertThat(row.find()).as(service + " killed once, in " + printed).isTrue();
      Duration restartBound =
          service.equals("stream-jobs") ? STREAM_JOBS_RESTART_BOUND : RESTART_BOUND;
      assertThat(Double.parseDouble(row.group(1)))
          .as(service + " in a new process within " + restartBound.toSeconds() + " s")
          .isLessThan(restartBound.toSeconds());
      assertThat(Double.parseDouble(row.group(3)))
          .as(service + " ready again within " + READY_BOUND.toSeconds() + " s")
          .isLessThan(READY_BOUND.toSeconds());
    }

    assertThat(Files.readString(config.logDir().resolve("stream-jobs.log")))
        .as("the restarted Flink application resumed its state")
        .contains("Resuming from checkpoint");
    // the supervisor counts a restart once the new process is ready, which chaos may see a
    // moment before it
    String printedStatus = status();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!everyServiceRestartedOnce(printedStatus) && System.nanoTime() < deadline) {
      Thread.sleep(200);
      printedStatus = status();
    }
    System.out.println(printedStatus);
    for (ServiceSpec spec : StackServices.of(config)) {
      assertThat(printedStatus)
          .containsPattern(spec.name() + " +pid \\d+ +restarts 1 +ready")
          .containsPattern("last restart \\S+, after it was killed by signal 9");
    }
    assertThat(Files.readString(config.logDir().resolve("engage.log")))
        .containsPattern(
            "engage: stream-jobs \\(pid \\d+\\) was killed by signal 9; restarting it in 0\\.5 s")
        .containsPattern("stream-jobs restarted \\(pid \\d+\\), ready in");
  }

  @Test
  @Order(2)
  void aServiceThatCannotComeBackMakesTheSupervisorGiveUpAndStopTheStack() throws Exception {
    long redis = pids().get("redis");
    ProcessHandle supervisor =
        new PidFile(config.runDir().resolve("engage.pid")).liveProcess().orElseThrow();
    ProcessHandle process = ProcessHandle.of(redis).orElseThrow();
    process.destroyForcibly();
    process.onExit().join();
    // its port taken the moment it died, so each restart fails at once
    try (ServerSocket squatter = takePort(config.redisPort())) {
      supervisor.onExit().get(120, TimeUnit.SECONDS);
    }
    String log = Files.readString(config.logDir().resolve("engage.log"));
    assertThat(log)
        .containsPattern("redis \\(pid \\d+\\) exited with code 1; restarting it in 4\\.0 s")
        .contains("redis stopped 5 times within 180 s (the last time it exited with code 1);")
        .contains("giving up and stopping the stack")
        .contains("Address already in use");
    assertThat(pids()).as("every service was stopped").isEmpty();
  }

  /** The listening port, taken again as soon as the process that held it is gone. */
  private static ServerSocket takePort(int port) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (true) {
      try {
        return new ServerSocket(port);
      } catch (IOException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(10);
      }
    }
  }

  /** What {@code engage status} prints, once it answered 0. */
  private static String status() {
    int code = cli.run("status");
    String printed = cli.output().substring(cli.output().lastIndexOf("engage up: running"));
    assertThat(code).as(printed).isZero();
    return printed;
  }

  private static boolean everyServiceRestartedOnce(String printed) {
    return StackServices.of(config).stream()
        .allMatch(
            spec ->
                Pattern.compile(spec.name() + " +pid \\d+ +restarts 1 +ready")
                    .matcher(printed)
                    .find());
  }

  /** Waits for the Flink application's first completed checkpoint, so a restart has one. */
  private static void awaitCheckpoint() throws Exception {
    Path checkpoints = config.dataDir().resolve("flink").resolve("checkpoints");
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.isDirectory(checkpoints)) {
        try (Stream<Path> files = Files.find(checkpoints, 3, (p, a) -> p.endsWith("_metadata"))) {
          if (files.findAny().isPresent()) {
            return;
          }
        }
      }
      Thread.sleep(500);
    }
    throw new AssertionError("no checkpoint under " + checkpoints + " within 60 s");
  }

  private static Map<String, Long> pids() {
    Map<String, Long> pids = new LinkedHashMap<>();
    for (String name : StackServices.NAMES) {
      PidFile.of(config.runDir(), name)
          .liveProcess()
          .ifPresent(process -> pids.put(name, process.pid()));
    }
    return pids;
  }
}
