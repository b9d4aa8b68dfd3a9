package dev.engage.jobs.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engage.jobs.analytics.FunnelEvent.Kind;
import dev.engage.schemas.redis.AnalyticsKeys;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Scripted customers through the funnel, with the figures they must count, worked out by hand. */
class ConversionFunnelTest {
  private static final long DAY = Duration.ofDays(1).toMillis();
  private static final long T0 = 1_800_000_000_000L;

  private KeyedOneInputStreamOperatorTestHarness<String, FunnelEvent, Figure> harness;

  @BeforeEach
  void setUp() throws Exception {
    harness =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(new ConversionFunnel(Duration.ofDays(7))),
            FunnelEvent::customerId,
            Types.STRING);
    harness.open();
    harness.setProcessingTime(T0);
  }

  @AfterEach
  void tearDown() throws Exception {
    harness.close();
  }

  @Test
  void treatedAndControlCustomersCountOncePerCampaignAndConvertWithinTheWindowOnly()
      throws Exception {
    exposed("ann", "sale", false, "act-a", "ntf-a", 0);
    exposed("ann", "sale", false, "act-a2", "ntf-a2", 2 * DAY); // within the window: not again
    converted("ann", 3 * DAY);
    converted("ann", 4 * DAY); // a second purchase converts nobody again
    exposed("bob", "sale", true, "act-b", null, 0); // held back for the control group
    converted("bob", 8 * DAY); // after the window
    exposed("cat", "sale", true, "act-c", null, 0);
    converted("cat", DAY);
    converted("dan", DAY); // never exposed

    assertThat(totals())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                campaign("exposed:treated|sale"), 1.0,
                campaign("converted:treated|sale"), 1.0,
                campaign("exposed:control|sale"), 2.0,
                campaign("converted:control|sale"), 1.0));
  }

  @Test
  void aConversionBeforeTheExposureDoesNotCountAndTheWindowStartsAgainAfterIt() throws Exception {
    converted("ann", 0);
    exposed("ann", "sale", false, "act-1", "ntf-1", DAY);
    exposed("ann", "sale", false, "act-2", "ntf-2", 9 * DAY); // the first window is over
    converted("ann", 10 * DAY);

    assertThat(totals())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(campaign("exposed:treated|sale"), 2.0, campaign("converted:treated|sale"), 1.0));
  }

  @Test
  void responsesCountForTheCampaignOfTheirNotificationOrActionAndAnAgentsForTheAgent()
      throws Exception {
    exposed("ann", "sale", false, "act-1", "ntf-1", 0);
    harness.processElement(
        new FunnelEvent(Kind.NAMED, "ann", 0, "gold-card", false, "act-2", null, null, null), 0);
    responded("ann", null, "ntf-1", "DELIVERED", null, DAY);
    responded("ann", null, "ntf-1", "OPENED", null, DAY);
    responded("ann", "act-1", "ntf-1", "CLICKED", null, DAY);
    responded("ann", "act-2", null, "ACCEPTED", "agent-7", DAY);
    responded("ann", "act-unknown", null, "DISMISSED", "agent-7", DAY);
    converted("ann", 2 * DAY);

    Map<String, Double> totals = totals();
    assertThat(totals)
        .containsEntry(campaign("delivered|sale"), 1.0)
        .containsEntry(campaign("opened|sale"), 1.0)
        .containsEntry(campaign("clicked|sale"), 1.0)
        .containsEntry(campaign("accepted|gold-card"), 1.0)
        .containsEntry(campaign("converted:treated|sale"), 1.0)
        .containsEntry(agent("shown|agent-7"), 2.0)
        .containsEntry(agent("accepted|agent-7"), 1.0)
        .containsEntry(agent("dismissed|agent-7"), 1.0)
        .containsEntry(agent("exposed|agent-7"), 1.0)
        .containsEntry(agent("converted|agent-7"), 1.0)
        .doesNotContainKey(campaign("dismissed|act-unknown"));
  }

  @Test
  void anErasureForgetsTheCustomerAndTheSweepLeavesNothingAfterTwoWindows() throws Exception {
    exposed("ann", "sale", false, "act-1", "ntf-1", 0);
    exposed("bob", "sale", false, "act-2", "ntf-2", 0);
    harness.processElement(FunnelEvent.ofErasure(erasure("ann")), 0);
    responded("ann", null, "ntf-1", "OPENED", null, DAY);
    converted("ann", DAY);

    assertThat(totals()).doesNotContainKeys(campaign("opened|sale"));
    assertThat(totals()).containsEntry(campaign("exposed:treated|sale"), 2.0);
    assertThat(totals()).doesNotContainKey(campaign("converted:treated|sale"));

    harness.setProcessingTime(T0 + 2 * Duration.ofDays(7).toMillis() + DAY);
    assertThat(harness.numKeyedStateEntries()).isZero();
    assertThat(harness.numProcessingTimeTimers()).isZero();
  }

  private void exposed(
      String customer, String campaign, boolean control, String action, String ntf, long after)
      throws Exception {
    harness.processElement(
        new FunnelEvent(
            Kind.EXPOSED, customer, T0 + after, campaign, control, action, ntf, null, null),
        0);
  }

  private void converted(String customer, long after) throws Exception {
    harness.processElement(
        new FunnelEvent(Kind.CONVERTED, customer, T0 + after, null, false, null, null, null, null),
        0);
  }

  private void responded(
      String customer, String action, String ntf, String type, String agent, long after)
      throws Exception {
    harness.processElement(
        new FunnelEvent(
            Kind.RESPONDED, customer, T0 + after, null, false, action, ntf, type, agent),
        0);
  }

  private static dev.engage.avro.ErasureRequest erasure(String customer) {
    return dev.engage.avro.ErasureRequest.newBuilder()
        .setRequestId("er-" + customer)
        .setCustomerId(customer)
        .setRequestedBy("test")
        .setRequestedAt(java.time.Instant.ofEpochMilli(T0))
        .build();
  }

  /** The increments summed by figure, as {@link FigureTotals} would. */
  private Map<String, Double> totals() {
    Map<String, Double> totals = new HashMap<>();
    harness.extractOutputValues().forEach(f -> totals.merge(f.key(), f.value(), Double::sum));
    return totals;
  }

  private static String campaign(String field) {
    return AnalyticsKeys.campaigns() + "\n" + field;
  }

  private static String agent(String field) {
    return AnalyticsKeys.agents() + "\n" + field;
  }
}
