package dev.engage.jobs.profile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engage.avro.CustomerProfile;
import dev.engage.avro.ErasureRequest;
import dev.engage.avro.Touchpoint;
import dev.engage.jobs.triggers.RuleChange;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
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
  }

  @AfterEach
  void tearDown() throws Exception {
    harness.close();
  }

  @Test
  void afterTheTimeToLiveOnlyTheRetiredVersionIsLeftAndNoTimer() throws Exception {
    harness.processElement(ProfileInput.of(touchpoint("e1")), 0);
    assertThat(keyedStateEntries()).isEqualTo(2); // the state, and when it goes
    assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);

    harness.setProcessingTime(T0.plus(TIME_TO_LIVE).plus(Duration.ofMinutes(2)).toEpochMilli());

    assertThat(keyedStateEntries()).isEqualTo(1); // 8 bytes: the last version
    assertThat(harness.numProcessingTimeTimers()).isZero();
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
