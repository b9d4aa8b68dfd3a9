package dev.engage.jobs.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.engage.avro.Attribution;
import dev.engage.avro.Cause;
import dev.engage.avro.Notification;
import dev.engage.avro.TouchCredit;
import dev.engage.avro.Touchpoint;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A scripted journey through the operator, credited as worked out by hand. */
class AttributionOperatorTest {
  private static final Instant BOUGHT = Instant.parse("2026-12-03T12:00:00Z");
  private static final Duration LOOKBACK = Duration.ofDays(30);

  private KeyedTwoInputStreamOperatorTestHarness<String, Touchpoint, Notification, Attribution>
      harness;

  @BeforeEach
  void setUp() throws Exception {
    harness =
        new KeyedTwoInputStreamOperatorTestHarness<>(
            new KeyedCoProcessOperator<>(
                new AttributionOperator(Set.of("purchase"), LOOKBACK, Duration.ofDays(7))),
            Touchpoint::getCustomerId,
            Notification::getCustomerId,
            Types.STRING);
    harness.open();
  }

  @AfterEach
  void tearDown() throws Exception {
    harness.close();
  }

  @Test
  void aPurchaseIsCreditedToTheTouchesOfTheMonthBeforeItAndItself() throws Exception {
    touchpoint("too-old", "page_view", "web", 31, Map.of());
    touchpoint("visit", "page_view", "web", 14, Map.of("campaign", "search-ads"));
    harness.processElement2(notification("ntf-1", "email", "spring-sale", 7), 0);
    touchpoint("app", "app_open", "app", 1, Map.of());
    touchpoint("bought", "purchase", "web", 0, Map.of());

    Attribution attribution = harness.extractOutputValues().get(0);
    assertThat(attribution.getConversionId()).isEqualTo("bought");
    assertThat(attribution.getValue()).isEqualTo(99.0);
    List<TouchCredit> credits = attribution.getCredits();
    assertThat(credits)
        .extracting(TouchCredit::getTouchId)
        .containsExactly("visit", "ntf-1", "app", "bought");
    assertThat(credits)
        .extracting(TouchCredit::getCampaign)
        .containsExactly("search-ads", "spring-sale", null, null);
    assertThat(credits)
        .extracting(TouchCredit::getKind)
        .containsExactly("touchpoint", "notification", "touchpoint", "touchpoint");
    assertThat(credits).extracting(TouchCredit::getFirstTouch).containsExactly(1.0, 0.0, 0.0, 0.0);
    assertThat(credits).extracting(TouchCredit::getLastTouch).containsExactly(0.0, 0.0, 0.0, 1.0);
    assertThat(credits).extracting(TouchCredit::getLinear).containsExactly(0.25, 0.25, 0.25, 0.25);
    assertThat(credits.stream().mapToDouble(TouchCredit::getPositionBased).toArray())
        .containsExactly(new double[] {0.4, 0.1, 0.1, 0.4}, within(1e-12));
    // weights 2^-2, 2^-1, 2^-(1/7), 1 over their sum 2.655724
    assertThat(credits.get(1).getTimeDecay()).isCloseTo(0.5 / 2.655724, within(1e-6));
    assertThat(credits.stream().mapToDouble(TouchCredit::getTimeDecay).sum())
        .isCloseTo(1, within(1e-9));
  }

  @Test
  void nothingIsKeptOnceTheLookbackHasPassedTheLatestTouch() throws Exception {
    touchpoint("visit", "page_view", "web", 2, Map.of());
    assertThat(keyedStateEntries()).isEqualTo(2);

    harness.processBothWatermarks(
        new org.apache.flink.streaming.api.watermark.Watermark(
            BOUGHT.plus(LOOKBACK).toEpochMilli()));

    assertThat(keyedStateEntries()).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
  }

  private void touchpoint(
      String id, String type, String channel, int daysBefore, Map<String, String> attributes)
      throws Exception {
    Instant at = BOUGHT.minus(Duration.ofDays(daysBefore));
    harness.processElement1(
        Touchpoint.newBuilder()
            .setEventId(id)
            .setCustomerId("ann")
            .setType(type)
            .setChannel(channel)
            .setSource("test")
            .setOccurredAt(at)
            .setReceivedAt(at)
            .setAmount(type.equals("purchase") ? 99.0 : null)
            .setAttributes(attributes)
            .build(),
        at.toEpochMilli());
  }

  private static Notification notification(String id, String channel, String rule, int daysBefore) {
    Instant at = BOUGHT.minus(Duration.ofDays(daysBefore));
    return Notification.newBuilder()
        .setNotificationId(id)
        .setCustomerId("ann")
        .setChannel(channel)
        .setRuleId(rule)
        .setRuleVersion(1)
        .setTemplate("Spring sale")
        .setBody("Spring sale")
        .setCreatedAt(at)
        .setCause(new Cause(id + "-cause", "trigger", at))
        .build();
  }

  private int keyedStateEntries() {
    return ((HeapKeyedStateBackend<?>) harness.getOperator().getKeyedStateBackend())
        .numKeyValueStateEntries();
  }
}
