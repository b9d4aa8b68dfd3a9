package dev.engage.api.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engage.avro.TriggerFired;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FireCountsTest {
  private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
  private final FireCounts counts = new FireCounts(Clock.fixed(NOW, ZoneOffset.UTC));

  static TriggerFired firing(String eventId, String ruleId, Instant firedAt) {
    return TriggerFired.newBuilder()
        .setEventId(eventId)
        .setCustomerId("c1")
        .setRuleId(ruleId)
        .setRuleVersion(1)
        .setRuleKind("event")
        .setActionCode("THANK_YOU")
        .setExplanation("test")
        .setValues(Map.of())
        .setCauses(List.of())
        .setOccurredAt(firedAt)
        .setFiredAt(firedAt)
        .build();
  }

  @Test
  void aFiringDeliveredTwiceCountsOnce() {
    counts.record(firing("e1", "r", NOW.minusSeconds(10)));
    counts.record(firing("e1", "r", NOW.minusSeconds(10)));
    counts.record(firing("e2", "r", NOW.minusSeconds(5)));

    assertThat(counts.of("r")).isEqualTo(new FireCounts.Fired(2, 2, NOW.minusSeconds(5)));
  }

  @Test
  void firingsOlderThanADayCountInTheTotalOnly() {
    counts.record(firing("old", "r", NOW.minus(Duration.ofHours(30))));
    counts.record(firing("new", "r", NOW.minus(Duration.ofHours(1))));

    assertThat(counts.of("r")).isEqualTo(new FireCounts.Fired(2, 1, NOW.minusSeconds(3600)));
  }

  @Test
  void aRuleThatNeverFiredHasZeroAndNoTime() {
    counts.record(firing("e1", "other", NOW));

    assertThat(counts.of("r")).isEqualTo(new FireCounts.Fired(0, 0, null));
  }

  @Test
  void aDuplicateOlderThanTheWindowCountsAgain() {
    counts.record(firing("first", "r", NOW));
    for (int i = 0; i < FireCounts.DEDUP_WINDOW; i++) {
      counts.record(firing("e" + i, "other", NOW));
    }
    counts.record(firing("first", "r", NOW));

    assertThat(counts.of("r").total()).isEqualTo(2);
  }
}
