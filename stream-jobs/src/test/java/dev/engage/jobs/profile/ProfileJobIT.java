package dev.engage.jobs.profile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engage.avro.CustomerProfile;
import dev.engage.avro.LineItem;
import dev.engage.avro.Touchpoint;
import dev.engage.avro.TriggerFired;
import dev.engage.avro.WindowTotals;
import dev.engage.jobs.JobTopics;
import dev.engage.launcher.config.StackConfig;
import dev.engage.launcher.stack.SharedStack;
import dev.engage.rules.cel.ConditionCompiler;
import dev.engage.rules.definition.RuleParser;
import dev.engage.rules.store.RuleStore;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.flink.core.execution.JobClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The profile job on a MiniCluster against the real broker and registry, wired as in the
 * application: touchpoints of four channels become profile versions on the profiles topic, which
 * the trigger job reads back for a threshold rule on the customer's value.
 */
@ExtendWith(SharedStack.class)
class ProfileJobIT {
  private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.HOURS);
  private static JobTopics topics;
  private static JobClient job;

  @BeforeAll
  static void startJob(StackConfig stack) throws Exception {
    topics = JobTopics.create(stack);
    RuleStore rules =
        new RuleStore(
            stack.bootstrapServers(),
            topics.catalog().rules(),
            new RuleParser(new ConditionCompiler()));
    rules.publish(
        """
        id: valuable
        name: Became a valuable customer
        when: {kind: threshold, value: "profile.historicValue", above: 100}
        action: {code: WELCOME_GOLD}
        """,
        "yaml",
        "it");

    job = topics.startApplication("profile");
    topics.awaitRules(job, rules);
  }

  @AfterAll
  static void stopJob() throws Exception {
    job.cancel().get();
  }

  @Test
  void touchpointsOfFourChannelsBecomeProfilesThatRulesRead() throws Exception {
    Touchpoint call = event("ann", "call_started", "call_center", 20);
    call.setAttributes(Map.of("callId", "c-1", "reason", "delivery"));
    topics.send(
        topics.catalog().touchpoints(),
        Touchpoint::getCustomerId,
        List.of(
            event("ann", "page_view", "web", 0),
            event("ann", "app_open", "app", 5),
            purchase("ann", 10, 80.0, "baby"),
            call,
            purchase("ann", 30, 45.0, "baby"),
            event("bob", "page_view", "web", 0),
            // bob comes back two hours later: his first hour rolls off the 1h window
            event("bob", "page_view", "web", 120)));

    Map<String, CustomerProfile> latest =
        topics
            .records(job, topics.catalog().profiles(), p -> true, 7, Duration.ofSeconds(60))
            .stream()
            .collect(
                Collectors.toMap(CustomerProfile::getCustomerId, Function.identity(), (a, b) -> b));

    CustomerProfile ann = latest.get("ann");
    assertThat(ann.getVersion()).isEqualTo(5);
    assertThat(ann.getCountsByChannel())
        .containsOnly(
            Map.entry("web", 1L),
            Map.entry("app", 1L),
            Map.entry("pos", 2L),
            Map.entry("call_center", 1L));
    assertThat(ann.getHistoricValue()).isEqualTo(125.0);
    assertThat(ann.getWindows().get("1h")).isEqualTo(new WindowTotals(5L, 2L, 125.0));
    assertThat(ann.getCategories30d()).containsOnly(Map.entry("baby", 2L));
    assertThat(ann.getOpenCases()).extracting(c -> c.getCaseId()).containsExactly("c-1");
    assertThat(ann.getRfm().getFrequency()).isEqualTo(2);
    assertThat(ann.getLastCause().getEventId()).isEqualTo("ann-purchase-30");

    CustomerProfile bob = latest.get("bob");
    assertThat(bob.getWindows().get("1h").getEvents()).isEqualTo(1);
    assertThat(bob.getWindows().get("24h").getEvents()).isEqualTo(2);

    List<TriggerFired> valuable =
        topics.firings(job, t -> t.getRuleId().equals("valuable"), 1, Duration.ofSeconds(60));
    assertThat(valuable)
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.getCustomerId()).isEqualTo("ann");
              assertThat(t.getExplanation()).contains("profile.historicValue = 125.0 crossed");
            });
  }

  private static Touchpoint purchase(String customer, int minutes, double amount, String category) {
    Touchpoint event = event(customer, "purchase", "pos", minutes);
    event.setAmount(amount);
    event.setItems(
        List.of(
            LineItem.newBuilder()
                .setSku(category + "-" + minutes)
                .setName(category)
                .setCategory(category)
                .setQuantity(1)
                .setUnitAmount(amount)
                .build()));
    return event;
  }

  private static Touchpoint event(String customer, String type, String channel, int minutes) {
    Instant at = T0.minus(Duration.ofHours(3)).plus(Duration.ofMinutes(minutes));
    return Touchpoint.newBuilder()
        .setEventId(customer + "-" + type + "-" + minutes)
        .setCustomerId(customer)
        .setType(type)
        .setChannel(channel)
        .setSource("it")
        .setOccurredAt(at)
        .setReceivedAt(Instant.now())
        .build();
  }
}
