package dev.engage.jobs.decisions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engage.avro.ActionOutcome;
import dev.engage.avro.Cause;
import dev.engage.avro.CustomerProfile;
import dev.engage.avro.Decision;
import dev.engage.avro.ErasureRequest;
import dev.engage.avro.NextBestActions;
import dev.engage.avro.Notification;
import dev.engage.avro.Preferences;
import dev.engage.avro.PropensityCounts;
import dev.engage.avro.Response;
import dev.engage.avro.ResponseType;
import dev.engage.avro.RuleRecord;
import dev.engage.avro.TriggerFired;
import dev.engage.jobs.DeadLetterOutput;
import dev.engage.jobs.triggers.RuleChange;
import dev.engage.rules.decisions.DecisionIds;
import dev.engage.rules.decisions.DecisionSettings;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The decisions operator alone, with Flink's test harness on processing time. */
class DecisionOperatorTest {
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private static final Instant NOON = berlin("2026-12-02T12:00");
  private static final Duration PROFILE_TTL = Duration.ofDays(90);
  private static final String CART =
      """
      id: cart
      name: Abandoned cart
      when: {kind: absence, first: "event.type == 'add_to_cart'", not: "event.type == 'purchase'", within: 30m}
      action: {code: CART_REMINDER, notify: preferred, template: "Still thinking about {{event.attributes.product}}?", ttl: 24h}
      policy: {cooldown: 1d}
      """;
  private static final String REBOOK =
      """
      id: rebook
      name: Rebook
      when: {kind: event, condition: "event.type == 'flight_disruption'"}
      action: {code: REBOOK_OFFER, notify: sms, template: "{{event.attributes.summary}}", priority: 90, ttl: 12h}
      """;

  private KeyedBroadcastOperatorTestHarness<
          String, DecisionInput, DecisionBroadcast, NextBestActions>
      harness;

