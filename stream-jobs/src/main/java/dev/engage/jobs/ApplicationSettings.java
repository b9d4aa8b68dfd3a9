package dev.engage.jobs;

import dev.engage.jobs.disruption.DisruptionSeverity;
import dev.engage.rules.analytics.AnalyticsSettings;
import dev.engage.rules.decisions.DecisionSettings;
import dev.engage.schemas.jobs.JobTuning;
import java.net.URI;
import java.time.Duration;

/**
 * What the Flink application runs with, beside its topics; each part is validated when built.
 *
 * @param groupId consumer group of the Kafka sources (and prefix of the transactional ids)
 * @param tuning checkpoints, parallelism, event time, Redis batching and the profile time-to-live
 * @param severity delay bands of flight disruptions
 * @param redisUri the Redis the profiles are written to (and reloaded from)
 * @param decisions the ranking and contact-policy settings of the decisions operator
 * @param analytics the conversions, lookback and windows of attribution and the campaign figures
 */
public record ApplicationSettings(
    String groupId,
    JobTuning tuning,
    DisruptionSeverity severity,
    URI redisUri,
    DecisionSettings decisions,
    AnalyticsSettings analytics) {

  /** Redis unreachable for this long fails the job, which then restarts from a checkpoint. */
  static final Duration REDIS_GIVE_UP = Duration.ofMinutes(2);

  public Duration profileTimeToLive() {
    return tuning.profileTimeToLive();
  }
}
