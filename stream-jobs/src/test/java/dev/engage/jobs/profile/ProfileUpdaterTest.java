package dev.engage.jobs.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.engage.avro.CustomerProfile;
import dev.engage.avro.ErasureRequest;
import dev.engage.avro.LifetimeValue;
import dev.engage.avro.RuleRecord;
import dev.engage.avro.Touchpoint;
import dev.engage.jobs.ProfileTime;
import dev.engage.jobs.triggers.RuleChange;
import dev.engage.jobs.value.BgNbd;
import dev.engage.jobs.value.PurchaseHistory;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the profile operator keeps per customer, with Flink's harness (no Redis is reached: nothing
 * here reloads): after the time-to-live only the retired version is left, after an erasure nothing.
 */
class ProfileUpdaterTest {
  private static final Instant T0 = Instant.parse("2026-11-23T08:00:00Z");
  private static final Duration TIME_TO_LIVE = Duration.ofDays(90);

  private KeyedBroadcastOperatorTestHarness<String, ProfileInput, RuleChange, CustomerProfile>
      harness;

  @BeforeEach
  void setUp() throws Exception {
    harness =
        ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
            new ProfileUpdater(URI.create("redis://localhost:1"), TIME_TO_LIVE),
            ProfileInput::customerId,
            Types.STRING,
            ProfileDescriptors.DEFINITIONS);
    harness.setProcessingTime(T0.toEpochMilli());
    // as in the job: the definitions never hold back event time
    harness.processBroadcastWatermark(Long.MAX_VALUE);
  }

  @AfterEach
  void tearDown() throws Exception {
    harness.close();
  }

  @Test
  void afterTheTimeToLiveOnlyTheRetiredVersionIsLeftAndNoTimer() throws Exception {
    harness.processElement(ProfileInput.of(touchpoint("e1")), 0);
    assertThat(keyedStateEntries()).isEqualTo(3); // the state, when it goes, when it is valued
    assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);
    assertThat(harness.numEventTimeTimers()).isEqualTo(1);

    harness.setProcessingTime(T0.plus(TIME_TO_LIVE).plus(Duration.ofMinutes(2)).toEpochMilli());
    harness.processWatermark(T0.plus(Duration.ofDays(2)).toEpochMilli());

    assertThat(keyedStateEntries()).isEqualTo(1); // 8 bytes: the last version
    assertThat(harness.numProcessingTimeTimers()).isZero();
    assertThat(harness.numEventTimeTimers()).isZero(); // the valuation timer found nobody
  }

  /**
   * A customer who bought once and then went quiet, while others' events move event time on 61
   * days: their profile is valued again on the days a figure changes, by hand: the 1h and 24h
   * windows empty on day 1, the 7d window on day 7, recency drops to 4 on day 8, the 30d window and
   * categories empty on day 30, recency drops to 3 on day 31, and on day 61 (more than 1,440 hours
   * since the purchase) the customer enters the lapsed segment.
   */
  @Test
  void aQuietCustomerIsValuedAgainAsEventTimeMovesAndEntersALapsedSegmentOnTheDay()
      throws Exception {
    harness.processBroadcastElement(LAPSED, 0);
    Touchpoint purchase = touchpoint("e1");
    purchase.setType("purchase");
    purchase.setAmount(120.0);
    harness.processElement(ProfileInput.of(purchase), T0.toEpochMilli());
    Instant later = T0.plus(Duration.ofDays(61)).plus(Duration.ofHours(1));
    harness.processElement(ProfileInput.of(other("bob", later)), later.toEpochMilli());

    harness.processWatermark(later.toEpochMilli());

    List<CustomerProfile> valued =
        annVersions().stream()
            .filter(p -> p.getLastCause().getType().equals(ProfileAging.CAUSE_TYPE))
            .toList();
    assertThat(valued)
        .extracting(p -> Duration.between(T0, p.getValuedAt()).toDays())
        .containsExactly(1L, 7L, 8L, 30L, 31L, 61L);
    assertThat(valued)
        .extracting(CustomerProfile::getVersion)
        .containsExactly(2L, 3L, 4L, 5L, 6L, 7L);
    assertThat(valued).extracting(p -> p.getRfm().getRecency()).containsExactly(5, 5, 4, 4, 3, 3);
    assertThat(valued).extracting(CustomerProfile::getSegments).last().isEqualTo(List.of("lapsed"));
    assertThat(valued.get(4).getSegments()).isEmpty();
    assertThat(valued.get(3).getCategories30d()).isEmpty();
    assertThat(valued).allSatisfy(p -> assertThat(p.getLastSeen()).isEqualTo(T0));
    // stamped as of their valuation, but never ahead of the wall clock (the harness's, at T0)
    assertThat(valued).extracting(CustomerProfile::getUpdatedAt).containsOnly(T0);

    // the end of a bounded input is not time passing
    harness.processWatermark(Long.MAX_VALUE);
    assertThat(annVersions()).hasSize(1 + valued.size());
  }

  @Test
  void theValuationsBeforeACustomersNextTouchpointAreMadeWhenItComesBeforeTheWatermark()
      throws Exception {
    harness.processBroadcastElement(LAPSED, 0);
    Touchpoint purchase = touchpoint("e1");
    purchase.setType("purchase");
    purchase.setAmount(120.0);
    harness.processElement(ProfileInput.of(purchase), T0.toEpochMilli());
    Instant later = T0.plus(Duration.ofDays(61)).plus(Duration.ofHours(1));

    // ann's own return reaches the operator before any watermark has passed her valuations
    harness.processElement(ProfileInput.of(other("ann", later)), later.toEpochMilli());

    // the same versions as when the watermark comes first (the test above), then the touchpoint
    assertThat(annVersions())
        .extracting(p -> p.getLastCause().getType())
        .containsExactly(
            "purchase",
            ProfileAging.CAUSE_TYPE,
            ProfileAging.CAUSE_TYPE,
            ProfileAging.CAUSE_TYPE,
            ProfileAging.CAUSE_TYPE,
            ProfileAging.CAUSE_TYPE,
            ProfileAging.CAUSE_TYPE,
            "page_view");
    assertThat(annVersions())
        .extracting(p -> Duration.between(T0, p.getValuedAt()).toHours())
        .containsExactly(0L, 24L, 7 * 24L, 8 * 24L, 30 * 24L, 31 * 24L, 61 * 24L, 61 * 24L + 1);
    assertThat(annVersions().get(6).getSegments()).containsExactly("lapsed");
    assertThat(annVersions())
        .extracting(CustomerProfile::getVersion)
        .isSorted()
        .doesNotHaveDuplicates();

    // the watermark passing the valuations afterwards makes none twice
    harness.processWatermark(later.toEpochMilli());
    assertThat(annVersions()).hasSize(8);
    assertThat(harness.numEventTimeTimers()).isEqualTo(1); // a day after her return
  }

  @Test
  void aPublishedValueModelGivesEachBuyerTheirLifetimeValueAndItFallsAsTheyStayAway()
      throws Exception {
    harness.processBroadcastElement(LIFETIME_VALUE, 0);
    Instant later = T0.plus(Duration.ofDays(10));
    harness.processElement(ProfileInput.of(purchase("p1", T0, 100.0)), T0.toEpochMilli());
    harness.processElement(ProfileInput.of(purchase("p2", later, 30.0)), later.toEpochMilli());
    harness.processElement(
        ProfileInput.of(purchase("p3", later.plusSeconds(60), 20.0)), later.toEpochMilli());

    List<CustomerProfile> versions = annVersions();
    CustomerProfile bought = versions.get(versions.size() - 1);
    assertThat(bought.getLastCause().getEventId()).isEqualTo("p3");
    // one repeat day (two purchases, 50 in all) 10 days after the first; valued at 08:01 that day
    assertThat(bought.getPurchaseDays().getRepeatDays()).isEqualTo(1);
    double age = 10 + (8 * 60 + 1) / 1440.0;
    double alive = 1 / (1 + 0.8 / (4.0 + 1 - 1) * Math.pow((20 + age) / (20 + 10), 0.5 + 1));
    double orderValue = (15 + 50.0 * 1) * 6 / (6 * 1 + 4 - 1);
    double purchases =
        new BgNbd(0.5, 20, 0.8, 4.0).expectedPurchases(new PurchaseHistory(1, 10, age, 50), 365);
    LifetimeValue value = bought.getLifetimeValue();
    assertThat(value.getProbabilityAlive()).isCloseTo(alive, within(1e-9));
    assertThat(value.getExpectedOrderValue()).isEqualTo(Math.round(orderValue * 100) / 100.0);
    assertThat(value.getExpectedPurchases12m()).isCloseTo(purchases, within(1e-9));
    assertThat(bought.getPredictedValue12m())
        .isEqualTo(value.getPredictedValue12m())
        .isEqualTo(Math.round(purchases * orderValue * 100) / 100.0);
    assertThat(value.getModel()).isEqualTo("lifetime-value");
    assertThat(value.getModelVersion()).isEqualTo(4);

    // quiet for 90 days: each valuation that makes a version has her less likely to be alive
    harness.processWatermark(later.plus(Duration.ofDays(90)).toEpochMilli());
    assertThat(annVersions().subList(versions.size() - 1, annVersions().size()))
        .hasSizeGreaterThan(2)
        .extracting(p -> p.getLifetimeValue().getProbabilityAlive())
        .isSortedAccordingTo((a, b) -> Double.compare(b, a))
        .doesNotHaveDuplicates();
  }

  @Test
  void aCustomerIsValuedForAYearAfterTheirLastTouchpointAndThenHoldsNoTimer() throws Exception {
    harness.processElement(ProfileInput.of(touchpoint("e1")), T0.toEpochMilli());
    Instant muchLater = T0.plus(Duration.ofDays(400));

    harness.processWatermark(muchLater.toEpochMilli());

    assertThat(annVersions())
        .extracting(p -> Duration.between(T0, ProfileTime.valuedAt(p)).toDays())
        .allMatch(days -> days <= ProfileAging.SPAN.toDays());
    assertThat(harness.numEventTimeTimers()).isZero();
    assertThat(keyedStateEntries()).isEqualTo(2); // the state, and when it goes
  }

  private List<CustomerProfile> annVersions() {
    return harness.extractOutputValues().stream()
        .filter(p -> p.getCustomerId().equals("ann"))
        .toList();
  }

  @Test
  void anErasureLeavesNothingAndNoTimer() throws Exception {
    harness.processElement(ProfileInput.of(touchpoint("e1")), 0);

    harness.processElement(
        ProfileInput.of(new ErasureRequest("erase-1", "ann", "test", T0.plusSeconds(60))), 0);

    assertThat(keyedStateEntries()).isZero();
    assertThat(harness.numProcessingTimeTimers()).isZero();
    assertThat(harness.extractOutputValues())
        .extracting(p -> p.getErasedAt() != null)
        .containsExactly(false, true);
  }

  /** Entries of per-customer state (the heap backend counts them). */
  private int keyedStateEntries() {
    return ((HeapKeyedStateBackend<?>) harness.getOperator().getKeyedStateBackend())
        .numKeyValueStateEntries();
  }

  private static final RuleChange LAPSED =
      RuleChange.read(
          "lapsed",
          RuleRecord.newBuilder()
              .setId("lapsed")
              .setKind("segment")
              .setVersion(1)
              .setSource(
                  """
                  kind: segment
                  id: lapsed
                  name: Lapsed buyers
                  condition: "has(profile.lastPurchaseAt) && now - profile.lastPurchaseAt > duration('1440h')"
                  """)
              .setUpdatedAt(T0)
              .build(),
          0,
          0);

  private static final RuleChange LIFETIME_VALUE =
      RuleChange.read(
          "lifetime-value",
          RuleRecord.newBuilder()
              .setId("lifetime-value")
              .setKind("value_model")
              .setVersion(4)
              .setSource(
                  """
                  kind: value_model
                  id: lifetime-value
                  name: Lifetime value
                  purchases: {r: 0.5, alpha: 20, a: 0.8, b: 4.0}
                  spend: {p: 6, q: 4, gamma: 15}
                  """)
              .setUpdatedAt(T0)
              .build(),
          0,
          0);

  private static Touchpoint purchase(String id, Instant at, double amount) {
    Touchpoint purchase = other("ann", at);
    purchase.setEventId(id);
    purchase.setType("purchase");
    purchase.setAmount(amount);
    return purchase;
  }

  private static Touchpoint other(String customer, Instant at) {
    Touchpoint event = touchpoint(customer + "-" + at.toEpochMilli());
    event.setCustomerId(customer);
    event.setOccurredAt(at);
    event.setReceivedAt(at);
    return event;
  }

  private static Touchpoint touchpoint(String id) {
    return Touchpoint.newBuilder()
        .setEventId(id)
        .setCustomerId("ann")
        .setType("page_view")
        .setChannel("web")
        .setSource("test")
        .setOccurredAt(T0)
        .setReceivedAt(T0)
        .build();
  }
}