  @BeforeEach
  void setUp() throws Exception {
    harness =
        ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
            new DecisionOperator(DecisionSettings.defaults(), PROFILE_TTL),
            DecisionInput::customerId,
            Types.STRING,
            DecisionDescriptors.DEFINITIONS,
            DecisionDescriptors.PROPENSITIES);
    harness.setProcessingTime(NOON.toEpochMilli());
    harness.processBroadcastElement(
        DecisionBroadcast.of(new RuleChange("cart", record("cart", "rule", CART))), 0);
    harness.processBroadcastElement(
        DecisionBroadcast.of(new RuleChange("rebook", record("rebook", "rule", REBOOK))), 0);
  }

  @AfterEach
  void tearDown() throws Exception {
    harness.close();
  }

  @Test
  void aProfileWithoutANewVersionForTheTimeToLiveGoesAndLeavesNothing() throws Exception {
    harness.processElement(DecisionInput.of(profile("ann", 1, null, null)), 0);
    assertThat(keyedStateEntries()).isEqualTo(2); // the profile, and when it goes
    harness.setProcessingTime(NOON.plus(Duration.ofDays(30)).toEpochMilli());
    harness.processElement(DecisionInput.of(profile("ann", 2, null, null)), 0); // moves the end

    harness.setProcessingTime(NOON.plus(PROFILE_TTL).plus(Duration.ofDays(1)).toEpochMilli());
    assertThat(keyedStateEntries()).isEqualTo(2);
    harness.setProcessingTime(
        NOON.plus(Duration.ofDays(30))
            .plus(PROFILE_TTL)
            .plus(Duration.ofMinutes(2))
            .toEpochMilli());

    assertThat(keyedStateEntries()).isZero();
    assertThat(harness.numProcessingTimeTimers()).isZero();
  }

  @Test
  void aFiringTheOperatorThrowsOnBecomesADeadLetterAndTheNextIsDecided() throws Exception {
    TriggerFired broken = fired("f0", "cart", NOON, Map.of());
    broken.setCauses(null); // a firing without its causes list: an NPE in the operator

    harness.processElement(DecisionInput.of(broken), 0);
    harness.processElement(DecisionInput.of(fired("f1", "cart", NOON, Map.of())), 0);

    assertThat(harness.getSideOutput(DeadLetterOutput.DEAD_LETTERS))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getValue().getSource()).isEqualTo("decisions");
              assertThat(r.getValue().getKey()).isEqualTo("ann");
              assertThat(r.getValue().getReason()).contains("NullPointerException in decisions");
            });
    assertThat(lastList().getActions()).hasSize(1);
  }

  @Test
  void aFiredRuleOpensARankedActionWithItsReasonAndNotifiesOnceAfterTheHold() throws Exception {
    harness.processElement(
        DecisionInput.of(fired("f1", "cart", NOON, Map.of("event.attributes.product", "shoes"))),
        0);

    NextBestActions list = lastList();
    assertThat(list.getVersion()).isEqualTo(1);
    assertThat(list.getActions())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.getCode()).isEqualTo("CART_REMINDER");
              assertThat(a.getMessage()).isEqualTo("Still thinking about shoes?");
              assertThat(a.getReason())
                  .startsWith(
                      "Rule cart v1 fired: no purchase (event.attributes.product=shoes); score ");
            });
    assertThat(notifications()).isEmpty();

    harness.setProcessingTime(NOON.plusSeconds(5).toEpochMilli());

    assertThat(notifications())
        .singleElement()
        .satisfies(
            n -> {
              assertThat(n.getChannel()).isEqualTo("in_app");
              assertThat(n.getNotificationId())
                  .isEqualTo(DecisionIds.notification(list.getActions().get(0).getActionId()));
              assertThat(n.getBody()).isEqualTo("Still thinking about shoes?");
            });
    harness.processElement(DecisionInput.of(fired("f1", "cart", NOON, Map.of())), 0);
    harness.setProcessingTime(NOON.plusSeconds(60).toEpochMilli());
    assertThat(notifications()).hasSize(1);
  }

  @Test
  void aRuleFiringAgainSupersedesItsOpenActionAndItsHeldNotification() throws Exception {
    for (int i = 1; i <= 50; i++) {
      harness.processElement(
          DecisionInput.of(fired("f" + i, "cart", NOON.plusMillis(i), Map.of())), 0);
    }
    harness.processElement(DecisionInput.of(fired("r1", "rebook", NOON, Map.of())), 0);

    String newest = DecisionIds.action("ann", "f50");
    assertThat(lastList().getActions())
        .extracting(a -> a.getActionId())
        .containsExactlyInAnyOrder(newest, DecisionIds.action("ann", "r1"));
    harness.setProcessingTime(NOON.plusSeconds(60).toEpochMilli());
    Set<String> cartNotifications = new HashSet<>();
    for (int i = 1; i <= 50; i++) {
      cartNotifications.add(DecisionIds.notification(DecisionIds.action("ann", "f" + i)));
    }
    assertThat(notifications())
        .extracting(Notification::getNotificationId)
        .filteredOn(cartNotifications::contains)
        .as("one notification of the cart rule: the newest firing's")
        .containsExactly(DecisionIds.notification(newest));
    assertThat(outcomes()).as("a superseded action is neither a success nor a failure").isEmpty();
  }

  @Test
  void anAcceptedActionLeavesTheListAtOnceAndNothingIsLeftOnceItsHistoryIsForgotten()
      throws Exception {
    harness.processElement(DecisionInput.of(fired("f1", "cart", NOON, Map.of())), 0);
    harness.setProcessingTime(NOON.plusSeconds(5).toEpochMilli());
    String actionId = lastList().getActions().get(0).getActionId();

    harness.processElement(
        DecisionInput.of(response(actionId, ResponseType.ACCEPTED, NOON.plusSeconds(10))), 0);

    assertThat(lastList().getActions()).isEmpty();
    assertThat(lastList().getVersion()).isEqualTo(2);
    assertThat(harness.numProcessingTimeTimers()).isEqualTo(1); // forgetting the send in 8 days
    harness.setProcessingTime(NOON.plus(Duration.ofDays(9)).toEpochMilli());
    assertThat(harness.numProcessingTimeTimers()).isZero();
    assertThat(keyedStateEntries()).isZero();
  }

  @Test
  void aCustomerWhoseDecisionsEndedGetsListsAndDecisionsNumberedAfterTheEarlierOnes()
      throws Exception {
    harness.processElement(DecisionInput.of(fired("f1", "cart", NOON, Map.of())), 0);
    harness.setProcessingTime(NOON.plusSeconds(5).toEpochMilli());
    String actionId = lastList().getActions().get(0).getActionId();
    harness.processElement(
        DecisionInput.of(response(actionId, ResponseType.ACCEPTED, NOON.plusSeconds(10))), 0);
    harness.setProcessingTime(NOON.plus(Duration.ofDays(9)).toEpochMilli());
    assertThat(keyedStateEntries()).isZero(); // the decisions ended
    long lastVersion = lastList().getVersion();
    List<String> earlierDecisions = decisions().stream().map(Decision::getDecisionId).toList();

    Instant later = NOON.plus(Duration.ofDays(10));
    harness.processElement(
        DecisionInput.of(fired("f2", "cart", later, Map.of())), later.toEpochMilli());

    assertThat(lastList().getVersion())
        .as("a version not newer would be dropped by Redis and the actions topic's readers")
        .isGreaterThan(lastVersion);
    assertThat(lastList().getActions()).hasSize(1);
    assertThat(decisions().get(decisions().size() - 1).getDecisionId()).isNotIn(earlierDecisions);
  }

  @Test
  void anActionExpiresOnATimerAtItsTtlAndCountsAsAFailure() throws Exception {
    harness.processElement(DecisionInput.of(fired("f1", "cart", NOON, Map.of())), 0);

    harness.setProcessingTime(NOON.plus(Duration.ofHours(24)).toEpochMilli());

    assertThat(lastList().getActions()).isEmpty();
    assertThat(outcomes())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.getCode()).isEqualTo("CART_REMINDER");
              assertThat(o.getSuccess()).isFalse();
              assertThat(o.getSegments()).containsExactly("*", "~treated");
            });
  }

  @Test
  void learnedPropensitiesReorderTheList() throws Exception {
    harness.processElement(DecisionInput.of(fired("f1", "cart", NOON, Map.of())), 0);
    harness.processElement(DecisionInput.of(fired("f2", "rebook", NOON, Map.of())), 0);
    assertThat(lastList().getActions().get(0).getCode()).isEqualTo("REBOOK_OFFER");

    harness.processBroadcastElement(
        DecisionBroadcast.of(new PropensityCounts("REBOOK_OFFER", "*", 0L, 200L, NOON)), 0);
    harness.processBroadcastElement(
        DecisionBroadcast.of(new PropensityCounts("CART_REMINDER", "*", 200L, 0L, NOON)), 0);
    harness.processElement(DecisionInput.of(profile("ann", 1, null, null)), 0);

    assertThat(lastList().getActions().get(0).getCode()).isEqualTo("CART_REMINDER");
  }

  @Test
  void aDismissalIsAFailureOfTheActionInTheCustomersSegments() throws Exception {
    harness.processElement(DecisionInput.of(profile("ann", 1, null, null)), 0);
    harness.processElement(DecisionInput.of(fired("f1", "cart", NOON, Map.of())), 0);
    String actionId = lastList().getActions().get(0).getActionId();

    harness.processElement(
        DecisionInput.of(response(actionId, ResponseType.DISMISSED, NOON.plusSeconds(1))), 0);

    assertThat(lastList().getActions()).isEmpty();
    assertThat(outcomes())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.getSuccess()).isFalse();
              assertThat(o.getSegments()).containsExactly("*", "travellers", "~treated");
            });
  }

  @Test
  void aCustomerWithQuietHoursIsNotifiedAt0700BerlinNotAt2330() throws Exception {
    Instant late = berlin("2026-12-02T23:30");
    harness.setProcessingTime(late.toEpochMilli());
    harness.processElement(DecisionInput.of(profile("ann", 1, "22:00", "07:00")), 0);
    harness.processElement(
        DecisionInput.of(
            fired(
                "f2", "rebook", late, Map.of("event.attributes.summary", "LH400 delayed 150 min"))),
        0);

    harness.setProcessingTime(berlin("2026-12-03T06:59").toEpochMilli());
    assertThat(notifications()).isEmpty();
    assertThat(decisions())
        .anySatisfy(
            d ->
                assertThat(d.getNotifications())
                    .singleElement()
                    .satisfies(
                        n -> {
                          assertThat(n.getVerdict()).isEqualTo("DEFER");
                          assertThat(n.getReason()).isEqualTo("QUIET_HOURS");
                          assertThat(n.getUntil()).isEqualTo(berlin("2026-12-03T07:00"));
                        }));

    harness.setProcessingTime(berlin("2026-12-03T07:00").toEpochMilli());
    assertThat(notifications())
        .singleElement()
        .satisfies(
            n -> {
              assertThat(n.getChannel()).isEqualTo("sms");
              assertThat(n.getBody()).isEqualTo("LH400 delayed 150 min");
            });
  }

  @Test
  void anErasedCustomerLeavesNoStateAndNoTimer() throws Exception {
    harness.processElement(DecisionInput.of(profile("ann", 1, null, null)), 0);
    harness.processElement(DecisionInput.of(fired("f1", "cart", NOON, Map.of())), 0);

    harness.processElement(DecisionInput.of(new ErasureRequest("e1", "ann", "it", NOON)), 0);

    assertThat(keyedStateEntries()).isZero();
    assertThat(harness.numProcessingTimeTimers()).isZero();
  }

  private int keyedStateEntries() {
    return ((HeapKeyedStateBackend<?>) harness.getOperator().getKeyedStateBackend())
        .numKeyValueStateEntries();
  }

  private NextBestActions lastList() {
    List<NextBestActions> lists = harness.extractOutputValues();
    return lists.get(lists.size() - 1);
  }

  private List<Notification> notifications() {
    var out = harness.getSideOutput(DecisionDescriptors.NOTIFICATIONS);
    return out == null ? List.of() : out.stream().map(StreamRecord::getValue).toList();
  }

  private List<ActionOutcome> outcomes() {
    var out = harness.getSideOutput(DecisionDescriptors.OUTCOMES);
    return out == null ? List.of() : out.stream().map(StreamRecord::getValue).toList();
  }

  private List<Decision> decisions() {
    var out = harness.getSideOutput(DecisionDescriptors.DECISIONS);
    return out == null ? List.of() : out.stream().map(StreamRecord::getValue).toList();
  }

  private static TriggerFired fired(
      String id, String rule, Instant at, Map<String, String> values) {
    return TriggerFired.newBuilder()
        .setEventId(id)
        .setCustomerId("ann")
        .setRuleId(rule)
        .setRuleVersion(1)
        .setRuleKind("event")
        .setActionCode("X")
        .setExplanation("no purchase")
        .setValues(values)
        .setCauses(List.of(new Cause("ev-" + id, "add_to_cart", at)))
        .setOccurredAt(at)
        .setFiredAt(at)
        .build();
  }

  private static Response response(String actionId, ResponseType type, Instant at) {
    return Response.newBuilder()
        .setEventId("r-" + actionId)
        .setCustomerId("ann")
        .setType(type)
        .setActionId(actionId)
        .setOccurredAt(at)
        .setReceivedAt(at)
        .build();
  }

  private static CustomerProfile profile(
      String id, long version, String quietFrom, String quietUntil) {
    return CustomerProfile.newBuilder()
        .setCustomerId(id)
        .setVersion(version)
        .setFirstSeen(NOON)
        .setLastSeen(NOON)
        .setUpdatedAt(NOON)
        .setSegments(List.of("travellers"))
        .setPreferences(
            Preferences.newBuilder()
                .setConsentSms(true)
                .setPreferredChannel("sms")
                .setQuietHoursStart(quietFrom)
                .setQuietHoursEnd(quietUntil)
                .setTimeZone("Europe/Berlin")
                .build())
        .build();
  }

  private static RuleRecord record(String id, String kind, String source) {
    return RuleRecord.newBuilder()
        .setId(id)
        .setKind(kind)
        .setVersion(1)
        .setSource(source)
        .setUpdatedAt(NOON)
        .build();
  }

  private static Instant berlin(String local) {
    return LocalDateTime.parse(local).atZone(BERLIN).toInstant();
  }
}
