package dev.engage.jobs.triggers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engage.avro.CustomerProfile;
import dev.engage.avro.LeadScore;
import dev.engage.avro.RuleRecord;
import dev.engage.avro.Touchpoint;
import dev.engage.avro.TriggerFired;
import dev.engage.jobs.DeadLetterOutput;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The trigger operator alone, with Flink's test harness: timers and state come and go. */
class TriggerEvaluatorTest {
  private static final Instant T0 = Instant.parse("2026-11-23T08:00:00Z");
  private static final Duration TIME_TO_LIVE = Duration.ofDays(90);
  private static final String THREE_VIEWS =
      """
      id: three-views
      name: Three views
      when: {kind: count, match: "event.type == 'page_view'", atLeast: 3, within: 1h}
      action: {code: BROWSING}
      """;
  private static final String WELCOME_BACK =
      """
      id: welcome-back
      name: Welcome back
      when: {kind: event, condition: "event.type == 'app_open'"}
      action: {code: WELCOME_BACK}
      policy: {cooldown: 3d}
      """;
  private static final String ABSENCE =
      """
      id: abandoned-cart
      name: Abandoned cart
      when: {kind: absence, first: "event.type == 'add_to_cart'", not: "event.type == 'purchase'", within: 30m}
      action: {code: CART_REMINDER}
      """;

  private static final String HOT_LEAD =
      """
      id: hot-lead
      name: Hot lead
      when: {kind: threshold, value: "profile.leadScore.score", above: 80}
      action: {code: CALL_LEAD}
      """;
  private static final String NEW_PARENT =
      """
      id: new-parent
      name: New parent
      audience: "has(profile.leadScore) && profile.leadScore.score >= 50"
      when: {kind: segment, segment: young-families, on: enter}
      action: {code: BABY_CLUB}
      """;
  private static final String LAPSED_PARENT =
      """
      id: lapsed-parent
      name: Lapsed parent
      when: {kind: segment, segment: young-families, on: leave}
      action: {code: WIN_BACK}
      """;

  private KeyedBroadcastOperatorTestHarness<String, CustomerInput, RuleChange, TriggerFired>
      harness;

  private long profileVersion;

