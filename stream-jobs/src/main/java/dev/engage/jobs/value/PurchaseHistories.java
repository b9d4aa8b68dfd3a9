package dev.engage.jobs.value;

import dev.engage.avro.PurchaseDays;
import java.time.Duration;
import java.time.Instant;

/** A profile's purchase days as the history the value models read, as of a valuation time. */
public final class PurchaseHistories {
  private static final double DAY_MILLIS = Duration.ofDays(1).toMillis();

  private PurchaseHistories() {}

  /**
   * The history as of {@code asOf}: days counted from the first purchase day's start. A valuation
   * before the latest purchase day (a fit's chosen date) counts the age up to that day.
   */
  public static PurchaseHistory of(PurchaseDays days, Instant asOf) {
    int frequency = days.getRepeatDays();
    double recency = frequency == 0 ? 0 : days(days.getFirst(), days.getLast());
    double age = Math.max(recency, days(days.getFirst(), asOf));
    double mean = frequency == 0 ? 0 : Math.max(0, days.getRepeatValue() / frequency);
    return new PurchaseHistory(frequency, recency, age, mean);
  }

  private static double days(Instant from, Instant to) {
    return Math.max(0, to.toEpochMilli() - from.toEpochMilli()) / DAY_MILLIS;
  }
}
