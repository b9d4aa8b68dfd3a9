package dev.engage.jobs.decisions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engage.avro.CustomerProfile;
import dev.engage.avro.Notification;
import dev.engage.avro.Preferences;
import dev.engage.avro.Response;
import dev.engage.avro.ResponseType;
import dev.engage.avro.Touchpoint;
import dev.engage.jobs.JobTopics;
import dev.engage.launcher.config.StackConfig;
import dev.engage.launcher.stack.SharedStack;
import dev.engage.rules.cel.ConditionCompiler;
import dev.engage.rules.definition.DefinitionParser;
import dev.engage.rules.store.RuleStore;
import dev.engage.schemas.redis.RedisKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.JobClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.JedisPooled;

/**
 * The decisions on a MiniCluster (RocksDB, checkpoints every second) against the real broker,
 * registry and Redis, wired as in the application: rules and an offer published with the rule
 * store, touchpoints and profiles in, next-best-actions in Redis and notifications on the
 * exactly-once outbox out.
 */
@ExtendWith(SharedStack.class)
class DecisionsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CART =
      """
      id: cart-abandonment
      name: Remind about an abandoned cart
      when:
        kind: absence
        first: "event.type == 'add_to_cart'"
        not: "event.type == 'purchase'"
        within: 30m
      action:
        code: CART_REMINDER
        notify: in_app
        template: "Your cart is waiting (reminder due {{due}})"
        priority: 60
        ttl: 24h
      policy: {cooldown: 3d}
      """;
  private static final String APP_TOUR =
      """
      kind: offer
      id: app-tour
      name: Take the app tour
      code: APP_TOUR
      priority: 30
      """;

  /** The README's rebooking rule. */
  private static final String REBOOKING =
      """
      id: rebooking-offer
      name: Rebooking offer on a long delay or a cancellation
      when:
        kind: event
        condition: "event.type == 'flight_disruption' && (event.delayMinutes >= 120 || event.status == 'CANCELLED')"
      action: {code: REBOOK_OFFER, notify: preferred, template: "{{event.attributes.summary}}"}
      """;

  /** Three rules an SMS customer trips at once, the best priority x value last. */
  private static final List<String> SMS_RULES =
      List.of(
          smsRule("sms-low", "low_event", 30, 1),
          smsRule("sms-middle", "middle_event", 50, 1),
          smsRule("sms-best", "best_event", 40, 3));

  private static final String EMAIL_ONLY =
      """
      id: newsletter
      name: Newsletter
      when: {kind: event, condition: "event.type == 'newsletter_due'"}
      action: {code: NEWSLETTER, notify: email, template: "This week at Engage"}
      """;

  private static String smsRule(String id, String type, int priority, double value) {
    return """
        id: %s
        name: %s
        when: {kind: event, condition: "event.type == '%s'"}
        action: {code: %s, notify: sms, template: "%s", priority: %d, value: %s}
        """
        .formatted(id, id, type, id.toUpperCase().replace('-', '_'), id, priority, value);
  }

  private static JobTopics topics;
  private static JobClient job;
  private static JedisPooled redis;

  @BeforeAll
  static void startJob(StackConfig stack) throws Exception {
    topics = JobTopics.create(stack);
    RuleStore rules =
        new RuleStore(
            stack.bootstrapServers(),
            topics.catalog().rules(),
            new DefinitionParser(new ConditionCompiler()));
    rules.publish(CART, "yaml", "it");
    rules.publish(APP_TOUR, "yaml", "it");
    rules.publish(REBOOKING, "yaml", "it");
    rules.publish(EMAIL_ONLY, "yaml", "it");
    for (String rule : SMS_RULES) {
      rules.publish(rule, "yaml", "it");
    }
    Path checkpoints = Files.createTempDirectory(Path.of("target"), "decisions-it");
    Configuration flink = new Configuration();
    flink.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
    flink.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
    flink.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofSeconds(1));
    job = topics.startApplication("decisions", flink, Duration.ofDays(90), topics.redisUri());
    topics.awaitRules(job, rules);
    redis = new JedisPooled(topics.redisUri());
  }

  @AfterAll
  static void stopJob() throws Exception {
    job.cancel().get();
    redis.close();
  }

  @Test
  void anAbandonedCartAndAnAlwaysOnOfferRankInRedisWithReasonsAndAnAcceptedOneLeaves()
      throws Exception {
    Instant now = Instant.now();
    topics.send(
        topics.catalog().profiles(),
        CustomerProfile::getCustomerId,
        List.of(profile("dec-dora", "email", true, false)));
    send(
        touchpoint(
            "dec-dora",
            "add_to_cart",
            now.minus(Duration.ofMinutes(40)),
            Map.of("product", "red shoes")));
    // another customer's event moves event time past dora's 30 minutes
    send(touchpoint("dec-clock", "page_view", now, Map.of()));

    JsonNode list = awaitActions("dec-dora", l -> l.path("actions").size() == 2);

    // documented formula: priority/100 x propensity (prior 0.5) x context x value x lever
    assertThat(codes(list)).containsExactly("CART_REMINDER", "APP_TOUR");
    JsonNode cart = list.path("actions").get(0);
    assertThat(cart.path("score").asDouble()).isEqualTo(0.6 * 0.5 * 1.5);
    assertThat(list.path("actions").get(1).path("score").asDouble()).isEqualTo(0.3 * 0.5);
    assertThat(cart.path("reason").asText())
        .startsWith("Rule cart-abandonment v1 fired: ")
        .contains(
            "within PT30M after event.type == 'add_to_cart'",
            "(due=",
            "priority 0.60",
            "context 1.50");
    assertThat(cart.path("message").asText()).startsWith("Your cart is waiting (reminder due 20");

    topics.send(
        topics.catalog().responses(),
        Response::getCustomerId,
        List.of(response("dec-dora", cart.path("actionId").asText(), ResponseType.ACCEPTED)));

    JsonNode after = awaitActions("dec-dora", l -> l.path("actions").size() == 1);
    assertThat(codes(after)).containsExactly("APP_TOUR");
    assertThat(redis.lrange(RedisKeys.decisions("dec-dora"), 0, -1)).isNotEmpty();
    // the acceptance is learned: counted for the action over all customers
    assertThat(
            topics.records(
                job,
                topics.catalog().propensities(),
                c -> c.getCode().equals("CART_REMINDER") && c.getSegment().equals("*"),
                1,
                Duration.ofSeconds(30)))
        .last()
        .satisfies(c -> assertThat(c.getSuccesses()).isEqualTo(1));

    // dismissed: gone at once, and not offered again within its cooldown (7 days)
    String tour = after.path("actions").get(0).path("actionId").asText();
    topics.send(
        topics.catalog().responses(),
        Response::getCustomerId,
        List.of(response("dec-dora", tour, ResponseType.DISMISSED)));
    awaitActions("dec-dora", l -> l.path("actions").isEmpty());
    send(disruption("dec-dora", Instant.now()));
    assertThat(codes(awaitActions("dec-dora", l -> !l.path("actions").isEmpty())))
        .containsExactly("REBOOK_OFFER");
  }

  @Test
  void everyPassengerOfADelayedFlightGetsOneNotificationOnTheirChannelAndAnAgentAction()
      throws Exception {
    Map<String, String> declared =
        Map.of("dec-pax-1", "sms", "dec-pax-2", "email", "dec-pax-3", "push");
    List<CustomerProfile> profiles = new ArrayList<>();
    declared.forEach(
        (id, channel) -> profiles.add(profile(id, channel, !channel.equals("push"), true)));
    topics.send(topics.catalog().profiles(), CustomerProfile::getCustomerId, profiles);
    Instant now = Instant.now();
    for (String passenger : declared.keySet()) {
      send(disruption(passenger, now));
    }

    List<Notification> sent =
        topics.records(
            job,
            topics.catalog().notifications(),
            n -> n.getRuleId().equals("rebooking-offer"),
            3,
            Duration.ofSeconds(60));

    assertThat(sent)
        .extracting(Notification::getCustomerId)
        .containsExactlyInAnyOrderElementsOf(declared.keySet());
    Map<String, String> channels = new HashMap<>();
    sent.forEach(n -> channels.put(n.getCustomerId(), n.getChannel()));
    // dec-pax-3 declared push without consenting to it: the first consented fallback
    assertThat(channels)
        .containsEntry("dec-pax-1", "sms")
        .containsEntry("dec-pax-2", "email")
        .containsEntry("dec-pax-3", "in_app");
    assertThat(sent)
        .allSatisfy(
            n -> {
              assertThat(n.getBody()).isEqualTo("LH400 delayed 150 min");
              assertThat(n.getOptions())
                  .extracting(o -> o.getOptionId())
                  .containsExactly("LH402/2026-12-03");
              assertThat(n.getPurpose()).isEqualTo("marketing");
            });
    for (String passenger : declared.keySet()) {
      JsonNode list = awaitActions(passenger, l -> codes(l).contains("REBOOK_OFFER"));
      assertThat(list.path("actions").get(0).path("agentVisible").asBoolean()).isTrue();
    }
  }

  @Test
  void threeTriggersUnderAnSmsCapOfOneADaySendOneSmsTheBestPriorityTimesValueAndTheOthersWait()
      throws Exception {
    topics.send(
        topics.catalog().profiles(),
        CustomerProfile::getCustomerId,
        List.of(profile("dec-sam", "sms", true, false)));
    Instant now = Instant.now();
    for (String type : List.of("low_event", "middle_event", "best_event")) {
      send(touchpoint("dec-sam", type, now, Map.of()));
    }

    List<Notification> sent =
        topics.records(
            job,
            topics.catalog().notifications(),
            n -> n.getCustomerId().equals("dec-sam"),
            1,
            Duration.ofSeconds(60));

    // 40 x 3 = 120 beats 50 x 1 and 30 x 1
    assertThat(sent)
        .singleElement()
        .satisfies(
            n -> {
              assertThat(n.getRuleId()).isEqualTo("sms-best");
              assertThat(n.getChannel()).isEqualTo("sms");
            });
    List<JsonNode> waiting = notificationDecisions("dec-sam", "DEFER");
    assertThat(waiting)
        .extracting(n -> n.path("sourceId").asText())
        .containsExactlyInAnyOrder("sms-middle", "sms-low");
    assertThat(waiting)
        .allSatisfy(
            n -> {
              assertThat(n.path("reason").asText()).isEqualTo("WAITS_FOR_FREE_SLOT");
              assertThat(n.path("steps").toString())
                  .contains("DAILY_CAP_REACHED: sms is full until");
            });
  }

  @Test
  void aCustomerWhoWithdrewEmailConsentGetsTheInAppFallbackAndTheTraceSaysWhy() throws Exception {
    topics.send(
        topics.catalog().profiles(),
        CustomerProfile::getCustomerId,
        List.of(profile("dec-erin", "sms", false, false)));
    send(touchpoint("dec-erin", "newsletter_due", Instant.now(), Map.of()));

    List<Notification> sent =
        topics.records(
            job,
            topics.catalog().notifications(),
            n -> n.getCustomerId().equals("dec-erin"),
            1,
            Duration.ofSeconds(60));

    assertThat(sent).singleElement().satisfies(n -> assertThat(n.getChannel()).isEqualTo("in_app"));
    assertThat(notificationDecisions("dec-erin", "SEND"))
        .singleElement()
        .satisfies(
            n ->
                assertThat(n.path("steps").toString())
                    .contains("NO_CONSENT: email has no consent", "FALLBACK: in_app"));
  }

  /** The customer's notification decisions in Redis with the verdict, once there are some. */
  private static List<JsonNode> notificationDecisions(String customer, String verdict)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    List<JsonNode> found = new ArrayList<>();
    while (found.isEmpty() && System.nanoTime() < deadline) {
      for (String json : redis.lrange(RedisKeys.decisions(customer), 0, -1)) {
        JSON.readTree(json)
            .path("notifications")
            .forEach(
                n -> {
                  if (n.path("verdict").asText().equals(verdict)) {
                    found.add(n);
                  }
                });
      }
      Thread.sleep(100);
    }
    return found;
  }

  private static JsonNode awaitActions(String customer, Predicate<JsonNode> until)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      String stored = redis.get(RedisKeys.nextBestActions(customer));
      if (stored != null) {
        last = JSON.readTree(stored);
        if (until.test(last)) {
          return last;
        }
      }
      if (job.getJobExecutionResult().isDone()) {
        job.getJobExecutionResult().join();
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no such next-best-actions for " + customer + "; last: " + last);
  }

  private static List<String> codes(JsonNode list) {
    List<String> codes = new ArrayList<>();
    list.path("actions").forEach(a -> codes.add(a.path("code").asText()));
    return codes;
  }

  /**
   * A profile with declared preferences, at a version above those the profile job derives from the
   * test's few touchpoints, so the decisions keep it.
   */
  private static CustomerProfile profile(
      String id, String channel, boolean consent, boolean email) {
    return CustomerProfile.newBuilder()
        .setCustomerId(id)
        .setVersion(1_000)
        .setFirstSeen(Instant.now())
        .setLastSeen(Instant.now())
        .setUpdatedAt(Instant.now())
        .setPreferences(
            Preferences.newBuilder()
                .setPreferredChannel(channel)
                .setConsentSms(consent && channel.equals("sms"))
                .setConsentEmail(email || channel.equals("email"))
                .setTimeZone("Europe/Berlin")
                .build())
        .build();
  }

  private static Touchpoint touchpoint(
      String customer, String type, Instant at, Map<String, String> attributes) {
    return Touchpoint.newBuilder()
        .setEventId(customer + "-" + type + "-" + at.toEpochMilli())
        .setCustomerId(customer)
        .setType(type)
        .setChannel("web")
        .setSource("it")
        .setAttributes(attributes)
        .setOccurredAt(at)
        .setReceivedAt(Instant.now())
        .build();
  }

  /** What the disruption join sends for a passenger of LH400 delayed 150 minutes. */
  private static Touchpoint disruption(String passenger, Instant at) {
    return Touchpoint.newBuilder(
            touchpoint(
                passenger,
                "flight_disruption",
                at,
                Map.of(
                    "summary", "LH400 delayed 150 min",
                    "alternatives.count", "1",
                    "alternatives.0.flight", "LH402",
                    "alternatives.0.flightKey", "LH402/2026-12-03",
                    "alternatives.0.departure", "2026-12-03T12:00:00Z")))
        .setChannel("ops")
        .setStatus("DELAYED")
        .setDelayMinutes(150)
        .build();
  }

  private static Response response(String customer, String actionId, ResponseType type) {
    return Response.newBuilder()
        .setEventId(type + "-" + actionId)
        .setCustomerId(customer)
        .setType(type)
        .setActionId(actionId)
        .setOccurredAt(Instant.now())
        .setReceivedAt(Instant.now())
        .build();
  }

  private static void send(Touchpoint event) throws Exception {
    topics.send(topics.catalog().touchpoints(), Touchpoint::getCustomerId, List.of(event));
  }
}
