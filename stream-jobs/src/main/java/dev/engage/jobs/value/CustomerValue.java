package dev.engage.jobs.value;

/**
 * What the fitted models predict for one customer over the next 12 months (365 days).
 *
 * <p>The predicted value is expected purchases times expected order value, undiscounted: a purchase
 * in month 12 counts as much as one tomorrow. It also counts repeat purchases only, as BG/NBD does;
 * the valuation time is not a purchase.
 *
 * @param expectedPurchases expected repeat purchases in the next 365 days
 * @param probabilityAlive probability the customer has not left for good
 * @param expectedOrderValue expected value of one of their purchases
 * @param predicted12MonthValue expectedPurchases times expectedOrderValue
 */
public record CustomerValue(
    double expectedPurchases,
    double probabilityAlive,
    double expectedOrderValue,
    double predicted12MonthValue) {
  /** The horizon of the prediction, in the days the histories are measured in. */
  public static final double HORIZON_DAYS = 365;

  /** Applies fitted purchase and spend models to one customer's history. */
  public static CustomerValue of(BgNbd purchases, GammaGamma spend, PurchaseHistory history) {
    double expected = purchases.expectedPurchases(history, HORIZON_DAYS);
    double orderValue = spend.expectedOrderValue(history);
    return new CustomerValue(
        expected, purchases.probabilityAlive(history), orderValue, expected * orderValue);
  }
}
