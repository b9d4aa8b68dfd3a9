package dev.engage.jobs.value;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * BG/NBD against the paper's own example and an independent evaluation. The CDNOW parameters of
 * Fader, Hardie and Lee (2005) are in weeks; the formulas do not care about the unit, so these
 * tests use weeks too.
 */
class BgNbdTest {
  private static final BgNbd CDNOW = new BgNbd(0.243, 4.414, 0.793, 2.426);

  /** The paper's worked example: 2 repeat purchases, the last in week 30.43, 38.86 weeks old. */
  private static final PurchaseHistory EXAMPLE = new PurchaseHistory(2, 30.43, 38.86, 0);

  @Test
  void expectsThePapersPurchasesForItsExampleCustomer() {
    // the paper gives 1.226 purchases in the next 39 weeks for this customer
    assertThat(CDNOW.expectedPurchases(EXAMPLE, 39)).isCloseTo(1.226, within(0.0005));
  }

  @Test
  void matchesAnIndependentEvaluationOfTheClosedForms() {
    // reference values from equations 6 and 10 as printed, in 30-digit arithmetic (mpmath:
    // loggamma, hyp2f1), without the log-space and Euler-transformed forms used here
    assertThat(CDNOW.logLikelihood(EXAMPLE)).isCloseTo(-9.4586063070662712, within(1e-10));
    assertThat(CDNOW.probabilityAlive(EXAMPLE)).isCloseTo(0.72657857008067291, within(1e-12));
    assertThat(CDNOW.expectedPurchases(EXAMPLE, 365)).isCloseTo(6.027672053790639, within(1e-9));

    PurchaseHistory oneOff = new PurchaseHistory(0, 0, 38.86, 0);
    assertThat(CDNOW.logLikelihood(oneOff)).isCloseTo(-0.55471327643815845, within(1e-10));
    assertThat(CDNOW.expectedPurchases(oneOff, 39)).isCloseTo(0.19509805201126264, within(1e-10));

    // a frequent buyer, where the paper's form of equation 10 is a product of huge and tiny terms
    PurchaseHistory frequent = new PurchaseHistory(50, 300, 320, 0);
    assertThat(CDNOW.logLikelihood(frequent)).isCloseTo(-148.0965354409046, within(1e-9));
    assertThat(CDNOW.probabilityAlive(frequent)).isCloseTo(0.72611902893187121, within(1e-12));
    assertThat(CDNOW.expectedPurchases(frequent, 365)).isCloseTo(30.034919152477639, within(1e-8));
  }

  @Test
  void aCustomerWithoutRepeatPurchaseIsAlive() {
    assertThat(CDNOW.probabilityAlive(new PurchaseHistory(0, 0, 100, 0))).isEqualTo(1);
  }

  @Test
  void aLongerSilenceSinceTheLastPurchaseMakesACustomerLessLikelyAlive() {
    double justBought = CDNOW.probabilityAlive(new PurchaseHistory(4, 20, 20, 0));
    double quietSince = CDNOW.probabilityAlive(new PurchaseHistory(4, 20, 40, 0));
    double longGone = CDNOW.probabilityAlive(new PurchaseHistory(4, 20, 80, 0));
    assertThat(justBought).isGreaterThan(quietSince);
    assertThat(quietSince).isGreaterThan(longGone);
    assertThat(longGone).isPositive();
  }

  @Test
  void expectedPurchasesStartAtZeroAndGrowWithTheHorizon() {
    assertThat(CDNOW.expectedPurchases(EXAMPLE, 0)).isEqualTo(0);
    double previous = 0;
    for (double weeks : new double[] {1, 4, 13, 52, 104}) {
      double expected = CDNOW.expectedPurchases(EXAMPLE, weeks);
      assertThat(expected).isGreaterThan(previous);
      previous = expected;
    }
  }

  @Test
  void refusesParametersAndHorizonsOutsideTheModel() {
    assertThatThrownBy(() -> new BgNbd(0.2, 0, 0.8, 2.4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("alpha must be positive and finite, was 0.0");
    assertThatThrownBy(() -> CDNOW.expectedPurchases(EXAMPLE, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("days must be finite and >= 0");
    assertThatThrownBy(() -> new BgNbd(0.2, 4, 1, 2.4).expectedPurchases(EXAMPLE, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a = 1");
  }
}
