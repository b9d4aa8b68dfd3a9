package dev.engage.jobs.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engage.avro.CustomerProfile;
import dev.engage.avro.ErasureRequest;
import dev.engage.avro.ServiceCase;
import dev.engage.schemas.redis.AnalyticsKeys;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Customers moving between segments, with the 7P totals they leave, worked out by hand. */
class SegmentFacetsTest {
  private static final Instant AT = Instant.parse("2026-12-03T07:00:00Z");

  private KeyedTwoInputStreamOperatorTestHarness<String, CustomerProfile, ErasureRequest, Figure>
      harness;

  @BeforeEach
  void setUp() throws Exception {
    harness =
        new KeyedTwoInputStreamOperatorTestHarness<>(
            new KeyedCoProcessOperator<>(new SegmentFacets()),
            CustomerProfile::getCustomerId,
            ErasureRequest::getCustomerId,
            Types.STRING);
    harness.open();
  }

  @AfterEach
  void tearDown() throws Exception {
    harness.close();
  }

  @Test
  void theTotalsAreThoseOfEachCustomersLatestVersion() throws Exception {
    // ann: 3 purchases worth 240 (average 80), mostly books, mostly on the app, 2 calls, a case
    harness.processElement1(
        profile("ann", 1, List.of("vip"), 240, 3, Map.of("books", 2L, "music", 1L), "app", 2, 1),
        0);
    // bob: one purchase of 600, then he leaves vip: his second version replaces the first
    harness.processElement1(
        profile("bob", 1, List.of("vip"), 600, 1, Map.of("garden", 1L), "web", 0, 0), 0);
    harness.processElement1(
        profile("bob", 2, List.of(), 600, 1, Map.of("garden", 1L), "web", 0, 0), 0);
    // a version read again after a restore changes nothing
    harness.processElement1(
        profile("bob", 1, List.of("vip"), 600, 1, Map.of("garden", 1L), "web", 0, 0), 0);

    Map<String, Double> totals = totals();
    assertThat(nonZero(totals, "vip"))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "customers", 1.0,
                "product:books", 1.0,
                "price:25-100", 1.0,
                "place:app", 1.0,
                "people:calls", 2.0,
                "process:openCases", 1.0,
                "process:withOpenCase", 1.0));
    assertThat(nonZero(totals, SegmentFacets.ALL))
        .containsEntry("customers", 2.0)
        .containsEntry("price:500-plus", 1.0)
        .containsEntry("place:web", 1.0);

    harness.processElement2(
        ErasureRequest.newBuilder()
            .setRequestId("er-ann")
            .setCustomerId("ann")
            .setRequestedBy("test")
            .setRequestedAt(AT)
            .build(),
        0);

    assertThat(nonZero(totals(), "vip")).isEmpty();
    assertThat(nonZero(totals(), SegmentFacets.ALL)).containsEntry("customers", 1.0);
  }

  private static CustomerProfile profile(
      String id,
      long version,
      List<String> segments,
      double value,
      long purchases,
      Map<String, Long> categories,
      String channel,
      long calls,
      int cases) {
    return CustomerProfile.newBuilder()
        .setCustomerId(id)
        .setVersion(version)
        .setFirstSeen(AT)
        .setLastSeen(AT)
        .setUpdatedAt(AT)
        .setSegments(segments)
        .setHistoricValue(value)
        .setCountsByType(Map.of("purchase", purchases, "call_started", calls))
        .setCategories(categories)
        .setCountsByChannel(Map.of(channel, 5L, "email", 1L))
        .setOpenCases(
            java.util.stream.IntStream.range(0, cases)
                .mapToObj(i -> new ServiceCase("case-" + i, null, AT))
                .toList())
        .build();
  }

  private Map<String, Double> totals() {
    Map<String, Double> totals = new HashMap<>();
    harness.extractOutputValues().forEach(f -> totals.merge(f.field(), f.value(), Double::sum));
    return totals;
  }

  /** The segment's metrics with a total other than 0. */
  private static Map<String, Double> nonZero(Map<String, Double> totals, String segment) {
    Map<String, Double> of = new HashMap<>();
    totals.forEach(
        (field, v) -> {
          String suffix = AnalyticsKeys.SEPARATOR + segment;
          if (field.endsWith(suffix) && Math.abs(v) > 1e-9) {
            of.put(field.substring(0, field.length() - suffix.length()), v);
          }
        });
    return of;
  }
}
