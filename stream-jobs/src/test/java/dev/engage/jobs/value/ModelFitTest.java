package dev.engage.jobs.value;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.withinPercentage;

import dev.engage.jobs.profile.OldValueFormula;
import dev.engage.jobs.value.BtydSimulator.SimulatedCustomer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fits on customers simulated from the models themselves: they recover the parameters the
 * customers were drawn with, and the predictions they give rank the customers' hold-out spend
 * better than the profile's old formula.
 */
class ModelFitTest {
  /** About 9 purchases a year while alive, about 1 in 6 repeat purchases the last one. */
  private static final BgNbd TRUE_PURCHASES = new BgNbd(0.5, 20, 0.8, 4.0);

  /** A population mean order value of p gamma / (q - 1) = 30. */
  private static final GammaGamma TRUE_SPEND = new GammaGamma(6, 4, 15);

  private static final int CUSTOMERS = 20_000;
  private static final Instant START = Instant.parse("2024-01-01T00:00:00Z");
  private static final double CALIBRATION_DAYS = 730;

  private static List<SimulatedCustomer> customers;
  private static List<PurchaseHistory> histories;
  private static BgNbd fittedPurchases;
  private static GammaGamma fittedSpend;

  @BeforeAll
  static void simulateAndFit() {
    // first purchases over a year, observed for two years, then a 12-month hold-out
    customers =
        new BtydSimulator(TRUE_PURCHASES, TRUE_SPEND, 365, CALIBRATION_DAYS, 365)
            .simulate(CUSTOMERS, 17);
    histories = customers.stream().map(SimulatedCustomer::history).toList();
    long started = System.nanoTime();
    fittedPurchases = ModelFit.bgNbd(histories);
    fittedSpend = ModelFit.gammaGamma(histories);
    System.out.printf(
        "fits took %d ms: BG/NBD %s (true %s), Gamma-Gamma %s (true %s)%n",
        (System.nanoTime() - started) / 1_000_000,
        fittedPurchases,
        TRUE_PURCHASES,
        fittedSpend,
        TRUE_SPEND);
  }

  /*
   * How close the fits come, 20,000 customers, fitted / true, with seeds 1, 2, 3, 4 and 17 (the
   * one used here, the worst of the five for all but r and q): r 1.01-1.03, alpha 1.07-1.09, a 0.95-1.01, b 0.91-1.02;
   * p 0.92-1.04, q 0.99-1.01, gamma 0.98-1.12. Hence 15% for every parameter.
   *
   * Alpha comes out 7-9% high on every seed, a bias rather than noise: the histories count
   * purchase days, so a frequent buyer's two purchases on one day count once and the rates look
   * lower. With each purchase counted on its own (the model's continuous time) the same seeds give
   * alpha 19.95-20.29 and r 0.494-0.502.
   */

  @Test
  void bgNbdFitRecoversTheSimulatedParameters() {
    assertThat(fittedPurchases.r()).isCloseTo(TRUE_PURCHASES.r(), withinPercentage(15));
    assertThat(fittedPurchases.alpha()).isCloseTo(TRUE_PURCHASES.alpha(), withinPercentage(15));
    assertThat(fittedPurchases.a()).isCloseTo(TRUE_PURCHASES.a(), withinPercentage(15));
    assertThat(fittedPurchases.b()).isCloseTo(TRUE_PURCHASES.b(), withinPercentage(15));
  }

  @Test
  void gammaGammaFitRecoversTheSimulatedParameters() {
    assertThat(fittedSpend.p()).isCloseTo(TRUE_SPEND.p(), withinPercentage(15));
    assertThat(fittedSpend.q()).isCloseTo(TRUE_SPEND.q(), withinPercentage(15));
    assertThat(fittedSpend.gamma()).isCloseTo(TRUE_SPEND.gamma(), withinPercentage(15));
  }

  @Test
  void expectedHoldOutPurchasesAddUpToTheSimulatedOnes() {
    double expected = sum(h -> fittedPurchases.expectedPurchases(h, 365));
    double actual = customers.stream().mapToInt(SimulatedCustomer::holdOutPurchases).sum();
    System.out.printf("hold-out purchases: expected %.0f, simulated %.0f%n", expected, actual);
    assertThat(expected).isCloseTo(actual, withinPercentage(5));
  }

  @Test
  void modelRanksHoldOutSpendBetterThanTheOldFormula() {
    double[] actual = customers.stream().mapToDouble(SimulatedCustomer::holdOutSpend).toArray();
    double[] model =
        histories.stream()
            .mapToDouble(
                h -> CustomerValue.of(fittedPurchases, fittedSpend, h).predicted12MonthValue())
            .toArray();
    double[] old = customers.stream().mapToDouble(ModelFitTest::oldPrediction).toArray();
    SpearmansCorrelation spearman = new SpearmansCorrelation();
    double modelRho = spearman.correlation(model, actual);
    double oldRho = spearman.correlation(old, actual);
    System.out.printf(
        "Spearman with hold-out spend: model %.3f, old formula %.3f%n", modelRho, oldRho);
    assertThat(modelRho).isGreaterThan(oldRho);
  }

  @Test
  void aFitThatRunsOutOfEvaluationsSaysSo() {
    assertThatThrownBy(() -> ModelFit.bgNbd(histories, 10))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("BG/NBD fit did not converge within 10 evaluations");
    assertThatThrownBy(() -> ModelFit.gammaGamma(histories, 10))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Gamma-Gamma fit did not converge within 10 evaluations");
  }

  @Test
  void fittingNothingIsRefused() {
    assertThatThrownBy(() -> ModelFit.bgNbd(List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no histories");
    assertThatThrownBy(() -> ModelFit.gammaGamma(List.of(new PurchaseHistory(0, 0, 30, 0))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("repeat purchase");
  }

  private static double oldPrediction(SimulatedCustomer customer) {
    return OldValueFormula.predicted12m(
        at(customer.firstPurchaseDay()),
        at(customer.lastPurchaseDay()),
        at(CALIBRATION_DAYS),
        customer.calibrationPurchases(),
        customer.historicValue());
  }

  private static Instant at(double day) {
    return START.plus(Duration.ofSeconds(Math.round(day * 86_400)));
  }

  private static double sum(ToDoubleFunction<PurchaseHistory> perCustomer) {
    return histories.stream().mapToDouble(perCustomer).sum();
  }
}
