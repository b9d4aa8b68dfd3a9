package dev.engage.jobs;

import dev.engage.jobs.disruption.DisruptionSeverity;
import dev.engage.rules.decisions.DecisionSettings;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What the Flink application is tuned with, beside its topics; validated when built, each problem
 * named by its setting.
 *
 * @param groupId consumer group of the Kafka sources
 * @param outOfOrderness how late events may arrive before watermarks pass them
 * @param idleAfter how long a quiet input partition holds back event time
 * @param severity delay bands of flight disruptions
 * @param redisUri the Redis the profiles are written to (and reloaded from)
 * @param redisMaxDelay how far Redis may lag behind the profile job (batching)
 * @param profileTimeToLive how long an untouched customer stays in the job's state
 * @param decisions the ranking and contact-policy settings of the decisions operator
 */
public record ApplicationSettings(
    String groupId,
    Duration outOfOrderness,
    Duration idleAfter,
    DisruptionSeverity severity,
    URI redisUri,
    Duration redisMaxDelay,
    Duration profileTimeToLive,
    DecisionSettings decisions) {

  public ApplicationSettings {
    List<String> problems = new ArrayList<>();
    if (outOfOrderness.isNegative()) {
      problems.add("jobs.out-of-orderness must not be negative, not " + outOfOrderness);
    }
    if (idleAfter.isNegative() || idleAfter.isZero()) {
      problems.add("jobs.idle-after must be above 0, not " + idleAfter);
    }
    if (redisMaxDelay.isNegative()) {
      problems.add("jobs.redis-max-delay must not be negative, not " + redisMaxDelay);
    }
    if (profileTimeToLive.isNegative() || profileTimeToLive.isZero()) {
      problems.add("jobs.profile-ttl must be above 0, not " + profileTimeToLive);
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
  }

  /** Redis unreachable for this long fails the job, which then restarts from a checkpoint. */
  static final Duration REDIS_GIVE_UP = Duration.ofMinutes(2);
}
