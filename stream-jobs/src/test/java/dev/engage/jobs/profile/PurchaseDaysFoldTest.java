package dev.engage.jobs.profile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engage.avro.PurchaseDays;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PurchaseDaysFoldTest {
  private static final Instant DAY_1 = Instant.parse("2026-11-01T00:00:00Z");
  private static final Instant DAY_3 = Instant.parse("2026-11-03T00:00:00Z");
  private static final Instant DAY_5 = Instant.parse("2026-11-05T00:00:00Z");

  @Test
  void purchasesOnTheSameDayCountOnceAndTheFirstDayIsNotARepeat() {
    PurchaseDays days = PurchaseDaysFold.add(null, DAY_1.plusSeconds(3_600), 10);
    days = PurchaseDaysFold.add(days, DAY_1.plusSeconds(7_200), 5);
    days = PurchaseDaysFold.add(days, DAY_3.plusSeconds(60), 20);
    days = PurchaseDaysFold.add(days, DAY_3.plusSeconds(80_000), 4);
    days = PurchaseDaysFold.add(days, DAY_5.plusSeconds(1), 6);

    assertThat(days).isEqualTo(new PurchaseDays(DAY_1, DAY_5, 15.0, 2, 30.0));
  }

  @Test
  void aLatePurchaseBeforeTheFirstDayMakesTheOldFirstDayARepeat() {
    PurchaseDays days = PurchaseDaysFold.add(null, DAY_3.plusSeconds(60), 20);

    days = PurchaseDaysFold.add(days, DAY_1.plusSeconds(60), 10);

    assertThat(days).isEqualTo(new PurchaseDays(DAY_1, DAY_3, 10.0, 1, 20.0));
  }

  @Test
  void aLatePurchaseBetweenTheFirstAndTheLatestDayAddsItsValueButNoDay() {
    PurchaseDays days = new PurchaseDays(DAY_1, DAY_5, 10.0, 1, 20.0);

    assertThat(PurchaseDaysFold.add(days, DAY_3, 7))
        .isEqualTo(new PurchaseDays(DAY_1, DAY_5, 10.0, 1, 27.0));
  }

  @Test
  void mergedCustomersKeepTheEarlierFirstDayAndTheOtherBecomesARepeat() {
    PurchaseDays survivor = new PurchaseDays(DAY_3, DAY_5, 20.0, 1, 6.0);
    PurchaseDays visitor = new PurchaseDays(DAY_1, DAY_1, 10.0, 0, 0.0);

    assertThat(PurchaseDaysFold.merge(survivor, visitor))
        .isEqualTo(new PurchaseDays(DAY_1, DAY_5, 10.0, 2, 26.0));
    assertThat(PurchaseDaysFold.merge(survivor, null)).isSameAs(survivor);
    assertThat(PurchaseDaysFold.merge(new PurchaseDays(DAY_3, DAY_3, 4.0, 0, 0.0), survivor))
        .isEqualTo(new PurchaseDays(DAY_3, DAY_5, 24.0, 1, 6.0));
  }
}
