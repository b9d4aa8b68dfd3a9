package dev.engage.delivery.dispatch;

/**
 * A token bucket: at most {@code perSecond} sends a second on average, with bursts up to one
 * second's worth. One worker thread uses it; not thread-safe.
 */
public final class RateLimiter {
  private final double perSecond;
  private double tokens;
  private long refilledAt;

  public RateLimiter(double perSecond, long now) {
    this.perSecond = perSecond;
    this.tokens = Math.max(1, perSecond);
    this.refilledAt = now;
  }

  /** Takes a token if there is one at {@code now} (epoch ms); else how long to wait, in ms. */
  public long acquire(long now) {
    tokens = Math.min(Math.max(1, perSecond), tokens + (now - refilledAt) * perSecond / 1000.0);
    refilledAt = now;
    if (tokens >= 1) {
      tokens -= 1;
      return 0;
    }
    return (long) Math.ceil((1 - tokens) * 1000.0 / perSecond);
  }
}
