package dev.engage.rules.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engage.avro.CustomerProfile;
import dev.engage.avro.LeadScore;
import dev.engage.avro.Preferences;
import dev.engage.avro.Touchpoint;
import dev.engage.rules.cel.ConditionCompiler;
import dev.engage.rules.definition.Rule;
import dev.engage.rules.definition.RuleParser;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RuleEvaluatorTest {
  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
  private final RuleParser parser = new RuleParser(new ConditionCompiler());
  private final RuleEvaluator evaluator = new RuleEvaluator();
  private final RuleState state = new RuleState();
  private final CustomerProfile profile = profile(0);

  @Test
  void aConditionsRuntimeErrorIsReportedPerRuleButMissingDataIsNot() {
    List<String> failed = new ArrayList<>();
    RuleEvaluator reporting = new RuleEvaluator(new AudienceAnswers(0), r -> failed.add(r.id()));
    Rule divides = eventRule("divides", "1 / size(event.attributes) > 0");
    Rule badTime = eventRule("bad-time", "timestamp(event.type) < now");
    Rule missingKey = eventRule("missing-key", "event.attributes['coupon'] == 'x'");
    Rule unsetField = eventRule("unset-field", "event.amount > 100.0");
    Touchpoint event = event("page_view", 0, null); // no attributes, no amount

    for (Rule rule : List.of(divides, badTime, missingKey, unsetField)) {
      assertThat(reporting.onEvent(rule, new RuleState(), event, profile)).isEmpty();
    }

    assertThat(failed).containsExactly(divides.id(), badTime.id());
  }

  @Test
  void eventRuleFiresOnAMatchingTouchpointWithItsCause() {
    Rule rule =
        rule("kind: event\n  condition: \"event.type == 'purchase' && event.amount > 100.0\"");

    Optional<Firing> small = evaluator.onEvent(rule, state, event("purchase", 0, 50.0), profile);
    Optional<Firing> big = evaluator.onEvent(rule, state, event("purchase", 1, 150.0), profile);

    assertThat(small).isEmpty();
    assertThat(big)
        .hasValueSatisfying(
            f -> {
              assertThat(f.causes())
                  .extracting(c -> c.getEventId())
                  .containsExactly("e-purchase-1");
              assertThat(f.values()).containsEntry("event.amount", "150.0");
            });
  }

  @Test
  void countRuleFiresOnTheThirdMatchWithinTheWindowAndForgetsOlderOnes() {
    Rule rule =
        rule("kind: count\n  match: \"event.type == 'page_view'\"\n  atLeast: 3\n  within: 1h");

    evaluator.onEvent(rule, state, event("page_view", 0, null), profile);
    evaluator.onEvent(
        rule, state, event("page_view", 70, null), profile); // the first is now out of the hour
    assertThat(evaluator.onEvent(rule, state, event("page_view", 80, null), profile)).isEmpty();
    Optional<Firing> third = evaluator.onEvent(rule, state, event("page_view", 90, null), profile);

    assertThat(third).hasValueSatisfying(f -> assertThat(f.causes()).hasSize(3));
    assertThat(state.isEmpty()).isTrue();
  }

  @Test
  void sequenceRuleNeedsItsStepsInOrderWithinTheSpan() {
    Rule rule =
        rule(
            "kind: sequence\n  steps: [\"event.type == 'search'\", \"event.type == 'add_to_cart'\"]\n  within: 30m");

    assertThat(evaluator.onEvent(rule, state, event("add_to_cart", 0, null), profile)).isEmpty();
    evaluator.onEvent(rule, state, event("search", 1, null), profile);
    Optional<Firing> done = evaluator.onEvent(rule, state, event("add_to_cart", 5, null), profile);

    assertThat(done).isPresent();
    assertThat(state.isEmpty()).isTrue();
  }

  @Test
  void absenceFiresWhenTheTimePassesWithoutTheClosingEventAndLeavesNoState() {
    Rule rule =
        rule(
            "kind: absence\n  first: \"event.type == 'add_to_cart'\"\n  not: \"event.type == 'purchase'\"\n  within: 30m");

    evaluator.onEvent(rule, state, event("add_to_cart", 0, null), profile);
    assertThat(state.pendingUntil).isEqualTo(T0.plus(Duration.ofMinutes(30)).toEpochMilli());
    assertThat(evaluator.onTimer(rule, state, T0.plus(Duration.ofMinutes(29)), profile)).isEmpty();
    Optional<Firing> fired =
        evaluator.onTimer(rule, state, T0.plus(Duration.ofMinutes(30)), profile);

    assertThat(fired)
        .hasValueSatisfying(f -> assertThat(f.explanation()).contains("no event matching"));
    assertThat(state.isEmpty()).isTrue();
  }

  @Test
  void aPurchaseInTimePreventsTheAbsenceFiring() {
    Rule rule =
        rule(
            "kind: absence\n  first: \"event.type == 'add_to_cart'\"\n  not: \"event.type == 'purchase'\"\n  within: 30m");

    evaluator.onEvent(rule, state, event("add_to_cart", 0, null), profile);
    evaluator.onEvent(rule, state, event("purchase", 10, 20.0), profile);

    assertThat(state.isEmpty()).isTrue();
    assertThat(evaluator.onTimer(rule, state, T0.plus(Duration.ofHours(1)), profile)).isEmpty();
  }

  @Test
  void deadlineFiresBeforeTheDueTimeTakenFromTheFirstEvent() {
    Rule rule =
        rule(
            "kind: deadline\n  first: \"event.type == 'invoice_sent'\"\n  not: \"event.type == 'payment'\"\n"
                + "  due: \"timestamp(event.attributes['dueAt'])\"\n  before: 1d");
    Touchpoint invoice = event("invoice_sent", 0, null);
    invoice.setAttributes(Map.of("dueAt", "2026-11-26T10:00:00Z"));

    evaluator.onEvent(rule, state, invoice, profile);

    assertThat(Instant.ofEpochMilli(state.pendingUntil))
        .isEqualTo(Instant.parse("2026-11-25T10:00:00Z"));
    assertThat(evaluator.onTimer(rule, state, Instant.parse("2026-11-25T10:00:00Z"), profile))
        .isPresent();
    assertThat(state.isEmpty()).isTrue();
  }

  @Test
  void thresholdFiresWhenTheValueCrossesNotWhileItStaysAbove() {
    Rule rule = rule("kind: threshold\n  value: \"profile.leadScore.score\"\n  above: 80");

    assertThat(evaluator.onProfile(rule, state, profile(60), T0)).isEmpty();
    assertThat(evaluator.onProfile(rule, state, profile(85), T0))
        .hasValueSatisfying(f -> assertThat(f.explanation()).contains("crossed above 80.0"));
    assertThat(evaluator.onProfile(rule, state, profile(90), T0)).isEmpty();
    evaluator.onProfile(rule, state, profile(70), T0);
    assertThat(evaluator.onProfile(rule, state, profile(95), T0.plusSeconds(60))).isPresent();
  }

  @Test
  void segmentRuleFiresOnEnteringItsSegment() {
    Rule rule = rule("kind: segment\n  segment: new-parents");

    assertThat(evaluator.onSegment(rule, state, "new-parents", false, profile, T0)).isEmpty();
    assertThat(evaluator.onSegment(rule, state, "other", true, profile, T0)).isEmpty();
    assertThat(evaluator.onSegment(rule, state, "new-parents", true, profile, T0)).isPresent();
  }

  @Test
  void cooldownAudienceAndScheduleGateEveryKind() {
    Rule rule =
        parser.parse(
            """
            id: gated
            name: Gated
            audience: "profile.preferences.consentEmail"
            when: {kind: event, condition: "event.type == 'purchase'"}
            action: {code: THANKS}
            policy: {cooldown: 1h}
            schedule: {from: "2026-11-23T09:00:00Z", to: "2026-11-24T00:00:00Z"}
            """);

    assertThat(evaluator.onEvent(rule, state, event("purchase", 0, 1.0), profile(0, false)))
        .isEmpty();
    assertThat(evaluator.onEvent(rule, state, event("purchase", 1, 1.0), profile)).isPresent();
    assertThat(evaluator.onEvent(rule, state, event("purchase", 30, 1.0), profile)).isEmpty();
    assertThat(evaluator.onEvent(rule, state, event("purchase", 61, 1.0), profile)).isPresent();
    assertThat(evaluator.onEvent(rule, state, event("purchase", 24 * 60, 1.0), profile)).isEmpty();
  }

  @Test
  void aNewVersionOfTheRuleStartsFromCleanState() {
    Rule v1 =
        rule("kind: count\n  match: \"event.type == 'page_view'\"\n  atLeast: 2\n  within: 1h")
            .withVersion(1);
    Rule v2 = v1.withVersion(2);

    evaluator.onEvent(v1, state, event("page_view", 0, null), profile);
    assertThat(evaluator.onEvent(v2, state, event("page_view", 1, null), profile)).isEmpty();
    assertThat(evaluator.onEvent(v2, state, event("page_view", 2, null), profile)).isPresent();
  }

  private Rule eventRule(String id, String condition) {
    return parser.parse(
        "id: "
            + id
            + "\nname: R\nwhen: {kind: event, condition: \""
            + condition
            + "\"}\n"
            + "action: {code: ACT}\n");
  }

  private Rule rule(String when) {
    return parser.parse("id: r\nname: R\nwhen:\n  " + when + "\naction: {code: ACT}\n");
  }

  private static Touchpoint event(String type, int minutes, Double amount) {
    Instant at = T0.plus(Duration.ofMinutes(minutes));
    return Touchpoint.newBuilder()
        .setEventId("e-" + type + "-" + minutes)
        .setCustomerId("c1")
        .setType(type)
        .setChannel("web")
        .setSource("website")
        .setOccurredAt(at)
        .setReceivedAt(at.plusMillis(20))
        .setAmount(amount)
        .build();
  }

  private static CustomerProfile profile(int score) {
    return profile(score, true);
  }

  private static CustomerProfile profile(int score, boolean consentEmail) {
    return CustomerProfile.newBuilder()
        .setCustomerId("c1")
        .setVersion(1)
        .setFirstSeen(T0)
        .setLastSeen(T0)
        .setUpdatedAt(T0)
        .setPreferences(Preferences.newBuilder().setConsentEmail(consentEmail).build())
        .setLeadScore(new LeadScore(score, "model", 1, List.of()))
        .build();
  }
}
