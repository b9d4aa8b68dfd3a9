package dev.engage.rules.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.engage.avro.CustomerProfile;
import dev.engage.rules.cel.CelBindings;
import dev.engage.rules.cel.ConditionCompiler;
import dev.engage.rules.definition.DefinitionParser;
import dev.engage.rules.definition.ScoringModel;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LeadScoringTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final Duration TWO_WEEKS = Duration.ofDays(14);

  private final DefinitionParser parser = new DefinitionParser(new ConditionCompiler());
  private final Map<String, Object> anonymous = CelBindings.profile(profile(Map.of()), NOW);

  @Test
  void aCountIsWorthHalfAfterOneHalfLifeAndAQuarterAfterTwo() {
    long now = NOW.toEpochMilli();
    long twoWeeksLater = NOW.plus(TWO_WEEKS).toEpochMilli();

    assertThat(DecayedCounts.decay(8, now, twoWeeksLater, TWO_WEEKS)).isEqualTo(4.0);
    assertThat(DecayedCounts.decay(8, now, NOW.plus(Duration.ofDays(28)).toEpochMilli(), TWO_WEEKS))
        .isEqualTo(2.0);
    assertThat(DecayedCounts.decay(8, now, now, TWO_WEEKS)).isEqualTo(8.0);
    assertThat(DecayedCounts.decay(4, twoWeeksLater, now, TWO_WEEKS)).isEqualTo(8.0);
  }

  @Test
  void aChannelEntryCountsOnlyItsChannelAndAnEntryWithoutChannelCountsEvery() {
    ScoringModel model =
        model(
            """
            events:
              - {type: page_view, channel: web, points: 2}
              - {type: page_view, points: 1}
            """);
    Map<String, Double> counts =
        Map.of(
            DecayedCounts.key("page_view", "web"), 3.0,
            DecayedCounts.key("page_view", "app"), 4.0,
            DecayedCounts.key("purchase", "web"), 10.0);

    Score score = LeadScoring.score(model, counts, anonymous);

    // web: 2 x 3; any channel: 1 x (3 + 4); purchases are not in the model
    assertThat(score.score()).isEqualTo(13);
    assertThat(score.factors())
        .containsExactly(
            new Score.Factor("page_view", 7.0), new Score.Factor("page_view on web", 6.0));
  }

  @Test
  void decayedCountsScoreFractionalPoints() {
    ScoringModel model = model("events: [{type: page_view, points: 3}]");
    long now = NOW.toEpochMilli();
    double halfLifeAgo = DecayedCounts.decay(1, now - TWO_WEEKS.toMillis(), now, TWO_WEEKS);

    Score score =
        LeadScoring.score(
            model, Map.of(DecayedCounts.key("page_view", "web"), halfLifeAgo), anonymous);

    assertThat(score.score()).isEqualTo(2);
    assertThat(score.factors()).containsExactly(new Score.Factor("page_view", 1.5));
  }

  @Test
  void aTraitThatHoldsAddsItsPoints() {
    ScoringModel model =
        model(
            """
            events: [{type: page_view, points: 1}]
            traits:
              - name: has an email
                condition: "'email' in profile.identities"
                points: 10
            """);
    Map<String, Object> withEmail =
        CelBindings.profile(profile(Map.of("email", "hash-of-ann")), NOW);

    assertThat(LeadScoring.score(model, Map.of(), anonymous)).isEqualTo(new Score(0, List.of()));
    assertThat(LeadScoring.score(model, Map.of(), withEmail))
        .isEqualTo(new Score(10, List.of(new Score.Factor("has an email", 10.0))));
  }

  @Test
  void theScoreIsClampedToTheCapAndToZero() {
    ScoringModel model =
        model(
            """
            cap: 50
            events:
              - {type: demo_requested, points: 30}
              - {type: unsubscribed, points: -40}
            """);

    Score many =
        LeadScoring.score(
            model, Map.of(DecayedCounts.key("demo_requested", "web"), 3.0), anonymous);
    Score half =
        LeadScoring.score(
            model, Map.of(DecayedCounts.key("demo_requested", "app"), 0.84), anonymous);
    Score negative =
        LeadScoring.score(
            model,
            Map.of(
                DecayedCounts.key("demo_requested", "web"), 1.0,
                DecayedCounts.key("unsubscribed", "email"), 1.0),
            anonymous);

    assertThat(many.score()).isEqualTo(100);
    assertThat(half.score()).isEqualTo(50);
    assertThat(negative.score()).isZero();
    assertThat(negative.factors())
        .containsExactly(
            new Score.Factor("unsubscribed", -40.0), new Score.Factor("demo_requested", 30.0));
  }

  @Test
  void factorsAreTheFiveLargestByAbsolutePointsThenByName() {
    ScoringModel model =
        model(
            """
            events:
              - {type: a_event, points: 1}
              - {type: b_event, points: -5}
              - {type: c_event, points: 3}
              - {type: d_event, points: 3}
              - {type: e_event, points: 0.001}
              - {type: f_event, points: 2}
              - {type: g_event, points: 4}
              - {type: h_event, points: 7}
            """);
    Map<String, Double> counts = new HashMap<>();
    for (String type : List.of("a", "b", "c", "d", "e", "f", "g")) {
      counts.put(DecayedCounts.key(type + "_event", "web"), 1.0);
    }

    Score score = LeadScoring.score(model, counts, anonymous);

    // h_event has no events, e_event's contribution shows as 0.0: neither is a factor
    assertThat(score.factors())
        .extracting(Score.Factor::factor)
        .containsExactly("b_event", "g_event", "c_event", "d_event", "f_event");
    assertThat(score.factors().get(0).points()).isCloseTo(-5.0, within(1e-9));
    assertThat(score.score()).isEqualTo(8);
  }

  private ScoringModel model(String body) {
    return (ScoringModel)
        parser.parse("kind: scoring_model\nid: m\nname: M\nhalfLife: 14d\n" + body);
  }

  private static CustomerProfile profile(Map<String, String> identities) {
    return CustomerProfile.newBuilder()
        .setCustomerId("ann")
        .setVersion(1)
        .setIdentities(identities)
        .setFirstSeen(NOW)
        .setLastSeen(NOW)
        .setUpdatedAt(NOW)
        .build();
  }
}
