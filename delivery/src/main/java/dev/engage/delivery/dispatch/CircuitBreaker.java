package dev.engage.delivery.dispatch;

import java.time.Duration;

/**
 * Stops sending to a provider after {@code failures} failed sends in a row, for {@code openFor};
 * then lets one send through (half open): its success closes the breaker, its failure opens it
 * again. Keeps a provider that is down from eating every notification's retries, and tells the
 * worker when to look again. One worker thread uses it; not thread-safe.
 */
public final class CircuitBreaker {
  private final int failures;
  private final Duration openFor;
  private int failuresInARow;
  private long openUntil;

  public CircuitBreaker(int failures, Duration openFor) {
    this.failures = failures;
    this.openFor = openFor;
  }

  /** Whether a send may go out at {@code now} (epoch ms). */
  public boolean allows(long now) {
    return now >= openUntil;
  }

  /** Until when the breaker is open (epoch ms); in the past when it is closed. */
  public long openUntil() {
    return openUntil;
  }

  public void succeeded() {
    failuresInARow = 0;
    openUntil = 0;
  }

  public void failed(long now) {
    failuresInARow++;
    if (failuresInARow >= failures) {
      openUntil = now + openFor.toMillis();
    }
  }
}
