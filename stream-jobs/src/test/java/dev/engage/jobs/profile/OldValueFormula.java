package dev.engage.jobs.profile;

import java.time.Instant;

/**
 * The profile job's predicted 12-month value ({@link ValueScores}), opened to tests in other
 * packages so they can compare a new model with the formula it would replace.
 */
public final class OldValueFormula {
  private OldValueFormula() {}

  /** Yearly historic spend times the RFM recency score over 5, as the profile computes it. */
  public static double predicted12m(
      Instant firstSeen, Instant lastPurchase, Instant now, long purchases, double historicValue) {
    int recency = ValueScores.rfm(lastPurchase, now, purchases, historicValue).getRecency();
    return ValueScores.predicted12m(historicValue, firstSeen, now, recency);
  }
}
