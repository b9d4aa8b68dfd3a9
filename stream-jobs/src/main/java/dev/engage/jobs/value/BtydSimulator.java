package dev.engage.jobs.value;

import dev.engage.avro.PurchaseDays;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.apache.commons.math3.distribution.BetaDistribution;
import org.apache.commons.math3.distribution.GammaDistribution;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;

/**
 * Customers drawn from the generative processes of BG/NBD and Gamma-Gamma with known parameters,
 * observed over a calibration period and then a hold-out period, so a fit can be checked against
 * the truth and a prediction against what happened next. The same seed gives the same customers.
 *
 * <p>Each customer's first purchase falls uniformly in the first {@code arrivalDays} of the
 * calibration period. They buy at a rate lambda ~ Gamma(shape r, rate alpha) per day, as a Poisson
 * process in continuous time (so a day holds Poisson(lambda) purchases), and after each repeat
 * purchase leave for good with probability p ~ Beta(a, b). Each purchase is worth Gamma(shape p,
 * rate nu), nu ~ Gamma(shape q, rate gamma) per customer.
 */
public final class BtydSimulator {
  private final BgNbd purchases;
  private final GammaGamma spend;
  private final double arrivalDays;
  private final double calibrationDays;
  private final double holdOutDays;

  /**
   * One simulated customer, as the calibration period shows them and as the hold-out went.
   *
   * @param firstPurchaseDay days from the start of the calibration period
   * @param lastPurchaseDay days from the start of the calibration period
   */
  public record SimulatedCustomer(
      PurchaseHistory history,
      double firstPurchaseDay,
      double lastPurchaseDay,
      int calibrationPurchases,
      double historicValue,
      int holdOutPurchases,
      double holdOutSpend) {

    /** The purchase days a profile would hold at the calibration period's end. */
    public PurchaseDays purchaseDays(Instant calibrationStart) {
      Instant first = day(calibrationStart, firstPurchaseDay);
      double repeatValue = history.meanRepeatValue() * history.frequency();
      return new PurchaseDays(
          first,
          history.frequency() == 0 ? first : day(calibrationStart, lastPurchaseDay),
          historicValue - repeatValue,
          history.frequency(),
          repeatValue);
    }

    private static Instant day(Instant start, double days) {
      return start.plus(Duration.ofDays((long) Math.floor(days)));
    }
  }

  private record Purchase(double day, double value) {}

  public BtydSimulator(
      BgNbd purchases,
      GammaGamma spend,
      double arrivalDays,
      double calibrationDays,
      double holdOutDays) {
    this.purchases = purchases;
    this.spend = spend;
    this.arrivalDays = arrivalDays;
    this.calibrationDays = calibrationDays;
    this.holdOutDays = holdOutDays;
  }

  /** The customers of one seed. */
  public List<SimulatedCustomer> simulate(int customers, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    RandomGenerator distributions = new Well19937c(random.nextLong());
    // commons-math's gamma takes a scale: the models' rates are its reciprocals
    GammaDistribution purchaseRates =
        new GammaDistribution(distributions, purchases.r(), 1 / purchases.alpha());
    BetaDistribution dropouts = new BetaDistribution(distributions, purchases.a(), purchases.b());
    GammaDistribution valueRates =
        new GammaDistribution(distributions, spend.q(), 1 / spend.gamma());
    List<SimulatedCustomer> simulated = new ArrayList<>(customers);
    for (int i = 0; i < customers; i++) {
      double lambda = purchaseRates.sample();
      double dropout = dropouts.sample();
      GammaDistribution values =
          new GammaDistribution(distributions, spend.p(), 1 / valueRates.sample());
      List<Purchase> bought = purchasesOf(random, lambda, dropout, values);
      simulated.add(observe(bought));
    }
    return simulated;
  }

  private List<Purchase> purchasesOf(
      SplittableRandom random, double lambda, double dropout, GammaDistribution values) {
    double end = calibrationDays + holdOutDays;
    double day = random.nextDouble() * arrivalDays;
    List<Purchase> bought = new ArrayList<>();
    bought.add(new Purchase(day, values.sample()));
    while (true) {
      day += -Math.log(1 - random.nextDouble()) / lambda;
      if (day >= end) {
        return bought;
      }
      bought.add(new Purchase(day, values.sample()));
      if (random.nextDouble() < dropout) {
        return bought;
      }
    }
  }

  private SimulatedCustomer observe(List<Purchase> bought) {
    double first = bought.get(0).day();
    double last = first;
    double historicValue = 0;
    int calibrationPurchases = 0;
    int holdOutPurchases = 0;
    double holdOutSpend = 0;
    // the repeat purchase days of the calibration period, each with the value bought on it
    TreeMap<Long, Double> repeatDays = new TreeMap<>();
    for (Purchase purchase : bought) {
      if (purchase.day() >= calibrationDays) {
        holdOutPurchases++;
        holdOutSpend += purchase.value();
        continue;
      }
      calibrationPurchases++;
      historicValue += purchase.value();
      last = purchase.day();
      long calendarDay = (long) Math.floor(purchase.day());
      if (calendarDay != (long) Math.floor(first)) {
        repeatDays.merge(calendarDay, purchase.value(), Double::sum);
      }
    }
    int frequency = repeatDays.size();
    double meanRepeatValue =
        repeatDays.values().stream().mapToDouble(Double::doubleValue).average().orElse(0);
    PurchaseHistory history =
        new PurchaseHistory(
            frequency, frequency == 0 ? 0 : last - first, calibrationDays - first, meanRepeatValue);
    return new SimulatedCustomer(
        history, first, last, calibrationPurchases, historicValue, holdOutPurchases, holdOutSpend);
  }
}
