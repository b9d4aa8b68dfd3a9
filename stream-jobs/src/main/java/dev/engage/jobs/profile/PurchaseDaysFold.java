package dev.engage.jobs.profile;

import dev.engage.avro.PurchaseDays;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Keeps a customer's purchases as the value models count them: days with a purchase (UTC), the
 * first apart, and what the later ones came to. Purchases arrive in event-time order but for the
 * few minutes of out-of-orderness; a late purchase on a day before the latest one adds its value
 * but no day, since the profile does not keep every day (it may have had a purchase already).
 */
final class PurchaseDaysFold {
  private PurchaseDaysFold() {}

  /** The days with one more purchase of {@code amount} at {@code at}. */
  static PurchaseDays add(PurchaseDays days, Instant at, double amount) {
    Instant day = at.truncatedTo(ChronoUnit.DAYS);
    if (days == null) {
      return new PurchaseDays(day, day, amount, 0, 0.0);
    }
    PurchaseDays next = PurchaseDays.newBuilder(days).build();
    if (day.isBefore(days.getFirst())) {
      // the first day was not the first after all: it becomes a repeat day
      next.setFirst(day);
      next.setFirstDayValue(amount);
      next.setRepeatDays(days.getRepeatDays() + 1);
      next.setRepeatValue(days.getRepeatValue() + days.getFirstDayValue());
    } else if (day.equals(days.getFirst())) {
      next.setFirstDayValue(days.getFirstDayValue() + amount);
    } else if (day.isAfter(days.getLast())) {
      next.setLast(day);
      next.setRepeatDays(days.getRepeatDays() + 1);
      next.setRepeatValue(days.getRepeatValue() + amount);
    } else {
      next.setRepeatValue(days.getRepeatValue() + amount);
    }
    return next;
  }

  /**
   * Two customers' days as one (an identity merge): the earlier first day stays first, the other
   * becomes a repeat day unless it is the same day. Days both bought on count twice, as the
   * profiles do not keep every day; merged customers rarely bought on the same day.
   */
  static PurchaseDays merge(PurchaseDays survivor, PurchaseDays merged) {
    if (survivor == null || merged == null) {
      return survivor == null ? merged : survivor;
    }
    PurchaseDays earlier = survivor.getFirst().isAfter(merged.getFirst()) ? merged : survivor;
    PurchaseDays later = earlier == survivor ? merged : survivor;
    boolean sameFirstDay = earlier.getFirst().equals(later.getFirst());
    return new PurchaseDays(
        earlier.getFirst(),
        earlier.getLast().isAfter(later.getLast()) ? earlier.getLast() : later.getLast(),
        earlier.getFirstDayValue() + (sameFirstDay ? later.getFirstDayValue() : 0),
        earlier.getRepeatDays() + later.getRepeatDays() + (sameFirstDay ? 0 : 1),
        earlier.getRepeatValue()
            + later.getRepeatValue()
            + (sameFirstDay ? 0 : later.getFirstDayValue()));
  }
}
