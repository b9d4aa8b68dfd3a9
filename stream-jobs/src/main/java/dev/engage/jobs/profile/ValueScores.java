package dev.engage.jobs.profile;

import dev.engage.avro.RfmScores;
import java.time.Duration;
import java.time.Instant;

/**
 * Recency, frequency and monetary scores (1 low to 5 high) and the predicted value of the next 12
 * months, from a customer's purchases.
 *
 * <ul>
 *   <li>recency: days from the last purchase to the latest event: up to 7 = 5, 30 = 4, 90 = 3, 180
 *       = 2, older = 1;
 *   <li>frequency: lifetime purchases: 20 or more = 5, 10 = 4, 5 = 3, 2 = 2, one = 1;
 *   <li>monetary: historic value: 5,000 or more = 5, 1,000 = 4, 250 = 3, 50 = 2, less = 1;
 *   <li>predicted 12-month value: the yearly spend so far (historic value over the years since the
 *       first event, at least one year) times the recency score over 5, a simple retention factor:
 *       a customer who stopped buying is worth less than one who buys every week.
 * </ul>
 */
final class ValueScores {
  private static final int[] RECENCY_DAYS = {7, 30, 90, 180};
  private static final int[] FREQUENCY = {20, 10, 5, 2};
  private static final double[] MONETARY = {5000, 1000, 250, 50};

  private ValueScores() {}

  static RfmScores rfm(Instant lastPurchase, Instant now, long purchases, double historicValue) {
    long days = Duration.between(lastPurchase, now).toDays();
    int recency = 1;
    for (int i = 0; i < RECENCY_DAYS.length; i++) {
      if (days <= RECENCY_DAYS[i]) {
        recency = 5 - i;
        break;
      }
    }
    int frequency = 1;
    for (int i = 0; i < FREQUENCY.length; i++) {
      if (purchases >= FREQUENCY[i]) {
        frequency = 5 - i;
        break;
      }
    }
    int monetary = 1;
    for (int i = 0; i < MONETARY.length; i++) {
      if (historicValue >= MONETARY[i]) {
        monetary = 5 - i;
        break;
      }
    }
    return new RfmScores(recency, frequency, monetary);
  }

  static double predicted12m(double historicValue, Instant firstSeen, Instant now, int recency) {
    double years = Math.max(1.0, Duration.between(firstSeen, now).toDays() / 365.0);
    return Math.round(historicValue / years * recency / 5.0 * 100) / 100.0;
  }
}
