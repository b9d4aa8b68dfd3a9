package dev.engage.rules.decisions;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class QuietHoursTest {
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  @Test
  void quietHoursOverMidnightEndTheNextMorningInTheCustomersZone() {
    ContactPreferences night = quiet("22:00", "07:00");

    assertThat(QuietHours.endOf(berlin("2026-12-02T23:30"), night))
        .contains(berlin("2026-12-03T07:00"));
    assertThat(QuietHours.endOf(berlin("2026-12-03T06:59"), night))
        .contains(berlin("2026-12-03T07:00"));
    assertThat(QuietHours.endOf(berlin("2026-12-03T07:00"), night)).isEmpty();
    assertThat(QuietHours.endOf(berlin("2026-12-02T21:59"), night)).isEmpty();
  }

  @Test
  void quietHoursWithinADayEndTheSameDay() {
    ContactPreferences siesta = quiet("13:00", "15:00");

    assertThat(QuietHours.endOf(berlin("2026-12-02T14:00"), siesta))
        .contains(berlin("2026-12-02T15:00"));
    assertThat(QuietHours.endOf(berlin("2026-12-02T15:30"), siesta)).isEmpty();
  }

  @Test
  void theEndFollowsTheCustomersClockAcrossADaylightSavingChange() {
    // the night of 28 to 29 March 2026: Berlin moves from UTC+1 to UTC+2
    assertThat(QuietHours.endOf(berlin("2026-03-28T23:00"), quiet("22:00", "07:00")))
        .contains(Instant.parse("2026-03-29T05:00:00Z"));
  }

  @Test
  void aCustomerWithoutQuietHoursIsNeverQuiet() {
    ContactPreferences none =
        new ContactPreferences(true, true, true, null, null, BERLIN, null, null);

    assertThat(QuietHours.endOf(berlin("2026-12-02T03:00"), none)).isEmpty();
  }

  static ContactPreferences quiet(String from, String until) {
    return new ContactPreferences(
        true, true, true, null, null, BERLIN, LocalTime.parse(from), LocalTime.parse(until));
  }

  static Instant berlin(String localDateTime) {
    return ZonedDateTime.of(LocalDateTime.parse(localDateTime), BERLIN).toInstant();
  }
}
