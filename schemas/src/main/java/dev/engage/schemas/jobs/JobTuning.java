package dev.engage.schemas.jobs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How the Flink application is tuned, validated when built, each problem named by its {@code
 * engage.yaml} key: the launcher builds it from {@code engage.yaml}, {@code ENGAGE_*} and flags,
 * hands it down as {@link JobTuningOptions#flags}, and the stream jobs read it back with the same
 * checks, so a value is refused the same way wherever it is set.
 *
 * @param checkpointInterval how often the job checkpoints (the transactional sinks commit then)
 * @param parallelism the job's parallelism
 * @param outOfOrderness how late events may arrive before watermarks pass them
 * @param idleAfter how long a quiet input partition holds back event time
 * @param redisMaxDelay how far Redis may lag behind the profile job (batching)
 * @param profileTimeToLive how long an untouched customer stays in the job's state
 */
public record JobTuning(
    Duration checkpointInterval,
    int parallelism,
    Duration outOfOrderness,
    Duration idleAfter,
    Duration redisMaxDelay,
    Duration profileTimeToLive) {

  /** Flink refuses a shorter checkpoint interval. */
  public static final Duration SHORTEST_CHECKPOINT_INTERVAL = Duration.ofMillis(10);

  public JobTuning {
    List<String> problems = new ArrayList<>();
    if (checkpointInterval.compareTo(SHORTEST_CHECKPOINT_INTERVAL) < 0) {
      problems.add("jobs.checkpoint-interval must be 10 ms or more, not " + checkpointInterval);
    }
    if (parallelism < 1) {
      problems.add("jobs.parallelism must be at least 1, not " + parallelism);
    }
    if (outOfOrderness.isNegative()) {
      problems.add("jobs.out-of-orderness must not be negative, not " + outOfOrderness);
    }
    if (!isPositive(idleAfter)) {
      problems.add("jobs.idle-after must be above 0, not " + idleAfter);
    }
    if (redisMaxDelay.isNegative()) {
      problems.add("jobs.redis-max-delay must not be negative, not " + redisMaxDelay);
    }
    if (!isPositive(profileTimeToLive)) {
      problems.add("jobs.profile-ttl must be above 0, not " + profileTimeToLive);
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
  }

  /** The documented defaults, those of the stream jobs' flags. */
  public static JobTuning defaults() {
    return new JobTuning(
        Duration.ofSeconds(10),
        2,
        Duration.ofSeconds(5),
        Duration.ofSeconds(30),
        Duration.ofMillis(50),
        Duration.ofDays(90));
  }

  private static boolean isPositive(Duration duration) {
    return !duration.isNegative() && !duration.isZero();
  }
}
