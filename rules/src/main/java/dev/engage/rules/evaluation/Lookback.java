package dev.engage.rules.evaluation;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How far back a backtest reads, written as marketers write it: {@code 30m}, {@code 24h}, {@code
 * 7d}.
 */
public final class Lookback {
  private static final Pattern FORMAT = Pattern.compile("(\\d{1,6})(m|h|d)");

  private Lookback() {}

  /** The period; {@link IllegalArgumentException} with a readable message when malformed. */
  public static Duration parse(String text) {
    Matcher m = FORMAT.matcher(text == null ? "" : text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("must look like 30m, 24h or 7d, was '" + text + "'");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }
}
