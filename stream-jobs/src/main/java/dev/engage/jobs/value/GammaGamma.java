package dev.engage.jobs.value;

import static org.apache.commons.math3.special.Gamma.logGamma;

/**
 * The Gamma-Gamma model of how much a customer spends per purchase (Fader, Hardie and Lee 2005,
 * "RFM and CLV: using iso-value curves"). Each purchase's value is gamma-distributed with shape p
 * and a rate nu of the customer's own; nu is gamma-distributed over customers with shape q and rate
 * gamma. Spend is assumed independent of how often the customer buys.
 *
 * @param p shape of one purchase's value
 * @param q shape of the distribution of nu over customers
 * @param gamma rate of the distribution of nu over customers, in units of value
 */
public record GammaGamma(double p, double q, double gamma) {

  /**
   * Checks the parameters are positive and finite.
   *
   * @throws IllegalArgumentException naming the first one that is not
   */
  public GammaGamma {
    Parameters.requirePositive("p", p);
    Parameters.requirePositive("q", q);
    Parameters.requirePositive("gamma", gamma);
  }

  /**
   * The log-likelihood of a mean repeat value m over x repeat purchases: the x values sum to a
   * Gamma(p x, nu) amount, so m is Gamma(p x, nu x), and nu is integrated out over Gamma(q, gamma).
   *
   * @throws IllegalArgumentException if the history has no repeat purchase or a mean value of 0
   */
  public double logLikelihood(PurchaseHistory history) {
    return logLikelihoodOfFrequency(history.frequency()) + logLikelihoodOfValue(history);
  }

  /**
   * The terms of the log-likelihood that depend on the frequency x alone; a fit computes them once
   * per distinct x rather than once per customer.
   */
  double logLikelihoodOfFrequency(int x) {
    double px = p * x;
    return logGamma(px + q) - logGamma(px) - logGamma(q) + q * Math.log(gamma);
  }

  /** The rest of the log-likelihood, which depends on the customer's mean value too. */
  double logLikelihoodOfValue(PurchaseHistory history) {
    int x = history.frequency();
    double m = history.meanRepeatValue();
    if (x < 1 || m <= 0) {
      throw new IllegalArgumentException(
          "Gamma-Gamma needs a repeat purchase of positive value, got x = " + x + ", m = " + m);
    }
    double px = p * x;
    return (px - 1) * Math.log(m) + px * Math.log(x) - (px + q) * Math.log(gamma + m * x);
  }

  /**
   * The expected value of the customer's next purchase, (gamma + m x) p / (p x + q - 1): the
   * population mean p gamma / (q - 1) moved towards the customer's own mean the more repeat
   * purchases they have; the population mean when they have none.
   *
   * @throws IllegalStateException if q <= 1 and the customer has no repeat purchase, where the
   *     population has no finite mean value
   */
  public double expectedOrderValue(PurchaseHistory history) {
    int x = history.frequency();
    double denominator = p * x + q - 1;
    if (denominator <= 0) {
      throw new IllegalStateException(
          "no finite expected order value for x = " + x + " with p = " + p + ", q = " + q);
    }
    return (gamma + history.meanRepeatValue() * x) * p / denominator;
  }
}
