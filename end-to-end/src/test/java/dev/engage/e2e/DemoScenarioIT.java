package dev.engage.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engage.avro.Notification;
import dev.engage.avro.Touchpoint;
import dev.engage.avro.TriggerFired;
import dev.engage.launcher.config.StackConfig;
import dev.engage.launcher.generate.Emitted;
import dev.engage.launcher.generate.FlightSchedule;
import dev.engage.launcher.generate.ScenarioGenerator;
import dev.engage.launcher.generate.ScenarioSettings;
import dev.engage.launcher.generate.SimulatedCustomer;
import dev.engage.launcher.stack.SharedStack;
import dev.engage.launcher.stack.StackCli;
import dev.engage.launcher.testing.Browser;
import dev.engage.rules.cel.ConditionCompiler;
import dev.engage.rules.definition.DefinitionParser;
import dev.engage.rules.definition.Rule;
import dev.engage.rules.evaluation.Backtest;
import dev.engage.schemas.registry.SchemaRegistryClient;
import dev.engage.schemas.topics.Topic;
import dev.engage.schemas.topics.TopicCatalog;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The README's first command, end to end: {@code engage demo} on a stack of its own (every service
 * its own process, as a user runs it) with a fixed seed, then what each part made of the scenario,
 * checked against what the scenario itself says should happen: a profile for every customer who
 * identified, one rebooking firing for each passenger of the long-delayed and the cancelled flight,
 * a REBOOK_OFFER action for each, and one notification each on the channel the contact policy
 * documents (or a deferral the decision trace explains), which reached the customer. Then the pages
 * the demo names, in headless Chromium, with screenshots.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DemoScenarioIT {
  private static final int CUSTOMERS = 200;
  private static final int DAYS = 7;
  private static final long SEED = 7;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration SETTLE = Duration.ofSeconds(120);

  private final StackConfig config = SharedStack.freshConfig("e2e-demo");
  private final StackCli cli =
      new StackCli(
          config,
          "ingestion.enabled=true",
          "ingestion.port=" + config.ingestionPort(),
          "jobs.enabled=true",
          "jobs.rest-port=" + config.jobsRestPort(),
          "api.enabled=true",
          "api.port=" + config.apiPort(),
          "delivery.enabled=true",
          "delivery.port=" + config.deliveryPort(),
          "mail.smtp-port=" + config.mailSmtpPort(),
          "mail.web-port=" + config.mailWebPort());
  private final HttpClient http = HttpClient.newHttpClient();

  /** The same scenario the demo sends: same customers, same seed (the dates do not matter here). */
  private final ScenarioGenerator scenario =
      new ScenarioGenerator(
          new ScenarioSettings(
              CUSTOMERS,
              SEED,
              ScenarioSettings.defaultStart(Duration.ofDays(DAYS)),
              Duration.ofDays(DAYS)));

  private TopicCatalog topics;
  private String serviceKey;
  private String agentKey;
  private String marketerKey;

  @BeforeAll
  void runTheDemo() throws Exception {
    System.setProperty("engage.home", Path.of("..").toAbsolutePath().normalize().toString());
    long began = System.nanoTime();
    int exit =
        cli.run(
            "demo",
            "--customers",
            Integer.toString(CUSTOMERS),
            "--days",
            Integer.toString(DAYS),
            "--seed",
            Long.toString(SEED),
            "--no-wait");
    System.out.println(cli.output());
    assertThat(exit).as(cli.output()).isZero();
    System.out.printf("e2e: the demo ran in %.1f s%n", (System.nanoTime() - began) / 1e9);
    assertThat(cli.output())
        .contains("engage demo: the scenario is in")
        .containsPattern("[0-9,]+ events +[0-9,]+/s +" + CUSTOMERS + " customers \\| touchpoints");
    topics = new TopicCatalog(config.topics(), new SchemaRegistryClient(config.registryUrl()));
    String keys = Files.readString(config.dataDir().resolve("api").resolve("api-keys.yaml"));
    serviceKey = key(keys, "service");
    agentKey = key(keys, "agent");
    marketerKey = key(keys, "marketer");
  }

  @AfterAll
  void down() {
    cli.run("down");
  }

  @Test
  void everyPartOfTheStackDoesWhatTheScenarioCallsFor() throws Exception {
    Set<String> identified = identifiedCustomers();
    for (String id : identified) {
      assertThat(get("/v1/customers/" + id, serviceKey).statusCode())
          .as("profile of %s", id)
          .isEqualTo(200);
    }

    Set<String> rebooked = passengersOfLongDisruptions();
    assertThat(rebooked).as("passengers of the disrupted flights").hasSizeGreaterThan(5);
    List<TriggerFired> firings = new ArrayList<>();
    await()
        .atMost(SETTLE)
        .pollInterval(Duration.ofSeconds(2))
        .until(
            () -> {
              firings.clear();
              firings.addAll(readAll(topics.triggers()));
              return firings.stream()
                      .filter(t -> t.getRuleId().equals("rebooking-offer"))
                      .map(TriggerFired::getCustomerId)
                      .collect(Collectors.toSet())
                      .size()
                  >= rebooked.size();
            });
    // and until nothing more fires: the other rules' partitions may still be catching up
    int[] seen = {-1};
    await()
        .atMost(SETTLE)
        .pollInterval(Duration.ofSeconds(5))
        .until(
            () -> {
              int before = seen[0];
              firings.clear();
              firings.addAll(readAll(topics.triggers()));
              seen[0] = firings.size();
              return before == seen[0];
            });
    Map<String, Long> firingsPerRule =
        firings.stream()
            .collect(
                Collectors.groupingBy(
                    TriggerFired::getRuleId, TreeMap::new, Collectors.counting()));
    System.out.println("e2e: firings per rule " + firingsPerRule);
    assertThat(
            firings.stream()
                .filter(t -> t.getRuleId().equals("rebooking-offer"))
                .map(TriggerFired::getCustomerId)
                .toList())
        .as("one rebooking firing per passenger of the long delay and the cancellation")
        .containsExactlyInAnyOrderElementsOf(rebooked);

    // the event rules without an audience, replayed over the same touchpoints by the backtest
    // (the same evaluator without Flink: its state, timers, broadcast rules and sinks), must fire
    // exactly as often as the running job did
    List<Touchpoint> touchpoints = readAll(topics.touchpoints());
    for (String ruleId : List.of("big-basket", "complaint-follow-up", "rebooking-offer")) {
      Backtest backtest = new Backtest(exampleRule(ruleId));
      touchpoints.forEach(t -> backtest.accept("touchpoints", t));
      assertThat(firingsPerRule.getOrDefault(ruleId, 0L))
          .as(
              "firings of %s, beside the backtest of the same %d touchpoints",
              ruleId, touchpoints.size())
          .isEqualTo(backtest.finish().firings());
    }
    assertThat(firingsPerRule.get("big-basket")).as("big baskets in the scenario").isPositive();

    Map<String, SimulatedCustomer> customers =
        scenario.customers().stream()
            .collect(Collectors.toMap(SimulatedCustomer::id, Function.identity()));
    Map<String, Notification> rebookingNotifications = new HashMap<>();
    await()
        .atMost(SETTLE)
        .pollInterval(Duration.ofSeconds(2))
        .until(
            () -> {
              rebookingNotifications.clear();
              for (Notification n : readAll(topics.notifications())) {
                if ("rebooking-offer".equals(n.getRuleId())) {
                  assertThat(rebookingNotifications.put(n.getCustomerId(), n))
                      .as("a second rebooking notification for %s", n.getCustomerId())
                      .isNull();
                }
              }
              return rebooked.stream()
                  .allMatch(
                      id -> rebookingNotifications.containsKey(id) || deferredToday(id) != null);
            });

    JsonNode mailbox = getJson(config.mailboxUrl() + "/messages.json", null);
    Map<String, Long> perChannel = new TreeMap<>();
    for (String id : rebooked) {
      JsonNode actions =
          getJson(config.apiUrl() + "/v1/customers/" + id + "/next-best-actions", agentKey);
      assertThat(actions.path("actions").findValuesAsText("code"))
          .as("agents see a rebooking offer for %s: %s", id, actions)
          .contains("REBOOK_OFFER");
      List<Double> scores = new ArrayList<>();
      for (JsonNode action : actions.path("actions")) {
        scores.add(action.path("score").asDouble());
        assertThat(action.path("reason").asText()).as("the reason of %s", action).isNotBlank();
      }
      assertThat(scores).as("ranked by score").isSortedAccordingTo(Comparator.reverseOrder());
      Notification n = rebookingNotifications.get(id);
      if (n == null) {
        System.out.printf("e2e: %s's rebooking offer waits: %s%n", id, deferredToday(id));
        continue;
      }
      SimulatedCustomer c = customers.get(id);
      assertThat(n.getChannel())
          .as("the channel the contact policy gives %s (declared %s)", id, c.preferredChannel())
          .isEqualTo(expectedChannel(c, learnedChannel(id)));
      assertThat(n.getOptions()).as("the alternatives as options").isNotEmpty();
      perChannel.merge(n.getChannel(), 1L, Long::sum);
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofSeconds(1))
          .untilAsserted(() -> assertReceived(c, n));
    }
    System.out.println("e2e: rebooking notifications per channel " + perChannel);

    Map<String, Long> notificationsPerChannel =
        readAll(topics.notifications()).stream()
            .collect(
                Collectors.groupingBy(
                    Notification::getChannel, TreeMap::new, Collectors.counting()));
    System.out.printf(
        "e2e: %d customers identified, %d firings, notifications per channel %s, mailbox: %d"
            + " emails, %d SMS, %d push%n",
        identified.size(),
        firings.size(),
        notificationsPerChannel,
        mailbox.path("email").size(),
        mailbox.path("sms").size(),
        mailbox.path("push").size());

    showThePagesTheDemoNames(rebooked.iterator().next());
  }

  /** What reached the customer on the notification's channel: the mailbox or the inbox. */
  private void assertReceived(SimulatedCustomer c, Notification n) {
    JsonNode mailbox = getJson(config.mailboxUrl() + "/messages.json", null);
    switch (n.getChannel()) {
      case "email" ->
          assertThat(mailbox.path("email").findValuesAsText("messageId"))
              .contains("<" + n.getNotificationId() + "@engage>");
      case "sms", "push" -> {
        List<String> received = new ArrayList<>();
        mailbox.path(n.getChannel()).forEach(m -> received.add(m.path("notificationId").asText()));
        assertThat(received).contains(n.getNotificationId());
      }
      default -> {
        JsonNode inbox =
            getJson(config.apiUrl() + "/v1/customers/" + c.id() + "/notifications", serviceKey);
        assertThat(inbox.findValuesAsText("notificationId")).contains(n.getNotificationId());
      }
    }
  }

  /**
   * The contact policy's channel for {@code preferred} (README, "Contact policy"): the declared
   * channel, then the learned one, each only with consent, then the first consented channel of
   * in_app, push, email, sms (the in-app inbox needs no consent).
   */
  private static String expectedChannel(SimulatedCustomer c, String learned) {
    for (String channel : new String[] {c.preferredChannel(), learned}) {
      if (channel != null && consented(c, channel)) {
        return channel;
      }
    }
    return "in_app";
  }

  private static boolean consented(SimulatedCustomer c, String channel) {
    return switch (channel) {
      case "email" -> c.consentEmail();
      case "sms" -> c.consentSms();
      case "push" -> c.consentPush();
      case "in_app" -> true;
      default ->
          false; // a touchpoint channel the profile learned (web, pos...): nothing to send on
    };
  }

  private String learnedChannel(String id) {
    JsonNode learned =
        getJson(config.apiUrl() + "/v1/customers/" + id, serviceKey)
            .path("learnedPreferredChannel");
    return learned.isTextual() ? learned.asText() : null;
  }

  /** The reason the customer's rebooking notification waits, from their decision trace, if so. */
  private String deferredToday(String id) {
    JsonNode decisions =
        getJson(config.apiUrl() + "/v1/customers/" + id + "/decisions", agentKey).path("decisions");
    for (JsonNode decision : decisions) {
      for (JsonNode n : decision.path("notifications")) {
        if (n.path("sourceId").asText().equals("rebooking-offer")
            && n.path("verdict").asText().equals("DEFER")) {
          return n.path("reason").asText() + " until " + n.path("until").asText();
        }
      }
    }
    return null;
  }

  /** The console on a passenger, the studio and the mailbox, as the demo's summary names them. */
  private void showThePagesTheDemoNames(String passenger) throws Exception {
    Path dir = Files.createDirectories(Path.of("target", "browser-" + UUID.randomUUID()));
    try (Browser browser = Browser.start(dir)) {
      browser.open(config.apiUrl() + "/console");
      browser.find("#api-key").sendKeys(agentKey);
      browser.find("#key-form button[type=submit]").click();
      browser.find("#customer-id").sendKeys(passenger);
      browser.find("#lookup button[type=submit]").click();
      browser.awaitText("#profile-id", passenger);
      browser.awaitText("#actions", "REBOOK_OFFER");
      System.out.println("e2e: " + browser.screenshot("demo-console"));

      browser.open(config.apiUrl() + "/studio");
      browser.find("#api-key").sendKeys(marketerKey);
      browser.find("#key-form button[type=submit]").click();
      browser.awaitText("[data-rule-id='rebooking-offer']", "rebooking-offer");
      System.out.println("e2e: " + browser.screenshot("demo-studio"));

      browser.open(config.mailboxUrl() + "/");
      browser.awaitText("body", "Engage local mailbox");
      System.out.println("e2e: " + browser.screenshot("demo-mailbox"));
    }
  }

  private static Rule exampleRule(String id) throws Exception {
    Path file = Path.of("..", "examples", "rules", id + ".yaml");
    return (Rule) new DefinitionParser(new ConditionCompiler()).parse(Files.readString(file));
  }

  /** Customers the scenario identifies on the website or in the app (they must have a profile). */
  private Set<String> identifiedCustomers() {
    Set<String> ids = new LinkedHashSet<>();
    scenario.generate(
        e -> {
          if ((e.target() == Emitted.Target.WEB || e.target() == Emitted.Target.APP)
              && e.body().hasNonNull("userId")) {
            ids.add(e.body().get("userId").asText());
          }
        });
    return ids;
  }

  /** Passengers of the flights the rebooking rule is for: delayed two hours or more, cancelled. */
  private Set<String> passengersOfLongDisruptions() {
    FlightSchedule flights = scenario.flights();
    Set<String> ids = new LinkedHashSet<>();
    for (FlightSchedule.Disruption d : flights.disruptions()) {
      if (d.delayMinutes() >= 120 || d.status().equals("CANCELLED")) {
        ids.addAll(flights.passengers(d.flightKey()));
      }
    }
    return ids;
  }

  /** Every committed record of the topic, from its start. */
  private <V> List<V> readAll(Topic<String, V> topic) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<V> values = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic.name()).stream()
              .map(p -> new TopicPartition(topic.name(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          if (record.value() != null) {
            values.add(topic.valueSerde().deserializer().deserialize(topic.name(), record.value()));
          }
        }
      }
    }
    return values;
  }

  private HttpResponse<String> get(String path, String key) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(config.apiUrl() + path));
    request.header("Authorization", "Bearer " + key);
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode getJson(String url, String key) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    try {
      HttpResponse<String> answer =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      assertThat(answer.statusCode()).as("%s: %s", url, answer.body()).isEqualTo(200);
      return JSON.readTree(answer.body());
    } catch (java.io.IOException | InterruptedException e) {
      throw new IllegalStateException(url + ": " + e.getMessage(), e);
    }
  }

  private static String key(String keysFile, String role) {
    Matcher m = Pattern.compile("key: (ek_" + role + "_[0-9a-f]+)").matcher(keysFile);
    assertThat(m.find()).as(keysFile).isTrue();
    return m.group(1);
  }
}
