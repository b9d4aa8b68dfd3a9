package dev.engage.launcher.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RestartPolicyTest {
  private static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");
  private final RestartPolicy policy =
      new RestartPolicy(Duration.ofSeconds(1), Duration.ofSeconds(5), 5, Duration.ofMinutes(3));

  @Test
  void theFirstFailureIsRestartedAfterTheFirstBackoff() {
    assertThat(policy.backoff(List.of(T0), T0)).contains(Duration.ofSeconds(1));
  }

  @Test
  void eachFurtherFailureInTheWindowDoublesTheBackoffUpToItsCap() {
    List<Instant> failures = new ArrayList<>();
    List<Duration> waits = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Instant now = T0.plusSeconds(10L * i);
      failures.add(now);
      waits.add(policy.backoff(failures, now).orElseThrow());
    }
    assertThat(waits)
        .containsExactly(
            Duration.ofSeconds(1),
            Duration.ofSeconds(2),
            Duration.ofSeconds(4),
            Duration.ofSeconds(5));
  }

  @Test
  void theFifthFailureWithinTheWindowGivesUp() {
    List<Instant> failures = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      failures.add(T0.plusSeconds(30L * i));
    }
    Instant now = failures.get(4);
    assertThat(policy.recentFailures(failures, now)).isEqualTo(5);
    assertThat(policy.backoff(failures, now)).isEmpty();
  }

  @Test
  void failuresOlderThanTheWindowAreForgotten() {
    // five failures, but the first two more than three minutes before the last
    List<Instant> failures =
        List.of(
            T0, T0.plusSeconds(10), T0.plusSeconds(200), T0.plusSeconds(210), T0.plusSeconds(220));
    Instant now = T0.plusSeconds(220);
    assertThat(policy.recentFailures(failures, now)).isEqualTo(3);
    assertThat(policy.backoff(failures, now)).contains(Duration.ofSeconds(4));
  }

  @Test
  void aServiceThatFailsOnceADayIsAlwaysRestartedAtOnce() {
    List<Instant> failures = new ArrayList<>();
    for (int day = 0; day < 10; day++) {
      Instant now = T0.plus(Duration.ofDays(day));
      failures.add(now);
      assertThat(policy.backoff(failures, now)).contains(Duration.ofSeconds(1));
    }
  }

  @Test
  void theDefaultRestartsWithinHalfASecondAndGivesUpOnlyOnTheFifthFailureInThreeMinutes() {
    RestartPolicy standard = RestartPolicy.DEFAULT;
    assertThat(standard.backoff(List.of(T0), T0)).contains(Duration.ofMillis(500));
    List<Instant> four = List.of(T0, T0.plusSeconds(1), T0.plusSeconds(2), T0.plusSeconds(3));
    assertThat(standard.backoff(four, T0.plusSeconds(3))).contains(Duration.ofSeconds(4));
    List<Instant> five = new ArrayList<>(four);
    five.add(T0.plusSeconds(179));
    assertThat(standard.backoff(five, T0.plusSeconds(179))).isEmpty();
  }
}
