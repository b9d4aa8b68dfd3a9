package dev.engage.jobs.disruption;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engage.avro.CustomerProfile;
import dev.engage.avro.Preferences;
import dev.engage.avro.Touchpoint;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Declared preferences join disruptions by customer, and go after the profile time-to-live. */
class PassengerPreferencesTest {
  private static final Instant T0 = Instant.parse("2026-11-23T08:00:00Z");
  private static final Duration TIME_TO_LIVE = Duration.ofDays(90);

  private KeyedTwoInputStreamOperatorTestHarness<String, Touchpoint, CustomerProfile, Touchpoint>
      harness;

  @BeforeEach
  void setUp() throws Exception {
    harness =
        new KeyedTwoInputStreamOperatorTestHarness<>(
            new KeyedCoProcessOperator<>(new PassengerPreferences(TIME_TO_LIVE)),
            Touchpoint::getCustomerId,
            CustomerProfile::getCustomerId,
            Types.STRING);
    harness.open();
    harness.setProcessingTime(T0.toEpochMilli());
  }

  @AfterEach
  void tearDown() throws Exception {
    harness.close();
  }

  @Test
  void preferencesWithoutANewProfileForTheTimeToLiveGoAndLeaveNothing() throws Exception {
    harness.processElement2(profile(1, "rebook_next_flight"), 0);
    harness.setProcessingTime(T0.plus(Duration.ofDays(30)).toEpochMilli());
    harness.processElement2(profile(2, "refund"), 0); // moves the end
    harness.setProcessingTime(T0.plus(TIME_TO_LIVE).plus(Duration.ofDays(1)).toEpochMilli());
    harness.processElement1(disruption(), 0);
    assertThat(harness.extractOutputValues().get(0).getAttributes())
        .containsEntry("preference.onDisruption", "refund");

    harness.setProcessingTime(
        T0.plus(Duration.ofDays(30)).plus(TIME_TO_LIVE).plus(Duration.ofMinutes(2)).toEpochMilli());

    assertThat(harness.numKeyedStateEntries()).isZero();
    assertThat(harness.numProcessingTimeTimers()).isZero();
  }

  @Test
  void aProfileWithoutPreferencesClearsThemAndTheirTimer() throws Exception {
    harness.processElement2(profile(1, "refund"), 0);
    harness.processElement2(profile(2, null), 0);

    assertThat(harness.numKeyedStateEntries()).isZero();
    assertThat(harness.numProcessingTimeTimers()).isZero();
  }

  private static CustomerProfile profile(long version, String onDisruption) {
    return CustomerProfile.newBuilder()
        .setCustomerId("ann")
        .setVersion(version)
        .setFirstSeen(T0)
        .setLastSeen(T0)
        .setUpdatedAt(T0)
        .setPreferences(Preferences.newBuilder().setOnDisruption(onDisruption).build())
        .build();
  }

  private static Touchpoint disruption() {
    return Touchpoint.newBuilder()
        .setEventId("disruption-1")
        .setCustomerId("ann")
        .setType("flight_disruption")
        .setChannel("ops")
        .setSource("disruption")
        .setOccurredAt(T0)
        .setReceivedAt(T0)
        .setAttributes(Map.of())
        .build();
  }
}
