package dev.engage.rules.decisions;

/**
 * The ranking formula, in the spirit of Pega's prioritization (P x C x V x L):
 *
 * <pre>
 *   score = priority/100 x propensity x (1 + contextWeight/100) x value x (1 + lever/100)
 * </pre>
 *
 * where priority is the rule's or offer's (0 to 100), propensity the learned chance of acceptance
 * for the action in the customer's segment, the context weight depends on where the candidate comes
 * from (a fired rule answers something that just happened; an offer is always on), value is the
 * definition's business value and the lever a per-action-code knob. Weights and levers are
 * configuration ({@link DecisionSettings}); Pega turns a weight w into a factor 1 + w/100 so that 0
 * is neutral, +100 doubles and -50 halves, and so do we.
 */
public final class RankingFormula {
  private final DecisionSettings settings;

  public RankingFormula(DecisionSettings settings) {
    this.settings = settings;
  }

  /** The score's parts for a candidate with the given propensity estimate. */
  public ScoreParts score(Candidate candidate, double propensity, Propensities.Estimate estimate) {
    return new ScoreParts(
        candidate.priority() / 100.0,
        propensity,
        estimate.segment(),
        estimate.counts().observations(),
        settings.contextFactor(candidate.origin()),
        candidate.value(),
        settings.leverFactor(candidate.code()));
  }
}
