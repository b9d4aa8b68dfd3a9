package dev.engage.api.auth;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per API key: {@code rate} requests per second on average, bursts up to one
 * second's worth. {@link #tryAcquire} answers how long to wait when the bucket is empty.
 */
public final class RateLimiter {
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
  private final LongSupplier nanoClock;

  public RateLimiter(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
  }

  public RateLimiter() {
    this(System::nanoTime);
  }

  /** 0 when the request may go ahead, else the nanoseconds until a token is available. */
  public long tryAcquire(String key, double ratePerSecond) {
    return buckets
        .computeIfAbsent(key, k -> new Bucket(ratePerSecond, nanoClock.getAsLong()))
        .take(ratePerSecond, nanoClock.getAsLong());
  }

  private static final class Bucket {
    private double tokens;
    private long updatedAt;

    Bucket(double rate, long now) {
      this.tokens = Math.max(rate, 1);
      this.updatedAt = now;
    }

    synchronized long take(double rate, long now) {
      double capacity = Math.max(rate, 1);
      tokens = Math.min(capacity, tokens + (now - updatedAt) * rate / 1e9);
      updatedAt = now;
      if (tokens >= 1) {
        tokens -= 1;
        return 0;
      }
      return (long) Math.ceil((1 - tokens) * 1e9 / rate);
    }
  }
}
