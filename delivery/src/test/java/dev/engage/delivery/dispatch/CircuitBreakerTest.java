package dev.engage.delivery.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {
  private final CircuitBreaker breaker = new CircuitBreaker(3, Duration.ofSeconds(10));

  @Test
  void opensAfterTheConfiguredFailuresInARowForTheConfiguredTime() {
    breaker.failed(1_000);
    breaker.failed(1_001);
    assertThat(breaker.allows(1_002)).isTrue();
    breaker.failed(1_002);
    assertThat(breaker.allows(1_003)).isFalse();
    assertThat(breaker.openUntil()).isEqualTo(11_002);
    assertThat(breaker.allows(11_002)).isTrue();
  }

  @Test
  void aSuccessInBetweenStartsTheCountAgain() {
    breaker.failed(0);
    breaker.failed(1);
    breaker.succeeded();
    breaker.failed(2);
    breaker.failed(3);
    assertThat(breaker.allows(4)).isTrue();
  }

  @Test
  void aFailedTrialSendWhileHalfOpenOpensItAgainAtOnce() {
    for (int i = 0; i < 3; i++) {
      breaker.failed(0);
    }
    breaker.failed(10_000); // the one send let through after openFor
    assertThat(breaker.allows(10_001)).isFalse();
    assertThat(breaker.openUntil()).isEqualTo(20_000);
  }
}
