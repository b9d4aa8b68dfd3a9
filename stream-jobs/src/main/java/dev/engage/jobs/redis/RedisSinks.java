package dev.engage.jobs.redis;

import dev.engage.avro.AgentTask;
import dev.engage.avro.CustomerProfile;
import dev.engage.avro.Decision;
import dev.engage.avro.NextBestActions;
import dev.engage.jobs.analytics.Figure;
import java.net.URI;
import java.time.Duration;

/**
 * The application's Redis sinks, each at least once and made effectively exactly once by writes
 * that a replay cannot move backwards: profiles and next-best-actions by their version, the
 * decision list by the decision's sequence number, agent tasks by their id, analytics totals by
 * their size.
 */
public final class RedisSinks {
  private RedisSinks() {}

  /** Profile versions ({@link RedisProfiles}); the newest of a customer's in a batch. */
  public static RedisBatchSink<CustomerProfile> profiles(
      URI redis, Duration maxDelay, Duration giveUpAfter) {
    return new RedisBatchSink<>(
        redis,
        maxDelay,
        giveUpAfter,
        CustomerProfile::getCustomerId,
        (held, next) -> next.getVersion() > held.getVersion() ? next : held,
        (jedis, batch) -> new RedisProfiles(jedis).write(batch),
        "redisProfilesWritten");
  }

  /** Next-best-action lists ({@link RedisActions}); the newest of a customer's in a batch. */
  public static RedisBatchSink<NextBestActions> actions(
      URI redis, Duration maxDelay, Duration giveUpAfter) {
    return new RedisBatchSink<>(
        redis,
        maxDelay,
        giveUpAfter,
        NextBestActions::getCustomerId,
        (held, next) -> next.getVersion() > held.getVersion() ? next : held,
        RedisActions::writeActions,
        "redisActionsWritten");
  }

  /** Agent tasks ({@link RedisTasks}): the first of each task id is kept. */
  public static RedisBatchSink<AgentTask> tasks(
      URI redis, Duration maxDelay, Duration giveUpAfter) {
    return new RedisBatchSink<>(
        redis,
        maxDelay,
        giveUpAfter,
        AgentTask::getTaskId,
        (held, next) -> held,
        RedisTasks::write,
        "redisTasksWritten");
  }

  /**
   * Analytics totals ({@link RedisFigures}); of a figure's in a batch, the largest of one that only
   * grows, else the latest.
   */
  public static RedisBatchSink<Figure> figures(URI redis, Duration maxDelay, Duration giveUpAfter) {
    return new RedisBatchSink<>(
        redis,
        maxDelay,
        giveUpAfter,
        Figure::key,
        (held, next) -> !next.grows() || next.value() > held.value() ? next : held,
        RedisFigures::write,
        "redisFiguresWritten");
  }

  /** Decisions, each kept ({@link RedisActions}): one per decision id. */
  public static RedisBatchSink<Decision> decisions(
      URI redis, Duration maxDelay, Duration giveUpAfter) {
    return new RedisBatchSink<>(
        redis,
        maxDelay,
        giveUpAfter,
        Decision::getDecisionId,
        (held, next) -> next,
        RedisActions::writeDecisions,
        "redisDecisionsWritten");
  }
}
