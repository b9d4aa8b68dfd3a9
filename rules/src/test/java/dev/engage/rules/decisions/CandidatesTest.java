package dev.engage.rules.decisions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engage.avro.Cause;
import dev.engage.avro.CustomerProfile;
import dev.engage.avro.TriggerFired;
import dev.engage.rules.cel.ConditionCompiler;
import dev.engage.rules.definition.DefinitionParser;
import dev.engage.rules.definition.Offer;
import dev.engage.rules.definition.Rule;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CandidatesTest {
  private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");

  private final DefinitionParser parser = new DefinitionParser(new ConditionCompiler());
  private final Offer goldCard =
      (Offer)
          parser.parse(
              """
              kind: offer
              id: gold-card
              name: Gold card
              eligibility: "profile.historicValue > 500.0"
              code: GOLD_CARD
              value: "profile.predictedValue12m * 0.05"
              ttl: 3d
              cooldown: 14d
              """);

  @Test
  void aFiredRuleIsACandidateUntilItsTtlWorthItsValueAndExplainedByTheFiring() {
    Rule cart =
        ((Rule)
                parser.parse(
                    """
                    id: cart-abandonment
                    name: Abandoned cart
                    when: {kind: absence, first: "event.type == 'add_to_cart'", not: "event.type == 'purchase'", within: 30m}
                    action: {code: CART_REMINDER, notify: preferred, template: "Still there?", priority: 60, ttl: 24h, value: 12.5}
                    policy: {cooldown: 3d}
                    """))
            .withVersion(4);

    Candidate c =
        Candidates.ofTrigger(firing("fire-1", "cart-abandonment", 4), cart, profile(800, 900));

    assertThat(c.origin()).isEqualTo(Candidate.Origin.TRIGGER);
    assertThat(c.sourceId()).isEqualTo("cart-abandonment");
    assertThat(c.sourceVersion()).isEqualTo(4);
    assertThat(c.code()).isEqualTo("CART_REMINDER");
    assertThat(c.value()).isEqualTo(12.5);
    assertThat(c.channels()).containsExactly("preferred");
    assertThat(c.expiresAt()).isEqualTo(NOW.plus(Duration.ofHours(24)));
    assertThat(c.cooldown()).isEqualTo(Duration.ofDays(3));
    assertThat(c.causeId()).isEqualTo("ev-cart");
    assertThat(c.explanation()).isEqualTo("no purchase within 30m");
    assertThat(c.facts()).containsEntry("product", "shoes");
    assertThat(c.actionId())
        .isEqualTo(
            Candidates.ofTrigger(firing("fire-1", "cart-abandonment", 4), cart, null).actionId())
        .isNotEqualTo(
            Candidates.ofTrigger(firing("fire-2", "cart-abandonment", 4), cart, null).actionId());
  }

  @Test
  void anEligibleActiveOfferIsACandidateWorthItsValueForTheProfile() {
    List<Candidate> candidates =
        Candidates.ofOffers("ann", List.of(goldCard), profile(800, 600), Map.of(), Map.of(), NOW);

    assertThat(candidates)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.origin()).isEqualTo(Candidate.Origin.OFFER);
              assertThat(c.value()).isEqualTo(40.0);
              assertThat(c.openedAt()).isEqualTo(NOW);
              assertThat(c.expiresAt()).isEqualTo(NOW.plus(Duration.ofDays(3)));
              assertThat(c.explanation()).isEqualTo("eligible as profile.historicValue > 500.0");
              assertThat(c.notifies()).isFalse();
            });
  }

  @Test
  void anOfferIsNotMadeToTheIneligibleNorWithinItsCooldownAfterAResponse() {
    assertThat(
            Candidates.ofOffers(
                "ann", List.of(goldCard), profile(800, 100), Map.of(), Map.of(), NOW))
        .isEmpty();
    Map<String, Instant> responded = Map.of("gold-card", NOW.minus(Duration.ofDays(13)));
    assertThat(
            Candidates.ofOffers(
                "ann", List.of(goldCard), profile(800, 600), responded, Map.of(), NOW))
        .isEmpty();
    Map<String, Instant> longAgo = Map.of("gold-card", NOW.minus(Duration.ofDays(15)));
    assertThat(
            Candidates.ofOffers(
                "ann", List.of(goldCard), profile(800, 600), longAgo, Map.of(), NOW))
        .hasSize(1);
  }

  @Test
  void anOfferMadeStaysTheSameActionUntilItsTtlAndThenLapses() {
    Map<String, Instant> offered = Map.of("gold-card", NOW.minus(Duration.ofDays(1)));

    Candidate open =
        Candidates.ofOffers("ann", List.of(goldCard), profile(800, 600), Map.of(), offered, NOW)
            .get(0);
    Candidate again =
        Candidates.ofOffers(
                "ann", List.of(goldCard), profile(800, 600), Map.of(), offered, NOW.plusSeconds(60))
            .get(0);

    assertThat(again.actionId()).isEqualTo(open.actionId());
    assertThat(open.expiresAt()).isEqualTo(NOW.plus(Duration.ofDays(2)));
    assertThat(
            Candidates.ofOffers(
                "ann",
                List.of(goldCard),
                profile(800, 600),
                Map.of(),
                offered,
                NOW.plus(Duration.ofDays(2))))
        .isEmpty();
  }

  private static TriggerFired firing(String eventId, String ruleId, int version) {
    return TriggerFired.newBuilder()
        .setEventId(eventId)
        .setCustomerId("ann")
        .setRuleId(ruleId)
        .setRuleVersion(version)
        .setRuleKind("absence")
        .setActionCode("CART_REMINDER")
        .setExplanation("no purchase within 30m")
        .setValues(Map.of("product", "shoes"))
        .setCauses(List.of(new Cause("ev-cart", "add_to_cart", NOW.minusSeconds(1800))))
        .setOccurredAt(NOW)
        .setFiredAt(NOW)
        .build();
  }

  private static CustomerProfile profile(double predicted, double historic) {
    return CustomerProfile.newBuilder()
        .setCustomerId("ann")
        .setVersion(1)
        .setPredictedValue12m(predicted)
        .setHistoricValue(historic)
        .setFirstSeen(NOW)
        .setLastSeen(NOW)
        .setUpdatedAt(NOW)
        .build();
  }
}
