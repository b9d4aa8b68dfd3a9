package dev.engage.jobs.profile;

import dev.engage.avro.CustomerProfile;
import dev.engage.avro.LifetimeValue;
import dev.engage.jobs.ProfileTime;
import dev.engage.jobs.value.BgNbd;
import dev.engage.jobs.value.CustomerValue;
import dev.engage.jobs.value.GammaGamma;
import dev.engage.jobs.value.PurchaseHistories;
import dev.engage.rules.definition.ValueModel;

/**
 * A published value model applied to profiles: each customer who has purchased gets expected
 * purchases and value over 12 months and the probability they are still a customer, as of the
 * profile's valuedAt, and that value becomes the profile's {@code predictedValue12m} in place of
 * the formula of {@link ValueScores}.
 */
final class LifetimeValues {
  private final ValueModel model;
  private final BgNbd purchases;
  private final GammaGamma spend;

  LifetimeValues(ValueModel model) {
    this.model = model;
    this.purchases =
        new BgNbd(
            model.purchases().r(),
            model.purchases().alpha(),
            model.purchases().a(),
            model.purchases().b());
    this.spend = new GammaGamma(model.spend().p(), model.spend().q(), model.spend().gamma());
  }

  void apply(CustomerProfile profile) {
    if (profile.getPurchaseDays() == null) {
      profile.setLifetimeValue(null);
      return;
    }
    CustomerValue value =
        CustomerValue.of(
            purchases,
            spend,
            PurchaseHistories.of(profile.getPurchaseDays(), ProfileTime.valuedAt(profile)));
    double predicted = cents(value.predicted12MonthValue());
    profile.setLifetimeValue(
        new LifetimeValue(
            value.expectedPurchases(),
            value.probabilityAlive(),
            cents(value.expectedOrderValue()),
            predicted,
            model.id(),
            model.version()));
    profile.setPredictedValue12m(predicted);
  }

  private static double cents(double amount) {
    return Math.round(amount * 100) / 100.0;
  }
}
