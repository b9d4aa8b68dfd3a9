package dev.engage.jobs.value;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The per-customer figures the live job would write, from fitted parameters (days). */
class CustomerValueTest {
  private static final BgNbd PURCHASES = new BgNbd(0.5, 20, 0.8, 4.0);
  private static final GammaGamma SPEND = new GammaGamma(6, 4, 15);

  @Test
  void predictedValueIsExpectedPurchasesOverAYearTimesExpectedOrderValue() {
    PurchaseHistory history = new PurchaseHistory(6, 200, 240, 45);

    CustomerValue value = CustomerValue.of(PURCHASES, SPEND, history);

    assertThat(value.expectedPurchases()).isEqualTo(PURCHASES.expectedPurchases(history, 365));
    assertThat(value.probabilityAlive()).isEqualTo(PURCHASES.probabilityAlive(history));
    assertThat(value.expectedOrderValue()).isEqualTo(SPEND.expectedOrderValue(history));
    assertThat(value.predicted12MonthValue())
        .isCloseTo(value.expectedPurchases() * value.expectedOrderValue(), within(1e-9));
  }

  @Test
  void aCustomerWhoWentQuietIsWorthLessThanOneWhoJustBought() {
    CustomerValue justBought =
        CustomerValue.of(PURCHASES, SPEND, new PurchaseHistory(6, 240, 240, 45));
    CustomerValue wentQuiet =
        CustomerValue.of(PURCHASES, SPEND, new PurchaseHistory(6, 60, 240, 45));
    assertThat(wentQuiet.predicted12MonthValue()).isLessThan(justBought.predicted12MonthValue());
    assertThat(wentQuiet.probabilityAlive()).isLessThan(justBought.probabilityAlive());
  }
}
