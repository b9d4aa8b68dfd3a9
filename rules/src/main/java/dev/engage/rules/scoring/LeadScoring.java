package dev.engage.rules.scoring;

import dev.engage.rules.definition.ScoringModel;
import dev.engage.rules.definition.ScoringModel.EventPoints;
import dev.engage.rules.definition.ScoringModel.TraitPoints;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Scores a customer under a {@link ScoringModel}: raw points are each event entry's points times
 * the customer's decayed count of matching events, plus the points of every trait the profile has;
 * the score is the raw points as a share of the model's cap, 0 to 100. Pure and Flink-free, so the
 * profile job and a preview in the rule studio cannot disagree.
 */
public final class LeadScoring {
  /** How many factors a score explains itself with. */
  static final int MAX_FACTORS = 5;

  private static final Comparator<Score.Factor> LARGEST_FIRST =
      Comparator.comparingDouble((Score.Factor f) -> -Math.abs(f.points()))
          .thenComparing(Score.Factor::factor);

  private LeadScoring() {}

  /**
   * The score and its largest factors.
   *
   * @param decayedCountsAtNow counts by {@link DecayedCounts#key}, already decayed to now
   * @param profileBindings the profile and now, as {@link dev.engage.rules.cel.CelBindings#profile}
   *     makes them, for the traits' conditions
   */
  public static Score score(
      ScoringModel model,
      Map<String, Double> decayedCountsAtNow,
      Map<String, Object> profileBindings) {
    List<Score.Factor> contributions = new ArrayList<>();
    double raw = 0;
    for (EventPoints entry : model.events()) {
      double points = entry.points() * matching(entry, decayedCountsAtNow);
      raw += points;
      contributions.add(new Score.Factor(entry.factor(), round(points)));
    }
    for (TraitPoints trait : model.traits()) {
      if (trait.condition().test(profileBindings)) {
        raw += trait.points();
        contributions.add(new Score.Factor(trait.name(), round(trait.points())));
      }
    }
    double capped = Math.min(Math.max(raw, 0), model.cap());
    int score = (int) Math.round(100 * capped / model.cap());
    // a contribution that shows as 0.0 points explains nothing
    List<Score.Factor> factors =
        contributions.stream()
            .filter(f -> f.points() != 0)
            .sorted(LARGEST_FIRST)
            .limit(MAX_FACTORS)
            .toList();
    return new Score(score, factors);
  }

  private static double matching(EventPoints entry, Map<String, Double> counts) {
    double sum = 0;
    for (Map.Entry<String, Double> count : counts.entrySet()) {
      if (DecayedCounts.matches(count.getKey(), entry.type(), entry.channel())) {
        sum += count.getValue();
      }
    }
    return sum;
  }

  private static double round(double points) {
    return Math.round(points * 100) / 100.0;
  }
}
