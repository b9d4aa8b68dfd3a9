package dev.engage.api.analytics;

/**
 * Intervals for rates from counts: Wilson's score interval for one proportion, which stays within 0
 * and 1 and is honest for small counts where the normal approximation is not, and Newcombe's hybrid
 * score interval (method 10 of Newcombe 1998) for the difference of two, built from the two Wilson
 * intervals.
 */
public final class Proportions {
  /** The 97.5% quantile of the normal distribution: 95% two-sided intervals. */
  static final double Z = 1.96;

  private Proportions() {}

  /** A 95% interval. */
  public record Interval(double low, double high) {}

  /** The 95% Wilson score interval of {@code successes} out of {@code n} (n > 0). */
  public static Interval wilson(long successes, long n) {
    double p = successes / (double) n;
    double denominator = 1 + Z * Z / n;
    double centre = (p + Z * Z / (2.0 * n)) / denominator;
    double half = Z * Math.sqrt(p * (1 - p) / n + Z * Z / (4.0 * n * n)) / denominator;
    return new Interval(Math.max(0, centre - half), Math.min(1, centre + half));
  }

  /**
   * The 95% interval of the difference of two proportions, x1/n1 - x2/n2 (both n > 0), by
   * Newcombe's method 10.
   */
  public static Interval difference(long x1, long n1, long x2, long n2) {
    double p1 = x1 / (double) n1;
    double p2 = x2 / (double) n2;
    Interval first = wilson(x1, n1);
    Interval second = wilson(x2, n2);
    double d = p1 - p2;
    return new Interval(
        d - Math.hypot(p1 - first.low(), second.high() - p2),
        d + Math.hypot(first.high() - p1, p2 - second.low()));
  }
}
