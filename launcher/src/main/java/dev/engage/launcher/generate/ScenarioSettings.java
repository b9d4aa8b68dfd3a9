package dev.engage.launcher.generate;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * What a scenario is made of: how many customers, over which span of simulated time from which
 * start, and the seed that makes it repeatable (the same settings give the same events).
 */
public record ScenarioSettings(int customers, long seed, Instant start, Duration span) {
  public ScenarioSettings {
    if (customers < 1) {
      throw new IllegalArgumentException("--customers: at least 1, was " + customers);
    }
    if (span.toDays() < 1) {
      throw new IllegalArgumentException("--span: at least a day, was " + span);
    }
  }

  /** The default start: {@code span} before today's midnight (UTC), so a day's runs agree. */
  public static Instant defaultStart(Duration span) {
    return LocalDate.now(ZoneOffset.UTC).atStartOfDay(ZoneOffset.UTC).toInstant().minus(span);
  }

  public int days() {
    return (int) span.toDays();
  }
}
