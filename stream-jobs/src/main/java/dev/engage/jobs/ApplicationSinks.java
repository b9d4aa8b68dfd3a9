package dev.engage.jobs;

import dev.engage.avro.AgentTask;
import dev.engage.avro.Attribution;
import dev.engage.avro.CustomerProfile;
import dev.engage.avro.DeadLetter;
import dev.engage.avro.Decision;
import dev.engage.avro.ErasureRequest;
import dev.engage.avro.NextBestActions;
import dev.engage.avro.Notification;
import dev.engage.avro.ProfileTransfer;
import dev.engage.avro.PropensityCounts;
import dev.engage.avro.Touchpoint;
import dev.engage.avro.TriggerFired;
import dev.engage.jobs.analytics.Figure;
import org.apache.flink.api.connector.sink2.Sink;

/**
 * Where the application's outputs go: {@link KafkaAndRedisSinks} in production, sinks of their own
 * in tests ({@link EngageApplication#wire}). Each is asked for once.
 */
public interface ApplicationSinks {
  /** Touchpoints derived in the job (flight disruptions), on their way to the normalizer. */
  Sink<Touchpoint> derivedTouchpoints();

  /** Records an operator threw on. */
  Sink<DeadLetter> deadLetters();

  Sink<TriggerFired> triggers();

  Sink<CustomerProfile> profiles();

  Sink<CustomerProfile> profilesToRedis();

  /** Merged-away profile states, which reach their survivor through {@link ApplicationSources}. */
  Sink<ProfileTransfer> profileTransfers();

  /** Erasures cascaded to the ids merged into an erased customer. */
  Sink<ErasureRequest> cascadedErasures();

  /** Next-best-action lists. */
  Sink<NextBestActions> actions();

  Sink<NextBestActions> actionsToRedis();

  /** The notification outbox, which delivery sends from. */
  Sink<Notification> notifications();

  Sink<PropensityCounts> propensities();

  Sink<Decision> decisions();

  Sink<Decision> decisionsToRedis();

  /** Each conversion and the credit of every touch before it. */
  Sink<Attribution> attributions();

  /** Customers a notification could not reach, for agents. */
  Sink<AgentTask> tasksToRedis();

  /** The analytics figures' totals. */
  Sink<Figure> figuresToRedis();
}
