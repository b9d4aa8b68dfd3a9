package dev.engage.rules.scoring;

import java.util.List;

/**
 * A customer's lead score under a scoring model, and why.
 *
 * @param score 0 to 100
 * @param factors the largest contributions (at most five), largest first
 */
public record Score(int score, List<Factor> factors) {
  public Score {
    factors = List.copyOf(factors);
  }

  /**
   * One contribution to a score, as agents see it.
   *
   * @param factor the event entry ("page_view on web") or the trait's name
   * @param points the raw points it contributes now, rounded to two decimals; negative lowers the
   *     score
   */
  public record Factor(String factor, double points) {}
}
