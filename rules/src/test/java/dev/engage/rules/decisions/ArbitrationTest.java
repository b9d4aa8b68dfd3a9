package dev.engage.rules.decisions;

import static dev.engage.rules.decisions.TestCandidates.rule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ArbitrationTest {
  private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");
  private static final List<String> PARENTS = List.of("new-parents");

  private final DecisionSettings exploitOnly = withExploration(0);
  private final Propensities propensities = new Propensities(exploitOnly);

  @Test
  void candidatesRankByPriorityTimesPropensityTimesContextTimesValueTimesLever() {
    DecisionSettings settings =
        new DecisionSettings(
            5,
            0,
            0.05,
            1,
            1,
            Map.of(Candidate.Origin.TRIGGER, 50.0, Candidate.Origin.OFFER, 0.0),
            Map.of("CHEAP", 100.0),
            Map.of(),
            7,
            List.of("in_app"),
            java.time.Duration.ofMinutes(2),
            java.time.Duration.ofSeconds(5));
    Candidate cheap = rule("cheap", 40, 10, null, NOW); // 0.4 x 0.5 x 1.5 x 10 x 2 = 6
    Candidate dear = rule("dear", 90, 8, null, NOW); //   0.9 x 0.5 x 1.5 x 8 x 1 = 5.4
    Candidate plain = rule("plain", 100, 1, null, NOW); // 0.75

    Ranking ranking =
        new Arbitration(settings)
            .rank("d1", List.of(plain, dear, cheap), PARENTS, new Propensities(settings));

    assertThat(ranking.actions())
        .extracting(a -> a.candidate().sourceId())
        .containsExactly("cheap", "dear", "plain");
    assertThat(ranking.actions())
        .extracting(a -> Math.round(a.score().total() * 1e9) / 1e9)
        .containsExactly(6.0, 5.4, 0.75);
    assertThat(ranking.actions()).extracting(RankedAction::rank).containsExactly(1, 2, 3);
  }

  @Test
  void theListKeepsTheTopK() {
    List<Candidate> many =
        java.util.stream.IntStream.range(0, 8)
            .mapToObj(i -> rule("r" + i, 10 * i, 1, null, NOW))
            .toList();

    Ranking ranking = new Arbitration(exploitOnly).rank("d", many, PARENTS, propensities);

    assertThat(ranking.actions()).hasSize(5);
    assertThat(ranking.chosen().candidate().sourceId()).isEqualTo("r7");
  }

  @Test
  void eachActionCarriesAReasonAnAgentCanRepeat() {
    Candidate cart =
        new Candidate(
            "act-1",
            Candidate.Origin.TRIGGER,
            "cart-abandonment",
            3,
            "CART_REMINDER",
            "Cart",
            null,
            60,
            1,
            dev.engage.rules.definition.Purpose.MARKETING,
            List.of(),
            true,
            NOW,
            NOW.plusSeconds(3600),
            java.time.Duration.ZERO,
            false,
            "ev-1",
            "no purchase within 30m of add_to_cart",
            Map.of("product", "shoes"));

    String reason =
        new Arbitration(exploitOnly)
            .rank("d", List.of(cart), PARENTS, propensities)
            .chosen()
            .reason();

    assertThat(reason)
        .isEqualTo(
            "Rule cart-abandonment v3 fired: no purchase within 30m of add_to_cart"
                + " (product=shoes); score 0.4500 = priority 0.60 x propensity 0.500"
                + " (segment *, 0 responses) x context 1.50 x value 1.00 x lever 1.00");
  }

  @Test
  void after200DismissalsOfAAnd200AcceptancesOfBBOutranksAForANewCustomerOfThatSegment() {
    Candidate a = TestCandidates.withCode(rule("a", 90, 1, null, NOW), "A");
    Candidate b = TestCandidates.withCode(rule("b", 50, 1, null, NOW), "B");
    Arbitration arbitration = new Arbitration(exploitOnly);
    assertThat(
            arbitration
                .rank("before", List.of(a, b), PARENTS, propensities)
                .chosen()
                .candidate()
                .code())
        .isEqualTo("A");

    for (int i = 0; i < 200; i++) {
      propensities.record("A", PARENTS, false);
      propensities.record("B", PARENTS, true);
    }
    Ranking after = arbitration.rank("after", List.of(a, b), PARENTS, propensities);

    assertThat(after.actions()).extracting(r -> r.candidate().code()).containsExactly("B", "A");
    assertThat(after.chosen().score().segment()).isEqualTo("new-parents");
    assertThat(after.chosen().score().propensity()).isCloseTo(201.0 / 202, within(1e-9));
  }

  @Test
  void aCustomerOfAnotherSegmentUsesWhatAllCustomersTaught() {
    propensities.record("B", PARENTS, true);

    Propensities.Estimate estimate = propensities.estimate("B", List.of("students"));

    assertThat(estimate.segment()).isEqualTo(Propensities.ALL_CUSTOMERS);
    assertThat(estimate.counts().successes()).isEqualTo(1);
  }

  @Test
  void anExploitingDecisionPicksItsFirstActionWithProbabilityOne() {
    Ranking ranking =
        new Arbitration(exploitOnly)
            .rank(
                "d",
                List.of(rule("a", 90, 1, null, NOW), rule("b", 10, 1, null, NOW)),
                PARENTS,
                propensities);

    assertThat(ranking.explored()).isFalse();
    assertThat(ranking.chosenProbability()).isEqualTo(1.0);
  }

  @Test
  void aConfiguredShareOfDecisionsExploresAndLogsTheProbabilityOfItsChoice() {
    Arbitration arbitration = new Arbitration(withExploration(0.2));
    List<Candidate> even = List.of(rule("a", 50, 1, null, NOW), rule("b", 50, 1, null, NOW));
    String byMean =
        arbitration
            .rank("exploit", even, PARENTS, new Propensities(exploitOnly))
            .chosen()
            .candidate()
            .actionId();
    int decisions = 1_000;
    int explored = 0;
    for (int i = 0; i < decisions; i++) {
      Ranking r = arbitration.rank("decision-" + i, even, PARENTS, propensities);
      explored += r.explored() ? 1 : 0;
      // equal actions: exploiting (80%) always picks the tie-break winner, a draw (20%) either
      double expected = r.chosen().candidate().actionId().equals(byMean) ? 0.9 : 0.1;
      assertThat(r.chosenProbability()).isCloseTo(expected, within(0.03));
    }

    assertThat(explored / (double) decisions).isCloseTo(0.2, within(0.04));
  }

  @Test
  void theSameDecisionReplayedRanksTheSameWay() {
    Arbitration arbitration = new Arbitration(withExploration(1));
    List<Candidate> even = List.of(rule("a", 50, 1, null, NOW), rule("b", 50, 1, null, NOW));

    Ranking first = arbitration.rank("decision-7", even, PARENTS, propensities);
    Ranking again = arbitration.rank("decision-7", even, PARENTS, propensities);

    assertThat(again).isEqualTo(first);
  }

  @Test
  void nothingToRankIsAnEmptyList() {
    assertThat(new Arbitration(exploitOnly).rank("d", List.of(), PARENTS, propensities).actions())
        .isEmpty();
  }

  private static DecisionSettings withExploration(double share) {
    DecisionSettings d = DecisionSettings.defaults();
    return new DecisionSettings(
        d.topK(),
        share,
        d.controlShare(),
        d.priorSuccesses(),
        d.priorFailures(),
        d.contextWeights(),
        d.levers(),
        d.dailyCaps(),
        d.weeklyCap(),
        d.fallbackOrder(),
        d.sameCauseWindow(),
        d.holdFor());
  }
}
