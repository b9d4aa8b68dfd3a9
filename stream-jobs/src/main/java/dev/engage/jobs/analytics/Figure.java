package dev.engage.jobs.analytics;

import dev.engage.schemas.redis.AnalyticsKeys;

/**
 * One analytics figure: a field of one of {@link AnalyticsKeys}' hashes. On its way to {@link
 * FigureTotals} the value is an increment; out of it, the field's total.
 *
 * @param hash the Redis hash ({@link AnalyticsKeys#campaigns()}...)
 * @param field the field in it ({@link AnalyticsKeys#field})
 * @param value an increment, or the total
 */
public record Figure(String hash, String field, double value) {
  /** A count of one of {@code name}'s {@code metric}. */
  static Figure one(String hash, String metric, String name) {
    return new Figure(hash, AnalyticsKeys.field(metric, name), 1);
  }

  /** Whether the figure's total only grows ({@link AnalyticsKeys#segments()}' go down too). */
  public boolean grows() {
    return !hash.equals(AnalyticsKeys.segments());
  }

  /** What {@link FigureTotals} sums by. */
  public String key() {
    return hash + "\n" + field;
  }
}
