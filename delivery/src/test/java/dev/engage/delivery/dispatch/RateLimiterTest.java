package dev.engage.delivery.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RateLimiterTest {
  @Test
  void allowsABurstOfOneSecondsWorthThenPacesTheRest() {
    RateLimiter limiter = new RateLimiter(10, 0);
    for (int i = 0; i < 10; i++) {
      assertThat(limiter.acquire(0)).isZero();
    }
    assertThat(limiter.acquire(0)).isEqualTo(100);
    assertThat(limiter.acquire(100)).isZero();
    assertThat(limiter.acquire(150)).isEqualTo(50);
  }

  @Test
  void aRateBelowOneASecondStillLetsTheFirstSendThrough() {
    RateLimiter limiter = new RateLimiter(0.5, 0);
    assertThat(limiter.acquire(0)).isZero();
    assertThat(limiter.acquire(0)).isEqualTo(2000);
  }
}
