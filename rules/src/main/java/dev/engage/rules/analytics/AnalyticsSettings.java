package dev.engage.rules.analytics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What counts as a conversion and over what time, for attribution and the campaign figures.
 *
 * @param goals the touchpoint types that are conversions (purchase, order_completed...)
 * @param lookback how long before a conversion a touch is still credited with it
 * @param halfLife the time decay model's half-life
 * @param conversionWindow how long after an exposure to a campaign a conversion counts for it
 */
public record AnalyticsSettings(
    Set<String> goals, Duration lookback, Duration halfLife, Duration conversionWindow) {

  public AnalyticsSettings {
    goals = Set.copyOf(goals);
    List<String> problems = new ArrayList<>();
    if (goals.isEmpty() || goals.stream().anyMatch(String::isBlank)) {
      problems.add("analytics.goals must name at least one touchpoint type, e.g. purchase");
    }
    positive(lookback, "analytics.lookback", problems);
    positive(halfLife, "analytics.half-life", problems);
    positive(conversionWindow, "analytics.conversion-window", problems);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
  }

  /** Purchases and completed orders; a 30-day lookback, a 7-day half-life and window. */
  public static AnalyticsSettings defaults() {
    return new AnalyticsSettings(
        Set.of("purchase", "order_completed"),
        Duration.ofDays(30),
        Duration.ofDays(7),
        Duration.ofDays(7));
  }

  private static void positive(Duration d, String name, List<String> problems) {
    if (d == null || d.isNegative() || d.isZero()) {
      problems.add(name + " must be a positive duration (ISO-8601, e.g. P7D), not " + d);
    }
  }
}
