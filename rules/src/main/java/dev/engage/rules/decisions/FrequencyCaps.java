package dev.engage.rules.decisions;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.Optional;

/**
 * The marketing frequency caps: per channel per calendar day and across channels per calendar week
 * (Monday to Sunday), both counted on the customer's own clock, so "one SMS a day" means one
 * between their midnights, not in any 24 hours. When a cap is reached, the answer is when the next
 * slot frees: the customer's next midnight, or next Monday.
 */
public final class FrequencyCaps {
  private final DecisionSettings settings;

  public FrequencyCaps(DecisionSettings settings) {
    this.settings = settings;
  }

  /** Empty when a slot is free now on the channel; else when the next one frees, and which cap. */
  public Optional<Capped> check(
      String channel, Instant now, ContactPreferences contact, ContactHistory history) {
    LocalDate today = LocalDate.ofInstant(now, contact.zone());
    LocalDate monday = today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    Instant weekStart = monday.atStartOfDay(contact.zone()).toInstant();
    Instant nextWeek = monday.plusWeeks(1).atStartOfDay(contact.zone()).toInstant();
    if (history.cappedBetween(weekStart, nextWeek, null) >= settings.weeklyCap()) {
      return Optional.of(new Capped(ReasonCode.WEEKLY_CAP_REACHED, nextWeek));
    }
    Integer daily = settings.dailyCaps().get(channel);
    Instant dayStart = today.atStartOfDay(contact.zone()).toInstant();
    Instant tomorrow = today.plusDays(1).atStartOfDay(contact.zone()).toInstant();
    if (daily != null && history.cappedBetween(dayStart, tomorrow, channel) >= daily) {
      return Optional.of(new Capped(ReasonCode.DAILY_CAP_REACHED, tomorrow));
    }
    return Optional.empty();
  }

  /** A cap that is reached, and when its next slot frees. */
  public record Capped(ReasonCode reason, Instant freesAt) {}
}
