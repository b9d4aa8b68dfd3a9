package dev.engage.api.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ProportionsTest {
  @Test
  void theDifferenceIntervalIsNewcombesMethodTenOnHisFirstExample() {
    // Newcombe (1998), Table II, example (a): 56/70 - 48/80 = 0.2, method 10: 0.0524 to 0.3339
    Proportions.Interval interval = Proportions.difference(56, 70, 48, 80);

    assertThat(interval.low()).isCloseTo(0.0524, within(5e-5));
    assertThat(interval.high()).isCloseTo(0.3339, within(5e-5));
  }

  @Test
  void theWilsonIntervalStaysWithinZeroAndOne() {
    assertThat(Proportions.wilson(0, 10).low()).isZero();
    assertThat(Proportions.wilson(10, 10).high()).isEqualTo(1.0);
    // 1/10: 0.0179 to 0.4042 (Wilson 1927, as in Newcombe's tables)
    assertThat(Proportions.wilson(1, 10).low()).isCloseTo(0.0179, within(5e-5));
    assertThat(Proportions.wilson(1, 10).high()).isCloseTo(0.4042, within(5e-5));
  }

  @Test
  void aFieldsNameIsWhatFollowsTheFirstSeparatorSoItMayHoldOne() {
    AnalyticsHash hash =
        AnalyticsHash.of(
            Map.of(
                "sent|spring|sale", "12", "suppressed:QUIET_HOURS|spring|sale", "3.0", "x", "1"));

    assertThat(hash.byName()).containsOnlyKeys("spring|sale");
    assertThat(hash.get("spring|sale", "sent")).isEqualTo(12);
    assertThat(hash.get("spring|sale", "suppressed:QUIET_HOURS")).isEqualTo(3);
    assertThat(
            AnalyticsHash.ofAttribution(Map.of("linear|campaign|a|b", "0.5"))
                .get("campaign")
                .get("a|b", "linear"))
        .isEqualTo(0.5);
  }
}
