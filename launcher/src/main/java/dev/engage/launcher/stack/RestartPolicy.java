package dev.engage.launcher.stack;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * When the supervisor starts a service that died again: after a backoff that doubles with each
 * failure inside the window (a service that keeps crashing is not restarted in a tight loop), and
 * never once it has failed {@code maxFailures} times inside the window (then something is wrong
 * that a restart does not mend, and the supervisor gives up). Failures older than the window are
 * forgotten, so a service that crashes once a day is restarted every time.
 *
 * @param firstBackoff the wait before the first restart
 * @param maxBackoff the longest wait
 * @param maxFailures failures inside the window after which the supervisor gives up
 * @param window how far back failures count
 */
public record RestartPolicy(
    Duration firstBackoff, Duration maxBackoff, int maxFailures, Duration window) {

  /** Half a second, doubling up to 30 s; gives up on the fifth failure within three minutes. */
  public static final RestartPolicy DEFAULT =
      new RestartPolicy(Duration.ofMillis(500), Duration.ofSeconds(30), 5, Duration.ofMinutes(3));

  public RestartPolicy {
    if (firstBackoff.isNegative() || maxBackoff.compareTo(firstBackoff) < 0 || maxFailures < 1) {
      throw new IllegalArgumentException("inconsistent restart policy");
    }
  }

  /**
   * The wait before the next restart, given the times the service failed (the latest last), or
   * empty when it has failed too often and should be left down.
   */
  public Optional<Duration> backoff(List<Instant> failures, Instant now) {
    long recent = recentFailures(failures, now);
    if (recent >= maxFailures) {
      return Optional.empty();
    }
    Duration wait = firstBackoff;
    for (long i = 1; i < recent && wait.compareTo(maxBackoff) < 0; i++) {
      wait = wait.multipliedBy(2);
    }
    return Optional.of(wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait);
  }

  /** How many of the failures fall inside the window that ends now. */
  public long recentFailures(List<Instant> failures, Instant now) {
    Instant since = now.minus(window);
    return failures.stream().filter(at -> at.isAfter(since)).count();
  }
}
