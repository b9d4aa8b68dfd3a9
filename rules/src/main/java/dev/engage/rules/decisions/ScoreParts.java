package dev.engage.rules.decisions;

import java.util.Locale;

/**
 * One candidate's score and the factors it is the product of (see {@link RankingFormula}), kept so
 * that an agent can say why an action ranks where it does.
 *
 * @param priority the definition's priority over 100
 * @param propensity the estimated chance the customer accepts (the posterior mean, or a draw when
 *     exploring)
 * @param segment the segment the propensity was estimated in
 * @param observed the responses behind the estimate
 * @param context the context weight's factor, 1 + w/100
 * @param value the business value
 * @param lever the business lever's factor, 1 + w/100
 */
public record ScoreParts(
    double priority,
    double propensity,
    String segment,
    long observed,
    double context,
    double value,
    double lever) {
  /** The product of the factors. */
  public double total() {
    return priority * propensity * context * value * lever;
  }

  /** "score 12.60 = priority 0.60 x propensity 0.35 (segment *, 40 responses) x ...". */
  public String describe() {
    return String.format(
        Locale.ROOT,
        "score %.4f = priority %.2f x propensity %.3f (segment %s, %d responses) x context %.2f x"
            + " value %.2f x lever %.2f",
        total(),
        priority,
        propensity,
        segment,
        observed,
        context,
        value,
        lever);
  }
}
