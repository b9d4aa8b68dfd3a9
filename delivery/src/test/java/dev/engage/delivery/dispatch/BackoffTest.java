package dev.engage.delivery.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private static final Duration FIRST = Duration.ofSeconds(1);
  private static final Duration MAX = Duration.ofSeconds(30);

  @Test
  void theCeilingDoublesWithEachFailedTryUpToTheMaximum() {
    Backoff highest = new Backoff(FIRST, MAX, () -> 0.999999);
    assertThat(highest.delay(1, null).toMillis()).isBetween(990L, 1000L);
    assertThat(highest.delay(2, null).toMillis()).isBetween(1990L, 2000L);
    assertThat(highest.delay(4, null).toMillis()).isBetween(7990L, 8000L);
    assertThat(highest.delay(20, null)).isLessThanOrEqualTo(MAX);
  }

  @Test
  void jitterSpreadsTriesButNeverBelowATenthOfTheFirstDelay() {
    Backoff lowest = new Backoff(FIRST, MAX, () -> 0.0);
    assertThat(lowest.delay(5, null)).isEqualTo(Duration.ofMillis(100));
    Backoff middle = new Backoff(FIRST, MAX, () -> 0.5);
    assertThat(middle.delay(3, null)).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void aProvidersRetryAfterWinsWhenItAsksForLonger() {
    Backoff backoff = new Backoff(FIRST, MAX, () -> 0.5);
    assertThat(backoff.delay(1, Duration.ofSeconds(120))).isEqualTo(Duration.ofSeconds(120));
    assertThat(backoff.delay(3, Duration.ofMillis(10))).isEqualTo(Duration.ofSeconds(2));
  }
}
