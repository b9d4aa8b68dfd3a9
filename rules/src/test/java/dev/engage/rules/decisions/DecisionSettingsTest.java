package dev.engage.rules.decisions;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DecisionSettingsTest {
  @Test
  void badSettingsAreRefusedTogetherByName() {
    assertThatThrownBy(
            () ->
                new DecisionSettings(
                    0,
                    1.5,
                    0.05,
                    1,
                    0,
                    Map.of(),
                    Map.of("GOLD", -100.0),
                    Map.of("fax", 1),
                    7,
                    List.of("pigeon"),
                    Duration.ofMinutes(2),
                    Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContainingAll(
            "decisions.top-k",
            "decisions.exploration-share",
            "decisions.prior",
            "decisions.levers.GOLD",
            "decisions.daily-caps.fax",
            "decisions.fallback-order",
            "decisions.hold-for");
  }
}