  @BeforeEach
  void setUp() throws Exception {
    harness =
        ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
            new TriggerEvaluator(RulesAtStart.none(), TIME_TO_LIVE),
            CustomerInput::customerId,
            Types.STRING,
            TriggerDescriptors.RULES,
            TriggerDescriptors.RULES_READ);
    harness.processBroadcastElement(
        new RuleChange("abandoned-cart", record("abandoned-cart", 1, ABSENCE)), 0);
    // as in the job: the rules stream never holds back event time
    harness.processBroadcastWatermark(Long.MAX_VALUE);
  }

  @AfterEach
  void tearDown() throws Exception {
    harness.close();
  }

  @Test
  void anAbsenceCaseClosedInTimeLeavesNoTimerAndNoState() throws Exception {
    harness.processElement(event("ann", "add_to_cart", 0), millis(0));
    assertThat(harness.numEventTimeTimers()).isEqualTo(1);
    assertThat(keyedStateEntries()).isEqualTo(2); // the case, and when the customer is evicted

    harness.processElement(event("ann", "purchase", 10), millis(10));

    assertThat(harness.numEventTimeTimers()).isZero();
    assertThat(keyedStateEntries()).isZero();
    harness.processWatermark(millis(60));
    assertThat(harness.extractOutputValues()).isEmpty();
  }

  @Test
  void aTouchpointTheOperatorThrowsOnBecomesADeadLetterAndTheNextIsEvaluated() throws Exception {
    CustomerInput broken = event("ann", "add_to_cart", 0);
    // a touchpoint without a time (which its setter refuses): an NPE in evaluation
    broken.touchpoint.put(Touchpoint.SCHEMA$.getField("occurredAt").pos(), null);

    harness.processElement(broken, millis(0));
    harness.processElement(event("bob", "add_to_cart", 0), millis(0));

    assertThat(harness.getSideOutput(DeadLetterOutput.DEAD_LETTERS))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getValue().getSource()).isEqualTo("trigger-evaluator");
              assertThat(r.getValue().getKey()).isEqualTo("ann");
              assertThat(r.getValue().getReason())
                  .startsWith("unexpected java.lang.NullPointerException in trigger-evaluator");
              assertThat(StandardCharsets.UTF_8.decode(r.getValue().getOriginalValue()).toString())
                  .startsWith("{\"touchpoint\": {\"eventId\": \"ann-add_to_cart-0\"");
            });
    assertThat(harness.numEventTimeTimers()).isEqualTo(1); // bob's case is open
    harness.processWatermark(millis(30));
    assertThat(harness.extractOutputValues())
        .extracting(TriggerFired::getCustomerId)
        .containsExactly("bob");
  }

  @Test
  void anAbsenceCaseFiresOnceTheWatermarkPassesAndIsThenForgotten() throws Exception {
    harness.processElement(event("ann", "add_to_cart", 0), millis(0));

    harness.processWatermark(millis(29));
    assertThat(harness.extractOutputValues()).isEmpty();
    harness.processWatermark(millis(30));

    assertThat(harness.extractOutputValues())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.getRuleId()).isEqualTo("abandoned-cart");
              assertThat(t.getRuleVersion()).isEqualTo(1);
              assertThat(t.getActionCode()).isEqualTo("CART_REMINDER");
              assertThat(t.getCauses())
                  .extracting(c -> c.getEventId())
                  .containsExactly("ann-add_to_cart-0");
            });
    assertThat(harness.numEventTimeTimers()).isZero();
    assertThat(keyedStateEntries()).isZero();
  }

  @Test
  void deletingARuleRemovesEveryCustomersStateForIt() throws Exception {
    harness.processElement(event("ann", "add_to_cart", 0), millis(0));
    harness.processElement(event("bob", "add_to_cart", 0), millis(0));
    assertThat(keyedStateEntries()).isEqualTo(4); // a case and an eviction time each

    harness.processBroadcastElement(new RuleChange("abandoned-cart", null), millis(1));
    harness.processWatermark(millis(60));

    // the cases' own timers, which then find nothing, take the eviction times with them
    assertThat(keyedStateEntries()).isZero();
    assertThat(harness.numProcessingTimeTimers()).isZero();
    assertThat(harness.extractOutputValues()).isEmpty();
  }

  @Test
  void aDisabledRuleDoesNotFire() throws Exception {
    RuleRecord disabled = record("abandoned-cart", 2, ABSENCE);
    disabled.setEnabled(false);
    harness.processBroadcastElement(new RuleChange("abandoned-cart", disabled), 0);

    harness.processElement(event("ann", "add_to_cart", 0), millis(0));
    harness.processWatermark(millis(60));

    assertThat(harness.extractOutputValues()).isEmpty();
    assertThat(keyedStateEntries()).isZero();
  }

  @Test
  void aThresholdFiresOnCrossingNotWhileItStaysAboveAndAgainAfterComingBack() throws Exception {
    harness.processBroadcastElement(new RuleChange("hot-lead", record("hot-lead", 1, HOT_LEAD)), 0);

    for (int score : new int[] {70, 85, 90, 60, 88}) {
      harness.processElement(profile("ann", score, List.of()), 0);
    }

    assertThat(harness.extractOutputValues())
        .extracting(t -> t.getValues().get("value"))
        .containsExactly("85.0", "88.0");
  }

  @Test
  void segmentRulesFireOnEnteringAndLeavingAndAudiencesReadTheProfile() throws Exception {
    harness.processBroadcastElement(
        new RuleChange("new-parent", record("new-parent", 1, NEW_PARENT)), 0);
    harness.processBroadcastElement(
        new RuleChange("lapsed-parent", record("lapsed-parent", 1, LAPSED_PARENT)), 0);

    harness.processElement(profile("ann", 10, List.of("young-families")), 0); // score too low
    harness.processElement(profile("bob", 10, List.of()), 0);
    harness.processElement(profile("bob", 60, List.of("young-families")), 0);
    harness.processElement(profile("bob", 60, List.of("young-families", "frequent")), 0);
    harness.processElement(profile("bob", 60, List.of("frequent")), 0);

    assertThat(harness.extractOutputValues())
        .extracting(t -> t.getCustomerId() + " " + t.getRuleId())
        .containsExactly("bob new-parent", "bob lapsed-parent");
  }

  @Test
  void aBacklogOlderThanTheRulesIsHeldUntilTheRulesAreReadThenEvaluatedAgainstThem()
      throws Exception {
    // a first start: the rules topic's last record is at partition 0, offset 1
    var starting =
        ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
            new TriggerEvaluator(RulesAtStart.of(Map.of(0, 1L)), TIME_TO_LIVE),
            CustomerInput::customerId,
            Types.STRING,
            TriggerDescriptors.RULES,
            TriggerDescriptors.RULES_READ);
    try (starting) {
      starting.processBroadcastWatermark(Long.MAX_VALUE);
      // the backlog reaches the operator first: a cart never followed by a purchase
      starting.processElement(event("ann", "add_to_cart", 0), millis(0));
      starting.processElement(event("ann", "page_view", 5), millis(5));
      starting.processWatermark(millis(60));
      starting.processBroadcastElement(
          RuleChange.read("hot-lead", record("hot-lead", 1, HOT_LEAD), 0, 0), 0);
      starting.setProcessingTime(1_000);
      assertThat(starting.extractOutputValues()).isEmpty(); // held, not evaluated against no rules

      starting.processBroadcastElement(
          RuleChange.read("abandoned-cart", record("abandoned-cart", 1, ABSENCE), 0, 1), 0);
      starting.setProcessingTime(2_000);
      starting.processWatermark(millis(61));

      assertThat(starting.extractOutputValues())
          .singleElement()
          .satisfies(
              t -> {
                assertThat(t.getRuleId()).isEqualTo("abandoned-cart");
                assertThat(t.getCauses())
                    .extracting(c -> c.getEventId())
                    .containsExactly("ann-add_to_cart-0");
              });
      assertThat(starting.numProcessingTimeTimers()).isZero();
      assertThat(starting.numEventTimeTimers()).isZero();
      assertThat(
              ((HeapKeyedStateBackend<?>) starting.getOperator().getKeyedStateBackend())
                  .numKeyValueStateEntries())
          .isZero();
    }
  }

  @Test
  void heldInputsAreEvaluatedWhenABoundedInputEndsBeforeTheRecheckComes() throws Exception {
    var starting =
        ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
            new TriggerEvaluator(RulesAtStart.of(Map.of(0, 0L)), TIME_TO_LIVE),
            CustomerInput::customerId,
            Types.STRING,
            TriggerDescriptors.RULES,
            TriggerDescriptors.RULES_READ);
    try (starting) {
      starting.processElement(event("ann", "app_open", 0), millis(0));
      starting.processBroadcastElement(
          RuleChange.read("welcome-back", record("welcome-back", 1, WELCOME_BACK), 0, 0), 0);
      // the end of every input, no processing time passing in between
      starting.processBroadcastWatermark(Long.MAX_VALUE);
      starting.processWatermark(Long.MAX_VALUE);

      assertThat(starting.extractOutputValues())
          .extracting(TriggerFired::getRuleId)
          .containsExactly("welcome-back");
    }
  }

  @Test
  void aHeldTouchpointTheOperatorThrowsOnWhenATimerReleasesItIsADeadLetterAndTheNextIsEvaluated()
      throws Exception {
    var starting =
        ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
            new TriggerEvaluator(RulesAtStart.of(Map.of(0, 0L)), TIME_TO_LIVE),
            CustomerInput::customerId,
            Types.STRING,
            TriggerDescriptors.RULES,
            TriggerDescriptors.RULES_READ);
    try (starting) {
      starting.processBroadcastWatermark(Long.MAX_VALUE);
      CustomerInput broken = event("ann", "add_to_cart", 0);
      broken.touchpoint.put("occurredAt", null); // a touchpoint without its time: an NPE here
      starting.processElement(broken, millis(0));
      starting.processElement(event("ann", "add_to_cart", 1), millis(1));
      starting.processBroadcastElement(
          RuleChange.read("abandoned-cart", record("abandoned-cart", 1, ABSENCE), 0, 0), 0);

      starting.setProcessingTime(1_000); // the timer that hands the held inputs on
      starting.processWatermark(millis(40));

      assertThat(starting.getSideOutput(DeadLetterOutput.DEAD_LETTERS))
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.getValue().getSource()).isEqualTo("trigger-evaluator");
                assertThat(r.getValue().getKey()).isEqualTo("ann");
              });
      assertThat(starting.extractOutputValues())
          .singleElement()
          .satisfies(
              t ->
                  assertThat(t.getCauses())
                      .extracting(c -> c.getEventId())
                      .containsExactly("ann-add_to_cart-1"));
    }
  }

  @Test
  void aCustomerWhoNeverComesBackLeavesNoProfileCaseCooldownOrTimerAfterTheTimeToLive()
      throws Exception {
    harness.processBroadcastElement(new RuleChange("hot-lead", record("hot-lead", 1, HOT_LEAD)), 0);
    harness.processBroadcastElement(
        new RuleChange("three-views", record("three-views", 1, THREE_VIEWS)), 0);
    harness.processBroadcastElement(
        new RuleChange("welcome-back", record("welcome-back", 1, WELCOME_BACK)), 0);
    harness.setProcessingTime(0);
    harness.processElement(profile("ann", 90, List.of()), 0); // past the threshold
    harness.processElement(event("ann", "page_view", 0), millis(0)); // one view of three
    harness.processElement(event("ann", "app_open", 1), millis(1)); // fires, cooldown runs
    harness.processElement(event("ann", "add_to_cart", 2), millis(2)); // an absence case
    assertThat(harness.extractOutputValues())
        .extracting(TriggerFired::getRuleId)
        .containsExactlyInAnyOrder("hot-lead", "welcome-back");
    assertThat(harness.numProcessingTimeTimers()).isEqualTo(1); // the eviction

    // still alive a day before the time-to-live ends: an input moves it on
    harness.setProcessingTime(TIME_TO_LIVE.minusDays(1).toMillis());
    harness.processElement(event("ann", "page_view", 3), millis(3));
    harness.setProcessingTime(TIME_TO_LIVE.plusMinutes(2).toMillis());
    assertThat(keyedStateEntries()).isGreaterThan(1);

    harness.processWatermark(millis(60)); // the absence case fires and ends by its own timer
    harness.setProcessingTime(TIME_TO_LIVE.multipliedBy(3).toMillis());
    assertThat(harness.extractOutputValues())
        .extracting(TriggerFired::getRuleId)
        .contains("abandoned-cart");
    assertThat(harness.numEventTimeTimers()).isZero();
    assertThat(harness.numProcessingTimeTimers()).isZero();
    assertThat(keyedStateEntries()).isZero();
  }

  @Test
  void anEvictionKeepsAPendingAbsenceCaseUntilItsOwnTimerEndsIt() throws Exception {
    harness.setProcessingTime(0);
    harness.processElement(event("ann", "add_to_cart", 0), millis(0));
    harness.setProcessingTime(TIME_TO_LIVE.plusMinutes(2).toMillis());
    assertThat(harness.numEventTimeTimers()).isEqualTo(1);
    assertThat(keyedStateEntries()).isEqualTo(1);

    harness.processWatermark(millis(30));

    assertThat(harness.extractOutputValues())
        .extracting(TriggerFired::getRuleId)
        .containsExactly("abandoned-cart");
    assertThat(harness.numEventTimeTimers()).isZero();
    assertThat(harness.numProcessingTimeTimers()).isZero();
    assertThat(keyedStateEntries()).isZero();
  }

  /** Entries of per-customer state, over all customers and rules (the heap backend counts them). */
  private int keyedStateEntries() {
    return ((HeapKeyedStateBackend<?>) harness.getOperator().getKeyedStateBackend())
        .numKeyValueStateEntries();
  }

  private static RuleRecord record(String id, int version, String source) {
    return RuleRecord.newBuilder()
        .setId(id)
        .setKind("rule")
        .setVersion(version)
        .setSource(source)
        .setUpdatedAt(T0)
        .build();
  }

  private static long millis(int minutes) {
    return T0.plus(Duration.ofMinutes(minutes)).toEpochMilli();
  }

  /** A new profile version (versions rise with each call) with this lead score and segments. */
  private CustomerInput profile(String customer, int score, List<String> segments) {
    return CustomerInput.of(
        CustomerProfile.newBuilder()
            .setCustomerId(customer)
            .setVersion(++profileVersion)
            .setFirstSeen(T0)
            .setLastSeen(T0.plus(Duration.ofMinutes(profileVersion)))
            .setUpdatedAt(T0)
            .setLeadScore(new LeadScore(score, "model", 1, List.of()))
            .setSegments(segments)
            .build());
  }

  private static CustomerInput event(String customer, String type, int minutes) {
    Instant at = T0.plus(Duration.ofMinutes(minutes));
    return CustomerInput.of(
        Touchpoint.newBuilder()
            .setEventId(customer + "-" + type + "-" + minutes)
            .setCustomerId(customer)
            .setType(type)
            .setChannel("web")
            .setSource("test")
            .setOccurredAt(at)
            .setReceivedAt(at)
            .build());
  }
}
