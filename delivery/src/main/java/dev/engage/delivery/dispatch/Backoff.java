package dev.engage.delivery.dispatch;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with full jitter: try n waits a random time between 0 and {@code first x
 * 2^(n-1)}, capped at {@code max}, so retries of many notifications spread out instead of hitting a
 * recovering provider together. A provider's own {@code Retry-After} wins when it asks for longer.
 */
public final class Backoff {
  private final Duration first;
  private final Duration max;
  private final DoubleSupplier random;

  public Backoff(Duration first, Duration max, DoubleSupplier random) {
    this.first = first;
    this.max = max;
    this.random = random;
  }

  /** The wait before the next try, after {@code attempts} tries failed (1 after the first). */
  public Duration delay(int attempts, Duration retryAfter) {
    int doublings = Math.max(0, Math.min(attempts - 1, 30));
    long ceiling = Math.min(max.toMillis(), first.toMillis() << doublings);
    long jittered = (long) (random.getAsDouble() * ceiling);
    long wait = Math.max(jittered, first.toMillis() / 10);
    if (retryAfter != null && retryAfter.toMillis() > wait) {
      wait = retryAfter.toMillis();
    }
    return Duration.ofMillis(wait);
  }
}
