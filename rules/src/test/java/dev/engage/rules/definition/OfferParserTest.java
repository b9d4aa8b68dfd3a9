package dev.engage.rules.definition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engage.avro.CustomerProfile;
import dev.engage.rules.cel.CelBindings;
import dev.engage.rules.cel.ConditionCompiler;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OfferParserTest {
  private static final String GOLD_CARD =
      """
      kind: offer
      id: gold-card
      name: Gold card upgrade
      owner: cards-team
      eligibility: "profile.historicValue > 500.0"
      code: GOLD_CARD
      title: Upgrade to the gold card
      template: "Your gold card is one click away"
      value: "profile.predictedValue12m * 0.05"
      channels: [email, in_app]
      priority: 40
      ttl: 3d
      cooldown: 14d
      activeFrom: 2026-12-01T00:00:00Z
      activeUntil: 2027-01-01T00:00:00Z
      agent: false
      """;

  private final DefinitionParser parser = new DefinitionParser(new ConditionCompiler());

  @Test
  void anOfferReadsIntoItsRecord() {
    Offer offer = (Offer) parser.parse(GOLD_CARD);

    assertThat(offer.kind()).isEqualTo("offer");
    assertThat(offer.id()).isEqualTo("gold-card");
    assertThat(offer.owner()).isEqualTo("cards-team");
    assertThat(offer.eligibility().expression()).isEqualTo("profile.historicValue > 500.0");
    assertThat(offer.code()).isEqualTo("GOLD_CARD");
    assertThat(offer.title()).isEqualTo("Upgrade to the gold card");
    assertThat(offer.channels()).containsExactly("email", "in_app");
    assertThat(offer.priority()).isEqualTo(40);
    assertThat(offer.ttl()).isEqualTo(Duration.ofDays(3));
    assertThat(offer.cooldown()).isEqualTo(Duration.ofDays(14));
    assertThat(offer.agent()).isFalse();
    assertThat(offer.purpose()).isEqualTo(Purpose.MARKETING);
    assertThat(offer.withVersion(2).version()).isEqualTo(2);
  }

  @Test
  void anOfferIsActiveOnlyBetweenItsDatesAndWhileEnabled() {
    Offer offer = (Offer) parser.parse(GOLD_CARD);

    assertThat(offer.isActiveAt(Instant.parse("2026-11-30T23:59:59Z"))).isFalse();
    assertThat(offer.isActiveAt(Instant.parse("2026-12-01T00:00:00Z"))).isTrue();
    assertThat(offer.isActiveAt(Instant.parse("2027-01-01T00:00:00Z"))).isFalse();
    Offer disabled = (Offer) parser.parse(GOLD_CARD + "enabled: false\n");
    assertThat(disabled.isActiveAt(Instant.parse("2026-12-15T00:00:00Z"))).isFalse();
  }

  @Test
  void aValueExpressionIsWorkedOutFromTheProfile() {
    Offer offer = (Offer) parser.parse(GOLD_CARD);
    CustomerProfile profile = profile(800, 600);

    assertThat(offer.value().of(bindings(profile))).isEqualTo(40.0);
    assertThat(offer.eligibility().test(bindings(profile))).isTrue();
    assertThat(offer.eligibility().test(bindings(profile(800, 100)))).isFalse();
  }

  @Test
  void aMinimalOfferIsForEveryoneWorthOneAndOnlyShown() {
    Offer offer =
        (Offer) parser.parse("kind: offer\nid: app-tour\nname: App tour\ncode: APP_TOUR\n");

    assertThat(offer.eligibility()).isNull();
    assertThat(offer.value()).isEqualTo(BusinessValue.ONE);
    assertThat(offer.title()).isEqualTo("App tour");
    assertThat(offer.channels()).isEmpty();
    assertThat(offer.priority()).isEqualTo(50);
    assertThat(offer.ttl()).isEqualTo(Duration.ofDays(7));
    assertThat(offer.agent()).isTrue();
  }

  @Test
  void aConstantValueIsANumber() {
    Offer offer =
        (Offer)
            parser.parse(
                "kind: offer\nid: tour\nname: Tour\ncode: TOUR\nvalue: 12.5\npurpose: transactional\n");

    assertThat(offer.value().of(Map.of())).isEqualTo(12.5);
    assertThat(offer.purpose()).isEqualTo(Purpose.TRANSACTIONAL);
  }

  @Test
  void aMisspeltProfileFieldInTheValueIsReportedAtItsLineAndColumn() {
    assertThat(problems(GOLD_CARD.replace("predictedValue12m", "predictedValue12")))
        .singleElement()
        .satisfies(
            p ->
                assertThat(p)
                    .startsWith("9:16: value: ")
                    .contains("undefined field 'predictedValue12'"));
  }

  @Test
  void aValueMustGiveANumberAndEligibilityTrueOrFalse() {
    assertThat(
            problems(
                GOLD_CARD
                    .replace("\"profile.predictedValue12m * 0.05\"", "\"profile.segments\"")
                    .replace("\"profile.historicValue > 500.0\"", "\"profile.historicValue\"")))
        .containsExactlyInAnyOrder(
            "5:15: eligibility: the expression must give true or false, this one gives double",
            "9:9: value: the expression must give a number, this one gives list");
  }

  @Test
  void badFieldsAreReportedTogetherWithLineAndColumn() {
    assertThat(
            problems(
                """
                kind: offer
                id: gold-card
                name: Gold card
                code: gold_card
                channels: [emial]
                priority: 140
                purpose: promo
                activeFrom: 2027-01-01T00:00:00Z
                activeUntil: 2026-01-01T00:00:00Z
                colour: gold
                """))
        .containsExactlyInAnyOrder(
            "10:1: colour: unknown field 'colour'",
            "4:7: code: must be UPPER_SNAKE_CASE, e.g. CART_REMINDER",
            "5:12: channels[0]: unknown channel 'emial' (did you mean 'email'?); channels are "
                + OfferReader.CHANNELS,
            "6:11: priority: must be a whole number from 0 to 100",
            "7:10: purpose: unknown purpose 'promo'; purposes are marketing | transactional",
            "9:14: activeUntil: must be after activeFrom");
  }

  @Test
  void anOfferWithChannelsNeedsATemplate() {
    assertThat(problems(GOLD_CARD.replace("template: \"Your gold card is one click away\"\n", "")))
        .containsExactly("1:1: template: is required when the offer has channels to be sent on");
  }

  @Test
  void aRuleParserRefusesAnOffer() {
    RuleParser rules = new RuleParser(new ConditionCompiler());
    try {
      rules.parse(GOLD_CARD);
    } catch (InvalidRuleException e) {
      assertThat(e.problems().get(0).toString())
          .isEqualTo("1:7: kind: this is an offer, not a trigger rule");
      return;
    }
    throw new AssertionError("an offer was read as a rule");
  }

  private static CustomerProfile profile(double predicted, double historic) {
    return CustomerProfile.newBuilder()
        .setCustomerId("ann")
        .setVersion(1)
        .setPredictedValue12m(predicted)
        .setHistoricValue(historic)
        .setFirstSeen(Instant.EPOCH)
        .setLastSeen(Instant.EPOCH)
        .setUpdatedAt(Instant.EPOCH)
        .build();
  }

  private static Map<String, Object> bindings(CustomerProfile profile) {
    return CelBindings.profile(profile, Instant.EPOCH);
  }

  private List<String> problems(String source) {
    try {
      parser.parse(source);
    } catch (InvalidRuleException e) {
      return e.problems().stream().map(RuleProblem::toString).toList();
    }
    throw new AssertionError("expected problems in:\n" + source);
  }
}
