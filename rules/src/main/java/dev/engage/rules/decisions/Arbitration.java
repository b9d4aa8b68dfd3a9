package dev.engage.rules.decisions;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/**
 * Ranks a customer's candidates by the {@link RankingFormula} and keeps the top K. Most decisions
 * exploit (the posterior mean of each action's propensity); a configurable share explores by
 * Thompson sampling (one draw from each posterior), so that actions with few responses get the
 * chance to show what they are worth.
 *
 * <p>Every random choice is seeded by the decision's id, so the same decision replayed after a
 * restore ranks the same way and sends the same notification.
 */
public final class Arbitration {
  /**
   * Thompson draws used to estimate the probability with which an explored decision picked its
   * first action.
   */
  static final int PROBABILITY_DRAWS = 400;

  private static final Comparator<RankedAction> BEST_FIRST =
      Comparator.comparingDouble((RankedAction r) -> r.score().total())
          .reversed()
          .thenComparing(r -> -r.candidate().priority())
          .thenComparing(r -> r.candidate().actionId());

  private final DecisionSettings settings;
  private final RankingFormula formula;

  public Arbitration(DecisionSettings settings) {
    this.settings = settings;
    this.formula = new RankingFormula(settings);
  }

  /** The ranked top K of the candidates for a customer in these segments. */
  public Ranking rank(
      String decisionId,
      List<Candidate> candidates,
      List<String> segments,
      Propensities propensities) {
    if (candidates.isEmpty()) {
      return new Ranking(List.of(), false, 0);
    }
    SplittableRandom random = new SplittableRandom(seed(decisionId));
    boolean explore = random.nextDouble() < settings.explorationShare();
    List<Propensities.Estimate> estimates =
        candidates.stream().map(c -> propensities.estimate(c.code(), segments)).toList();
    List<RankedAction> ranked = new ArrayList<>();
    for (int i = 0; i < candidates.size(); i++) {
      Propensities.Estimate estimate = estimates.get(i);
      double propensity =
          explore ? estimate.posterior().sample(random) : estimate.posterior().mean();
      ScoreParts score = formula.score(candidates.get(i), propensity, estimate);
      ranked.add(new RankedAction(candidates.get(i), 0, score, ""));
    }
    ranked.sort(BEST_FIRST);
    List<RankedAction> top = new ArrayList<>();
    for (int i = 0; i < Math.min(settings.topK(), ranked.size()); i++) {
      RankedAction r = ranked.get(i);
      top.add(
          new RankedAction(r.candidate(), i + 1, r.score(), Reasons.of(r.candidate(), r.score())));
    }
    String chosen = top.get(0).candidate().actionId();
    return new Ranking(top, explore, chosenProbability(chosen, candidates, estimates, decisionId));
  }

  /**
   * P(first = chosen) = (1 - e) x [chosen is first by the means] + e x P(chosen is first by one
   * Thompson draw), the second estimated with {@link #PROBABILITY_DRAWS} seeded draws.
   */
  private double chosenProbability(
      String chosen,
      List<Candidate> candidates,
      List<Propensities.Estimate> estimates,
      String decisionId) {
    double share = settings.explorationShare();
    String byMean = first(candidates, estimates, e -> e.posterior().mean());
    double exploit = chosen.equals(byMean) ? 1 : 0;
    if (share == 0) {
      return exploit;
    }
    SplittableRandom random = new SplittableRandom(seed(decisionId + "/probability"));
    int wins = 0;
    for (int draw = 0; draw < PROBABILITY_DRAWS; draw++) {
      if (chosen.equals(first(candidates, estimates, e -> e.posterior().sample(random)))) {
        wins++;
      }
    }
    return (1 - share) * exploit + share * wins / (double) PROBABILITY_DRAWS;
  }

  private String first(
      List<Candidate> candidates,
      List<Propensities.Estimate> estimates,
      ToDoubleFunction<Propensities.Estimate> propensity) {
    RankedAction best = null;
    for (int i = 0; i < candidates.size(); i++) {
      double p = propensity.applyAsDouble(estimates.get(i));
      RankedAction r =
          new RankedAction(
              candidates.get(i), 0, formula.score(candidates.get(i), p, estimates.get(i)), "");
      if (best == null || BEST_FIRST.compare(r, best) < 0) {
        best = r;
      }
    }
    return best.candidate().actionId();
  }

  private static long seed(String id) {
    return StableHash.of(id);
  }
}
