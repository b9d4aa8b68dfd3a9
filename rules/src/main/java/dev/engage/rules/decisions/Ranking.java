package dev.engage.rules.decisions;

import java.util.List;

/**
 * The outcome of one arbitration: the top actions, best first, and how they were picked.
 *
 * @param actions at most top K, best first
 * @param explored whether this decision ranked by Thompson sampling rather than the posterior mean
 * @param chosenProbability the probability with which this policy puts the first action first (over
 *     its choice to explore or not and, when exploring, over the draws): logged so that other
 *     policies can be evaluated offline on logged decisions (inverse propensity scoring); 0 when
 *     there is no action
 */
public record Ranking(List<RankedAction> actions, boolean explored, double chosenProbability) {
  public Ranking {
    actions = List.copyOf(actions);
  }

  /** The first action's candidate, or null when there is none. */
  public RankedAction chosen() {
    return actions.isEmpty() ? null : actions.get(0);
  }
}
