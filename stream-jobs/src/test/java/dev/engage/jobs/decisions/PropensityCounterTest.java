package dev.engage.jobs.decisions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engage.avro.ActionOutcome;
import dev.engage.avro.PropensityCounts;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class PropensityCounterTest {
  private static final Instant T0 = Instant.parse("2026-12-02T12:00:00Z");

  @Test
  void eachOutcomeAddsToItsActionAndSegmentAndTheAbsoluteCountsGoOut() throws Exception {
    try (KeyedOneInputStreamOperatorTestHarness<String, ActionOutcome, PropensityCounts> harness =
        ProcessFunctionTestHarnesses.forKeyedProcessFunction(
            new PropensityCounter(), PropensityCounter::key, Types.STRING)) {
      harness.processElement(outcome("A", "parents", true, 1), 0);
      harness.processElement(outcome("A", "parents", false, 2), 0);
      harness.processElement(outcome("A", "*", true, 3), 0);
      harness.processElement(outcome("A", "parents", true, 4), 0);

      List<PropensityCounts> out = harness.extractOutputValues();
      assertThat(out.get(out.size() - 1))
          .isEqualTo(new PropensityCounts("A", "parents", 2L, 1L, T0.plusSeconds(4)));
      assertThat(out.get(2)).isEqualTo(new PropensityCounts("A", "*", 1L, 0L, T0.plusSeconds(3)));
    }
  }

  @Test
  void countsWithoutAnOutcomeForTheRetentionEndAndNothingIsLeft() throws Exception {
    try (KeyedOneInputStreamOperatorTestHarness<String, ActionOutcome, PropensityCounts> harness =
        ProcessFunctionTestHarnesses.forKeyedProcessFunction(
            new PropensityCounter(), PropensityCounter::key, Types.STRING)) {
      harness.setProcessingTime(0);
      harness.processElement(outcome("A", "parents", true, 1), 0);
      harness.processElement(outcome("B", "*", true, 2), 0);
      long halfWay = PropensityCounter.RETENTION.dividedBy(2).toMillis();
      harness.setProcessingTime(halfWay);
      harness.processElement(outcome("A", "parents", false, 3), 0); // A's counts live on

      harness.setProcessingTime(PropensityCounter.RETENTION.plusDays(2).toMillis());
      assertThat(keyedStateEntries(harness)).isEqualTo(2); // A's counts and their end
      harness.processElement(outcome("B", "*", false, 4), 0);
      assertThat(harness.extractOutputValues().get(3))
          .as("B's counts had ended: its next outcome starts from nothing")
          .isEqualTo(new PropensityCounts("B", "*", 0L, 1L, T0.plusSeconds(4)));

      harness.setProcessingTime(PropensityCounter.RETENTION.multipliedBy(3).toMillis());
      assertThat(keyedStateEntries(harness)).isZero();
      assertThat(harness.numProcessingTimeTimers()).isZero();
    }
  }

  private static int keyedStateEntries(KeyedOneInputStreamOperatorTestHarness<?, ?, ?> harness) {
    return ((HeapKeyedStateBackend<?>) harness.getOperator().getKeyedStateBackend())
        .numKeyValueStateEntries();
  }

  private static ActionOutcome outcome(String code, String segment, boolean success, int second) {
    return new ActionOutcome(code, List.of(segment), success, T0.plusSeconds(second));
  }
}
