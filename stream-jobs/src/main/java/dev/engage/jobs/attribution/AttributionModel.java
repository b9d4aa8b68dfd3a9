package dev.engage.jobs.attribution;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * How a conversion's credit is split over the touches before it. Every split of at least one touch
 * sums to 1; with no touch there is nothing to credit.
 */
public enum AttributionModel {
  /** All to the first touch. */
  FIRST_TOUCH,
  /** All to the last touch. */
  LAST_TOUCH,
  /** Equal shares. */
  LINEAR,
  /** Each touch weighs 2^(-age / half-life) at the conversion, the weights scaled to sum to 1. */
  TIME_DECAY,
  /**
   * 40% to the first touch, 40% to the last and 20% shared by those between; with two touches half
   * each, with one all of it.
   */
  POSITION_BASED;

  /** Credit of the first and of the last touch under {@link #POSITION_BASED}. */
  static final double POSITION_END_SHARE = 0.4;

  /**
   * The credits, one per touch in the order given (oldest first), of a conversion at {@code
   * convertedAt}; {@code halfLife} is read by {@link #TIME_DECAY} only.
   */
  public double[] credits(List<Touch> touches, Instant convertedAt, Duration halfLife) {
    int n = touches.size();
    double[] credits = new double[n];
    if (n == 0) {
      return credits;
    }
    switch (this) {
      case FIRST_TOUCH -> credits[0] = 1;
      case LAST_TOUCH -> credits[n - 1] = 1;
      case LINEAR -> Arrays.fill(credits, 1.0 / n);
      case TIME_DECAY -> {
        double sum = 0;
        for (int i = 0; i < n; i++) {
          double age = Duration.between(touches.get(i).at(), convertedAt).toMillis();
          credits[i] = Math.pow(2, -Math.max(0, age) / halfLife.toMillis());
          sum += credits[i];
        }
        for (int i = 0; i < n; i++) {
          credits[i] /= sum;
        }
      }
      case POSITION_BASED -> {
        if (n <= 2) {
          Arrays.fill(credits, 1.0 / n);
        } else {
          Arrays.fill(credits, (1 - 2 * POSITION_END_SHARE) / (n - 2));
          credits[0] = POSITION_END_SHARE;
          credits[n - 1] = POSITION_END_SHARE;
        }
      }
    }
    return credits;
  }
}
