package dev.engage.rules.decisions;

import java.util.SplittableRandom;

/**
 * The propensity of one action in one segment as a Beta-Bernoulli posterior: the prior's
 * pseudo-counts plus the successes (accepted, clicked) and failures (dismissed, or ignored until
 * the ttl) observed. Beta-Bernoulli is the conjugate choice for a yes/no response: updating is
 * adding counts, which can be aggregated per action and segment and replayed idempotently from
 * counts rather than from every response.
 */
public record BetaPosterior(double alpha, double beta) {
  public BetaPosterior {
    if (!(alpha > 0 && beta > 0)) {
      throw new IllegalArgumentException("alpha and beta must be above 0: " + alpha + ", " + beta);
    }
  }

  /** The posterior after the given counts on top of the prior. */
  public static BetaPosterior of(
      double priorSuccesses, double priorFailures, long successes, long failures) {
    return new BetaPosterior(priorSuccesses + successes, priorFailures + failures);
  }

  /** The posterior mean, alpha / (alpha + beta): the estimate arbitration exploits. */
  public double mean() {
    return alpha / (alpha + beta);
  }

  /**
   * One draw from the posterior, for Thompson sampling: X / (X + Y), X ~ Gamma(alpha), Y ~
   * Gamma(beta).
   */
  public double sample(SplittableRandom random) {
    double x = gamma(alpha, random);
    double y = gamma(beta, random);
    return x / (x + y);
  }

  /**
   * Marsaglia and Tsang's method; for a shape below 1, a draw with shape + 1 scaled by U^(1/shape).
   */
  private static double gamma(double shape, SplittableRandom random) {
    if (shape < 1) {
      return gamma(shape + 1, random) * Math.pow(random.nextDouble(), 1 / shape);
    }
    double d = shape - 1.0 / 3;
    double c = 1 / Math.sqrt(9 * d);
    while (true) {
      double x = normal(random);
      double v = 1 + c * x;
      if (v <= 0) {
        continue;
      }
      v = v * v * v;
      double u = random.nextDouble();
      if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) {
        return d * v;
      }
    }
  }

  /** A standard normal draw (Box-Muller). */
  private static double normal(SplittableRandom random) {
    double u1 = 1 - random.nextDouble();
    double u2 = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
}
