package dev.engage.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
  private final AtomicLong now = new AtomicLong();
  private final RateLimiter limiter = new RateLimiter(now::get);

  @Test
  void allowsABurstOfOneSecondThenSaysHowLongToWait() {
    for (int i = 0; i < 5; i++) {
      assertThat(limiter.tryAcquire("k", 5)).isZero();
    }
    assertThat(limiter.tryAcquire("k", 5)).isEqualTo(200_000_000L);
  }

  @Test
  void refillsAtTheRateAndKeepsKeysApart() {
    for (int i = 0; i < 2; i++) {
      limiter.tryAcquire("a", 2);
    }
    assertThat(limiter.tryAcquire("a", 2)).isPositive();
    assertThat(limiter.tryAcquire("b", 2)).isZero();

    now.addAndGet(500_000_000L);

    assertThat(limiter.tryAcquire("a", 2)).isZero();
    assertThat(limiter.tryAcquire("a", 2)).isPositive();
  }
}
