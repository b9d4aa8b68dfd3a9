package dev.engage.jobs.value;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Gamma-Gamma with the CDNOW spend parameters of Fader, Hardie and Lee (2005). */
class GammaGammaTest {
  private static final GammaGamma CDNOW = new GammaGamma(6.25, 3.74, 15.44);

  @Test
  void matchesAnIndependentEvaluationOfTheLikelihood() {
    // reference values in 30-digit arithmetic (mpmath loggamma)
    assertThat(CDNOW.logLikelihood(new PurchaseHistory(3, 20, 30, 40)))
        .isCloseTo(-4.3335886557945647, within(1e-12));
    assertThat(CDNOW.logLikelihood(new PurchaseHistory(1, 20, 30, 12.5)))
        .isCloseTo(-3.6862756451277438, within(1e-12));
  }

  @Test
  void theLikelihoodIsADensityOfTheMeanValue() {
    // the integral over m of the density for x = 3 is 1 (midpoint rule, far into the tail)
    double step = 0.01;
    double total = 0;
    for (double m = step / 2; m < 2_000; m += step) {
      total += Math.exp(CDNOW.logLikelihood(new PurchaseHistory(3, 1, 1, m))) * step;
    }
    assertThat(total).isCloseTo(1, within(1e-4));
  }

  @Test
  void aCustomerWithoutRepeatPurchaseIsExpectedToSpendThePopulationMean() {
    double populationMean = 6.25 * 15.44 / (3.74 - 1);
    assertThat(CDNOW.expectedOrderValue(new PurchaseHistory(0, 0, 30, 0)))
        .isCloseTo(populationMean, within(1e-12));
  }

  @Test
  void moreRepeatPurchasesMoveTheExpectationTowardsTheCustomersOwnMean() {
    double own = 100;
    double few = CDNOW.expectedOrderValue(new PurchaseHistory(1, 10, 30, own));
    double many = CDNOW.expectedOrderValue(new PurchaseHistory(50, 300, 300, own));
    double populationMean = 6.25 * 15.44 / (3.74 - 1);
    assertThat(few).isBetween(populationMean, own);
    assertThat(many).isBetween(few, own);
    assertThat(many).isCloseTo(own, within(2.0));
  }

  @Test
  void refusesWhatTheModelCannotSay() {
    assertThatThrownBy(() -> CDNOW.logLikelihood(new PurchaseHistory(0, 0, 30, 0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs a repeat purchase of positive value");
    assertThatThrownBy(
            () -> new GammaGamma(6, 0.8, 15).expectedOrderValue(new PurchaseHistory(0, 0, 30, 0)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no finite expected order value");
  }
}
