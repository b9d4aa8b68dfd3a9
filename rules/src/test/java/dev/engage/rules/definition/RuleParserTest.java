package dev.engage.rules.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.engage.rules.cel.ConditionCompiler;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuleParserTest {
  private final RuleParser parser = new RuleParser(new ConditionCompiler());

  @Test
  void anAbsenceRuleInTheDesignFormatParses() {
    Rule rule =
        parser.parse(
            """
            id: cart-abandonment
            name: Remind about an abandoned cart
            audience: "profile.preferences.consentEmail && profile.historicValue > 100.0"
            when:
              kind: absence
              first: "event.type == 'add_to_cart'"
              not: "event.type == 'purchase'"
              within: 30m
            action:
              code: CART_REMINDER
              notify: preferred
              template: "Still thinking about {{event.attributes.product}}?"
              agent: true
              priority: 60
              ttl: 24h
            policy:
              cooldown: 3d
            """);

    assertThat(rule.id()).isEqualTo("cart-abandonment");
    assertThat(rule.trigger())
        .isInstanceOfSatisfying(
            Trigger.Absence.class, t -> assertThat(t.within()).isEqualTo(Duration.ofMinutes(30)));
    assertThat(rule.audience().expression()).contains("consentEmail");
    assertThat(rule.action().priority()).isEqualTo(60);
    assertThat(rule.cooldown()).isEqualTo(Duration.ofDays(3));
    assertThat(rule.enabled()).isTrue();
  }

  @Test
  void aMisspeltFieldIsReportedAtItsLineAndColumnInTheFileWithTheNearestName() {
    assertThatThrownBy(
            () ->
                parser.parse(
                    """
                    id: big-spender
                    name: Big spender
                    when:
                      kind: event
                      condition: "event.type == 'purchase' && event.amout > 500.0"
                    action:
                      code: VIP_CALL
                    """))
        .isInstanceOfSatisfying(
            InvalidRuleException.class,
            e ->
                assertThat(e.problems())
                    .singleElement()
                    .satisfies(
                        p -> {
                          assertThat(p.path()).isEqualTo("when.condition");
                          assertThat(p.line()).isEqualTo(5);
                          // the '.' before amout: column 14 (quote) + 1 + 33
                          assertThat(p.column()).isEqualTo(48);
                          assertThat(p.message())
                              .contains("undefined field 'amout'", "did you mean 'amount'?");
                        }));
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    assertThatThrownBy(
            () ->
                parser.parse(
                    """
                    id: Bad Id
                    name: Several mistakes
                    when:
                      kind: absense
                    action:
                      notify: emial
                      ttl: soon
                    colour: blue
                    """))
        .isInstanceOfSatisfying(
            InvalidRuleException.class,
            e ->
                assertThat(e.problems().stream().map(RuleProblem::toString).toList())
                    .containsExactlyInAnyOrder(
                        "8:1: colour: unknown field 'colour'",
                        "1:5: id: must be lower-case letters, digits and dashes (at most 64), e.g. cart-abandonment",
                        "4:9: when.kind: unknown kind 'absense' (did you mean 'absence'?); kinds are "
                            + RuleReader.TRIGGER_KINDS,
                        "6:3: action.code: is required",
                        "6:11: action.notify: unknown channel 'emial' (did you mean 'email'?); channels are "
                            + RuleReader.CHANNELS,
                        "7:8: action.ttl: must be a positive duration like 90s, 30m, 24h, 3d or 2w"));
  }

  @Test
  void aRuleIsMarketingWorthOneAndRespectsQuietHoursUnlessItSaysOtherwise() {
    Rule plain =
        parser.parse(
            """
            id: welcome
            name: Welcome
            when: {kind: event, condition: "event.type == 'signup'"}
            action: {code: WELCOME}
            """);
    Rule cancelled =
        parser.parse(
            """
            id: flight-cancelled
            name: Flight cancelled
            purpose: transactional
            when: {kind: event, condition: "event.type == 'flight_disruption'"}
            action: {code: REBOOK, value: "profile.predictedValue12m * 0.01 + 10.0"}
            policy: {quietHours: ignore}
            """);

    assertThat(plain.purpose()).isEqualTo(Purpose.MARKETING);
    assertThat(plain.ignoresQuietHours()).isFalse();
    assertThat(plain.action().value()).isEqualTo(BusinessValue.ONE);
    assertThat(cancelled.purpose()).isEqualTo(Purpose.TRANSACTIONAL);
    assertThat(cancelled.ignoresQuietHours()).isTrue();
    assertThat(cancelled.action().value().written())
        .isEqualTo("profile.predictedValue12m * 0.01 + 10.0");
  }

  @Test
  void onlyATransactionalRuleMayIgnoreQuietHours() {
    assertThatThrownBy(
            () ->
                parser.parse(
                    """
                    id: promo
                    name: Promo
                    when: {kind: event, condition: "event.type == 'signup'"}
                    action: {code: PROMO, value: -3}
                    policy: {quietHours: ignore}
                    """))
        .isInstanceOfSatisfying(
            InvalidRuleException.class,
            e ->
                assertThat(e.problems())
                    .extracting(RuleProblem::toString)
                    .containsExactlyInAnyOrder(
                        "4:30: action.value: must be a number of at least 0 or a CEL expression"
                            + " giving a number",
                        "5:22: policy.quietHours: only a transactional rule (purpose:"
                            + " transactional) may ignore quiet hours"));
  }

  @Test
  void jsonIsAcceptedToo() {
    Rule rule =
        parser.parse(
            """
            {"id": "hot-lead", "name": "Hot lead",
             "when": {"kind": "threshold", "value": "profile.leadScore.score", "above": 80},
             "action": {"code": "CALL_LEAD", "notify": "none"}}
            """);

    assertThat(rule.trigger())
        .isInstanceOfSatisfying(
            Trigger.Threshold.class,
            t -> {
              assertThat(t.bound()).isEqualTo(80.0);
              assertThat(t.above()).isTrue();
            });
  }

  @Test
  void sequenceAndCountAndSegmentRulesParse() {
    Rule sequence =
        parser.parse(
            """
            id: browse-then-call
            name: Browsed flights then called
            when:
              kind: sequence
              steps:
                - "event.type == 'page_view' && event.attributes['name'] == 'Flights'"
                - "event.channel == 'call_center'"
              within: 2h
            action: {code: OFFER_UPGRADE}
            """);
    Rule count =
        parser.parse(
            """
            id: three-visits
            name: Three visits
            when: {kind: count, match: "event.type == 'page_view'", atLeast: 3, within: 1d}
            action: {code: WELCOME_BACK}
            """);
    Rule segment =
        parser.parse(
            """
            id: new-parents
            name: New parents
            when: {kind: segment, segment: new-parents, on: enter}
            action: {code: BABY_OFFER}
            """);

    assertThat(sequence.trigger())
        .isInstanceOfSatisfying(Trigger.Sequence.class, t -> assertThat(t.steps()).hasSize(2));
    assertThat(count.trigger())
        .isInstanceOfSatisfying(Trigger.Count.class, t -> assertThat(t.atLeast()).isEqualTo(3));
    assertThat(segment.trigger()).isEqualTo(new Trigger.SegmentChange("new-parents", true));
  }

  @Test
  void aBlockScalarConditionIsPlacedOnItsOwnLines() {
    assertThatThrownBy(
            () ->
                parser.parse(
                    """
                    id: block
                    name: Block scalar
                    when:
                      kind: event
                      condition: |
                        event.type == 'purchase' &&
                          event.chanel == 'pos'
                    action: {code: X}
                    """))
        .isInstanceOfSatisfying(
            InvalidRuleException.class,
            e -> {
              RuleProblem p = e.problems().get(0);
              assertThat(List.of(p.line(), p.message().contains("did you mean 'channel'?")))
                  .containsExactly(7, true);
            });
  }

  @Test
  void anExplicitRuleKindParsesAndAnotherKindIsRefused() {
    Rule rule =
        parser.parse(
            """
            kind: rule
            id: welcome
            name: Welcome
            when: {kind: event, condition: "event.type == 'signup'"}
            action: {code: WELCOME}
            """);

    assertThat(rule.kind()).isEqualTo("rule");
    assertThatThrownBy(
            () ->
                parser.parse(
                    """
                    kind: segment
                    id: everyone
                    name: Everyone
                    condition: "true"
                    """))
        .isInstanceOfSatisfying(
            InvalidRuleException.class,
            e ->
                assertThat(e.problems())
                    .extracting(RuleProblem::toString)
                    .containsExactly("1:7: kind: this is a segment, not a trigger rule"));
  }

  @Test
  void brokenYamlIsReportedWithItsPosition() {
    assertThatThrownBy(() -> parser.parse("id: x\nwhen: [unclosed\n"))
        .isInstanceOfSatisfying(
            InvalidRuleException.class,
            e -> assertThat(e.problems().get(0).message()).startsWith("not valid YAML"));
  }
}
