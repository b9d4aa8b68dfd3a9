package dev.engage.jobs.triggers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engage.avro.CustomerProfile;
import dev.engage.avro.DeadLetter;
import dev.engage.avro.FlightSegment;
import dev.engage.avro.FlightState;
import dev.engage.avro.FlightStatus;
import dev.engage.avro.LeadScore;
import dev.engage.avro.Touchpoint;
import dev.engage.avro.TriggerFired;
import dev.engage.jobs.JobTopics;
import dev.engage.launcher.config.StackConfig;
import dev.engage.launcher.stack.SharedStack;
import dev.engage.rules.cel.ConditionCompiler;
import dev.engage.rules.definition.DefinitionParser;
import dev.engage.rules.store.RuleStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The trigger job on a Flink MiniCluster against the real broker and registry: rules published with
 * the rule store take effect while events flow; event, count, sequence, absence and deadline rules
 * fire on touchpoints (the last two on event-time timers), threshold and segment rules on profile
 * versions from the profiles topic.
 */
@ExtendWith(SharedStack.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // event time only moves forward
class TriggerJobIT {
  /**
   * Event time starts a day ahead of the wall clock, so firings carry event times the broker would
   * refuse as record timestamps: the job must write them all the same.
   */
  private static final Instant T0 =
      Instant.now().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofDays(1));

  private static JobTopics topics;
  private static RuleStore rules;
  private static JobClient job;

  @BeforeAll
  static void startJob(StackConfig stack) throws Exception {
    topics = JobTopics.create(stack);
    rules =
        new RuleStore(
            stack.bootstrapServers(),
            topics.catalog().rules(),
            new DefinitionParser(new ConditionCompiler()));
    rules.publish(
        """
        id: abandoned-cart
        name: Abandoned cart
        when: {kind: absence, first: "event.type == 'add_to_cart'", not: "event.type == 'purchase'", within: 30m}
        action: {code: CART_REMINDER}
        """,
        "yaml",
        "it");
    rules.publish(bigPurchase(100), "yaml", "it");
    rules.publish(
        """
        id: three-views
        name: Three product views within an hour
        when: {kind: count, match: "event.type == 'product_viewed'", atLeast: 3, within: 1h}
        action: {code: OFFER_HELP}
        """,
        "yaml",
        "it");
    rules.publish(
        """
        id: search-then-call
        name: Searched flights, then called
        when:
          kind: sequence
          steps: ["event.type == 'flight_search'", "event.channel == 'call_center'"]
          within: 2h
        action: {code: AGENT_OFFER}
        """,
        "yaml",
        "it");
    rules.publish(
        """
        id: payment-reminder
        name: Payment due tomorrow
        when:
          kind: deadline
          first: "event.type == 'invoice_sent'"
          not: "event.type == 'payment_received'"
          due: "timestamp(event.attributes['dueAt'])"
          before: 1d
        action: {code: PAYMENT_REMINDER}
        """,
        "yaml",
        "it");

    rules.publish(
        """
        id: hot-lead
        name: Hot lead
        when: {kind: threshold, value: "profile.leadScore.score", above: 80}
        action: {code: CALL_LEAD}
        """,
        "yaml",
        "it");
    rules.publish(
        """
        id: new-parent
        name: New parent with some interest
        audience: "has(profile.leadScore) && profile.leadScore.score >= 50"
        when: {kind: segment, segment: young-families, on: enter}
        action: {code: BABY_CLUB}
        """,
        "yaml",
        "it");

    rules.publish(
        """
        kind: segment
        id: lapsed
        name: Lapsed buyers
        condition: "has(profile.lastPurchaseAt) && now - profile.lastPurchaseAt > duration('1440h')"
        """,
        "yaml",
        "it");
    rules.publish(
        """
        id: win-back
        name: Win back a lapsed buyer
        when: {kind: segment, segment: lapsed, on: enter}
        action: {code: WIN_BACK}
        """,
        "yaml",
        "it");

    job = topics.startApplication("trigger-job");
    topics.awaitRules(job, rules);
  }

  @AfterAll
  static void stopJob() throws Exception {
    job.cancel().get();
  }

  @Test
  @Order(1)
  void aRuleChangedWhileEventsFlowAppliesItsOldVersionBeforeAndItsNewVersionAfter()
      throws Exception {
    send(purchase("carol", 0, 150.0));
    assertThat(firings(t -> t.getRuleId().equals("big-purchase"), 1))
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.getRuleVersion()).isEqualTo(1);
              assertThat(t.getCustomerId()).isEqualTo("carol");
            });

    rules.publish(bigPurchase(500), "yaml", "it");
    awaitBigPurchaseVersion(2);
    send(purchase("dave", 1, 300.0));
    send(purchase("erin", 2, 600.0));

    List<TriggerFired> all =
        firings(
            t ->
                t.getRuleId().equals("big-purchase")
                    && List.of("carol", "dave", "erin").contains(t.getCustomerId()),
            2);
    assertThat(all)
        .extracting(t -> t.getCustomerId() + " v" + t.getRuleVersion())
        .containsExactly("carol v1", "erin v2");
  }

  @Test
  @Order(2)
  void absenceFiresWhenTheWatermarkPassesAndAPurchaseInTimePreventsIt() throws Exception {
    send(event("ann", "add_to_cart", 10));
    send(event("bob", "add_to_cart", 10));
    send(event("bob", "purchase", 20));
    // another customer's event 45 minutes later moves event time (and the watermark) past 30 min
    send(event("zoe", "page_view", 55));

    List<TriggerFired> fired = firings(t -> t.getRuleId().equals("abandoned-cart"), 1);
    assertThat(fired).extracting(TriggerFired::getCustomerId).containsExactly("ann");
    assertThat(fired.get(0).getOccurredAt()).isEqualTo(T0.plus(Duration.ofMinutes(40)));
    assertThat(fired.get(0).getCauses())
        .extracting(c -> c.getEventId())
        .containsExactly("ann-add_to_cart-10");
  }

  @Test
  @Order(3)
  void countSequenceAndDeadlineRulesFireOnTheRealStack() throws Exception {
    for (int minute : new int[] {100, 110, 120}) {
      send(event("fay", "product_viewed", minute));
    }
    send(event("gus", "flight_search", 100));
    Touchpoint call = event("gus", "call_started", 130);
    call.setChannel("call_center");
    send(call);
    Touchpoint invoice = event("hal", "invoice_sent", 100);
    invoice.setAttributes(Map.of("dueAt", T0.plus(Duration.ofDays(2)).toString()));
    send(invoice);
    // a later event moves the watermark past hal's reminder time (due minus one day)
    send(event("zed", "page_view", 24 * 60 + 10));

    assertThat(firings(t -> t.getRuleId().equals("three-views"), 1))
        .extracting(t -> t.getCustomerId() + " " + t.getCauses().size())
        .containsExactly("fay 3");
    assertThat(firings(t -> t.getRuleId().equals("search-then-call"), 1))
        .extracting(TriggerFired::getCustomerId)
        .containsExactly("gus");
    assertThat(firings(t -> t.getRuleId().equals("payment-reminder"), 1))
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.getCustomerId()).isEqualTo("hal");
              assertThat(t.getOccurredAt()).isEqualTo(T0.plus(Duration.ofDays(1)));
            });
  }

  /**
   * Quiet partitions turn idle; the rules, profiles and erasures inputs must not then carry event
   * time forward, or every pending reminder would fire at once.
   */
  @Test
  @Order(4)
  void aQuietSpellFiresNoPendingTimer() throws Exception {
    int start = 26 * 60; // event time after what the earlier tests sent
    send(event("kim", "add_to_cart", start));
    send(event("lia", "add_to_cart", start));
    Thread.sleep(JobTopics.IDLE_AFTER.multipliedBy(3).toMillis()); // every partition turns idle
    send(event("kim", "purchase", start + 10)); // in time: kim gets no reminder
    send(event("max", "page_view", start + 60)); // event time passes both reminders

    Predicate<TriggerFired> kimOrLia =
        t ->
            t.getRuleId().equals("abandoned-cart")
                && List.of("kim", "lia").contains(t.getCustomerId());
    assertThat(firings(kimOrLia, 1)).extracting(TriggerFired::getCustomerId).containsExactly("lia");
  }

  @Test
  @Order(5)
  void thresholdAndSegmentRulesFireOnProfileChanges() throws Exception {
    List<CustomerProfile> versions = new ArrayList<>();
    int[] scores = {70, 85, 90, 95};
    List<List<String>> segments =
        List.of(List.of(), List.of(), List.of("young-families"), List.of("young-families"));
    for (int v = 0; v < scores.length; v++) {
      versions.add(
          CustomerProfile.newBuilder()
              .setCustomerId("ivy")
              .setVersion(v + 1)
              .setFirstSeen(T0)
              .setLastSeen(T0.plus(Duration.ofMinutes(v)))
              .setUpdatedAt(Instant.now())
              .setLeadScore(new LeadScore(scores[v], "model", 1, List.of()))
              .setSegments(segments.get(v))
              .build());
    }
    topics.send(topics.catalog().profiles(), CustomerProfile::getCustomerId, versions);

    assertThat(firings(t -> t.getRuleId().equals("hot-lead"), 1))
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.getCustomerId()).isEqualTo("ivy");
              assertThat(t.getExplanation())
                  .contains("profile.leadScore.score = 85.0 crossed above 80");
            });
    assertThat(firings(t -> t.getRuleId().equals("new-parent"), 1))
        .extracting(t -> t.getCustomerId() + ": " + t.getExplanation())
        .containsExactly("ivy: entered segment young-families");
  }

  /**
   * A flight status whose departure is too far off to compute when to forget it makes the route
   * operator throw: the status goes to jobs.dlq through the real broker, once, and the job runs on
   * without a restart (a restart would replay the status and dead-letter it again, and until then
   * nothing would fire).
   */
  @Test
  @Order(6)
  void aRecordAnOperatorThrowsOnGoesToTheDeadLetterTopicAndTheJobGoesOn() throws Exception {
    FlightStatus poison =
        FlightStatus.newBuilder()
            .setEventId("poison-status")
            .setFlight(
                FlightSegment.newBuilder()
                    .setFlightKey("XX1/far-future")
                    .setCarrier("XX")
                    .setFlightNumber("1")
                    .setOrigin("AAA")
                    .setDestination("BBB")
                    .setScheduledDeparture(Instant.ofEpochMilli(Long.MAX_VALUE))
                    .setScheduledArrival(Instant.ofEpochMilli(Long.MAX_VALUE))
                    .build())
            .setStatus(FlightState.DELAYED)
            .setDelayMinutes(30)
            .setOccurredAt(Instant.now())
            .setReceivedAt(Instant.now())
            .build();
    topics.send(
        topics.catalog().flightStatus(), s -> s.getFlight().getFlightKey(), List.of(poison));

    List<DeadLetter> letters =
        topics.records(job, topics.catalog().jobsDlq(), d -> true, 1, Duration.ofSeconds(60));
    assertThat(letters)
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.getSource()).isEqualTo("route-schedule");
              assertThat(d.getKey()).isEqualTo("AAA-BBB");
              assertThat(d.getReason())
                  .startsWith("unexpected java.lang.ArithmeticException in route-schedule");
              assertThat(StandardCharsets.UTF_8.decode(d.getOriginalValue()).toString())
                  .contains("poison-status");
            });
    send(purchase("after-poison", 27 * 60, 10_000.0));
    assertThat(firings(t -> t.getCustomerId().equals("after-poison"), 1)).hasSize(1);
    assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
    assertThat(topics.records(job, topics.catalog().jobsDlq(), d -> true, 2, Duration.ofSeconds(3)))
        .as("dead letters after the job went on: one, so no restart replayed the status")
        .hasSize(1);
  }

  /**
   * Bytes on the touchpoints topic that are not a touchpoint (not even the registry's wire format)
   * cannot be read by the source: they go to jobs.dlq as they were, with where they were read, and
   * the next touchpoint fires (before, the source failed the job, whose restore read them again).
   */
  @Test
  @Order(7)
  void aRecordTheSourceCannotReadGoesToTheDeadLetterTopicAndTheJobGoesOn() throws Exception {
    byte[] garbage = "{\"not\": \"avro\"}".getBytes(StandardCharsets.UTF_8);
    topics.sendBytes(topics.catalog().touchpoints(), "garbled", garbage);

    String source = topics.catalog().touchpoints().name() + " source";
    List<DeadLetter> letters =
        topics.records(
            job,
            topics.catalog().jobsDlq(),
            d -> d.getSource().equals(source),
            1,
            Duration.ofSeconds(60));
    assertThat(letters)
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.getKey()).isEqualTo("garbled");
              assertThat(d.getLocation()).startsWith(topics.catalog().touchpoints().name() + "-");
              assertThat(d.getReason()).startsWith("cannot read the record: ");
              assertThat(d.getOriginalValue()).isEqualTo(java.nio.ByteBuffer.wrap(garbage));
            });
    send(purchase("after-garbage", 28 * 60, 10_000.0));
    assertThat(firings(t -> t.getCustomerId().equals("after-garbage"), 1)).hasSize(1);
    assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
  }

  /**
   * Profiles age with event time: a customer who bought once and sent nothing for 61 days (while
   * another customer's touchpoint moves event time on) enters the lapsed segment, and the win-back
   * rule fires for them, with no touchpoint of theirs after the purchase. Last, as it moves event
   * time two months on.
   */
  @Test
  @Order(8)
  void aCustomerQuietFor61DaysEntersTheLapsedSegmentAndTheWinBackRuleFires() throws Exception {
    Touchpoint bought = purchase("lapsing", 29 * 60, 80.0);
    send(bought);
    topics.records(
        job,
        topics.catalog().profiles(),
        p -> p.getCustomerId().equals("lapsing"),
        1,
        Duration.ofSeconds(60));
    Touchpoint later = event("someone-else", "page_view", 29 * 60 + 61 * 24 * 60 + 60);
    send(later);

    // the earlier tests' buyers lapse too, each on their own day 61; lapsing once, on its own
    assertThat(
            firings(
                t -> t.getRuleId().equals("win-back") && t.getCustomerId().equals("lapsing"), 1))
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.getExplanation()).isEqualTo("entered segment lapsed");
              assertThat(t.getOccurredAt())
                  .isEqualTo(bought.getOccurredAt().plus(Duration.ofDays(61)));
            });
  }

  /** Sends probe purchases until one fires under the version: it has reached the operator. */
  private static void awaitBigPurchaseVersion(int version) throws Exception {
    for (int attempt = 0; attempt < 20; attempt++) {
      String probe = "probe-" + version + "-" + attempt;
      send(purchase(probe, 3, 10_000.0));
      Predicate<TriggerFired> fired =
          t ->
              t.getRuleId().equals("big-purchase")
                  && t.getCustomerId().equals(probe)
                  && t.getRuleVersion() == version;
      if (!topics.firings(job, fired, 1, Duration.ofSeconds(3)).isEmpty()) {
        return;
      }
    }
    throw new AssertionError("big-purchase v" + version + " never reached the job");
  }

  private static String bigPurchase(int bound) {
    return """
        id: big-purchase
        name: Big purchase
        when: {kind: event, condition: "event.type == 'purchase' && event.amount > %d.0"}
        action: {code: THANK_YOU}
        """
        .formatted(bound);
  }

  private static Touchpoint purchase(String customer, int minutes, double amount) {
    Touchpoint event = event(customer, "purchase", minutes);
    event.setAmount(amount);
    return event;
  }

  private static Touchpoint event(String customer, String type, int minutes) {
    Instant at = T0.plus(Duration.ofMinutes(minutes));
    return Touchpoint.newBuilder()
        .setEventId(customer + "-" + type + "-" + minutes)
        .setCustomerId(customer)
        .setType(type)
        .setChannel("web")
        .setSource("it")
        .setOccurredAt(at)
        .setReceivedAt(Instant.now())
        .build();
  }

  private static void send(Touchpoint event) throws Exception {
    topics.send(topics.catalog().touchpoints(), Touchpoint::getCustomerId, List.of(event));
  }

  private static List<TriggerFired> firings(Predicate<TriggerFired> filter, int atLeast) {
    return topics.firings(job, filter, atLeast, Duration.ofSeconds(60));
  }
}
