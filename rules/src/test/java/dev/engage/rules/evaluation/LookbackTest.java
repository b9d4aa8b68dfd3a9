package dev.engage.rules.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LookbackTest {
  @Test
  void readsMinutesHoursAndDays() {
    assertThat(Lookback.parse("30m")).isEqualTo(Duration.ofMinutes(30));
    assertThat(Lookback.parse(" 24h ")).isEqualTo(Duration.ofHours(24));
    assertThat(Lookback.parse("7d")).isEqualTo(Duration.ofDays(7));
  }

  @Test
  void refusesAnythingElseWithTheValueInTheMessage() {
    assertThatThrownBy(() -> Lookback.parse("1w"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'1w'");
    assertThatThrownBy(() -> Lookback.parse(null)).isInstanceOf(IllegalArgumentException.class);
  }
}
