package dev.engage.jobs.value;

import static org.apache.commons.math3.special.Gamma.logGamma;

/**
 * The BG/NBD model of how often a customer buys and when they stop (Fader, Hardie and Lee 2005,
 * "Counting your customers the easy way"). While alive a customer buys at a Poisson rate lambda,
 * gamma-distributed over customers with shape r and rate alpha; after each repeat purchase they
 * leave for good with probability p, beta-distributed with a and b. Time is in the unit of the
 * histories, days here, so alpha is in days too.
 *
 * @param r shape of the purchase-rate distribution
 * @param alpha rate (in days) of the purchase-rate distribution
 * @param a first shape of the dropout-probability distribution
 * @param b second shape of the dropout-probability distribution
 */
public record BgNbd(double r, double alpha, double a, double b) {

  /**
   * Checks the parameters are positive and finite.
   *
   * @throws IllegalArgumentException naming the first one that is not
   */
  public BgNbd {
    Parameters.requirePositive("r", r);
    Parameters.requirePositive("alpha", alpha);
    Parameters.requirePositive("a", a);
    Parameters.requirePositive("b", b);
  }

  /**
   * The log-likelihood of one history (equation 6 of the paper), in log space throughout: the
   * powers of the paper overflow for frequent buyers.
   */
  public double logLikelihood(PurchaseHistory history) {
    return logLikelihoodOfFrequency(history.frequency()) + logLikelihoodOfTiming(history);
  }

  /**
   * The factors of equation 6 that depend on the frequency x alone (A1 A2 of the paper); a fit
   * computes them once per distinct x rather than once per customer.
   */
  double logLikelihoodOfFrequency(int x) {
    double logA1 = logGamma(r + x) - logGamma(r) + r * Math.log(alpha);
    double logA2 = logGamma(a + b) + logGamma(b + x) - logGamma(b) - logGamma(a + b + x);
    return logA1 + logA2;
  }

  /** The rest of equation 6: alive at T, or (after a repeat purchase) gone just after t_x. */
  double logLikelihoodOfTiming(PurchaseHistory history) {
    int x = history.frequency();
    double aliveAtT = -(r + x) * Math.log(alpha + history.age());
    if (x == 0) {
      return aliveAtT;
    }
    double goneAfterLast =
        Math.log(a) - Math.log(b + x - 1) - (r + x) * Math.log(alpha + history.recency());
    return logSumExp(aliveAtT, goneAfterLast);
  }

  /** P(alive | x, t_x, T): the probability the customer has not left by the valuation time. */
  public double probabilityAlive(PurchaseHistory history) {
    int x = history.frequency();
    if (x == 0) {
      return 1; // the model lets a customer leave only after a repeat purchase
    }
    double logOdds =
        Math.log(a)
            - Math.log(b + x - 1)
            + (r + x) * (Math.log(alpha + history.age()) - Math.log(alpha + history.recency()));
    return 1 / (1 + Math.exp(logOdds));
  }

  /**
   * The expected number of repeat purchases in the next {@code days} days after the valuation time,
   * given the history (equation 10 of the paper).
   *
   * @throws IllegalArgumentException if days is negative, or a is exactly 1 (a removable
   *     singularity of the closed form, which this does not evaluate)
   */
  public double expectedPurchases(PurchaseHistory history, double days) {
    if (!(days >= 0) || Double.isInfinite(days)) {
      throw new IllegalArgumentException("days must be finite and >= 0, was " + days);
    }
    if (a == 1) {
      throw new IllegalArgumentException("expectedPurchases is not defined at a = 1");
    }
    int x = history.frequency();
    double ageAhead = alpha + history.age() + days;
    double z = days / ageAhead;
    // Equation 10 has ((alpha+T)/(alpha+T+t))^(r+x) 2F1(r+x, b+x; a+b+x-1; z). Euler's
    // transformation 2F1(a,b;c;z) = (1-z)^(c-a-b) 2F1(c-a,c-b;c;z), with 1-z the same ratio,
    // turns it into (1-z)^(a-1) 2F1(a+b-1-r, a-1; a+b+x-1; z): the untransformed series grows
    // like (1-z)^-(r+x) and overflows for frequent buyers, this one stays near 1.
    double c = a + b + x - 1;
    double decay = Math.pow(1 - z, a - 1) * Hypergeometric.f21(a + b - 1 - r, a - 1, c, z);
    return probabilityAlive(history) * c / (a - 1) * (1 - decay);
  }

  private static double logSumExp(double u, double v) {
    double max = Math.max(u, v);
    return max + Math.log1p(Math.exp(Math.min(u, v) - max));
  }
}
