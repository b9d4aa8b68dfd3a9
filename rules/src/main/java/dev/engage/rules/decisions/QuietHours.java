package dev.engage.rules.decisions;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.Optional;

/**
 * Whether an instant falls in a customer's quiet hours, read on their own clock (their time zone,
 * with its daylight-saving changes), and when those hours end. Quiet hours may span midnight
 * (22:00-07:00).
 */
public final class QuietHours {
  private QuietHours() {}

  /** The end of the quiet hours the instant falls in; empty when it is outside them (or none). */
  public static Optional<Instant> endOf(Instant at, ContactPreferences contact) {
    if (!contact.hasQuietHours()) {
      return Optional.empty();
    }
    LocalDateTime local = LocalDateTime.ofInstant(at, contact.zone());
    LocalTime time = local.toLocalTime();
    LocalTime from = contact.quietFrom();
    LocalTime until = contact.quietUntil();
    LocalDate endDay;
    if (from.isBefore(until)) {
      if (time.isBefore(from) || !time.isBefore(until)) {
        return Optional.empty();
      }
      endDay = local.toLocalDate();
    } else if (!time.isBefore(from)) {
      endDay = local.toLocalDate().plusDays(1);
    } else if (time.isBefore(until)) {
      endDay = local.toLocalDate();
    } else {
      return Optional.empty();
    }
    // atZone moves a time that a daylight-saving change skips to just after the gap
    return Optional.of(endDay.atTime(until).atZone(contact.zone()).toInstant());
  }
}
