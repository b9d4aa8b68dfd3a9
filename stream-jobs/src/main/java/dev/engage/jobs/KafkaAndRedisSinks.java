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
import dev.engage.jobs.redis.RedisSinks;
import dev.engage.schemas.topics.TopicCatalog;
import org.apache.flink.api.connector.sink2.Sink;

/**
 * The application's outputs on the Kafka topics the {@link TopicCatalog} names, with the delivery
 * guarantee {@link KafkaEndpoints} gives each, and in Redis (profiles, actions and decisions,
 * batched up to the tuning's {@code redisMaxDelay}).
 */
public final class KafkaAndRedisSinks implements ApplicationSinks {
  private final KafkaEndpoints kafka;
  private final TopicCatalog topics;
  private final ApplicationSettings settings;

  public KafkaAndRedisSinks(
      KafkaEndpoints kafka, TopicCatalog topics, ApplicationSettings settings) {
    this.kafka = kafka;
    this.topics = topics;
    this.settings = settings;
  }

  @Override
  public Sink<Touchpoint> derivedTouchpoints() {
    return kafka.derivedTouchpointsSink(topics.touchpointsRaw().name());
  }

  @Override
  public Sink<DeadLetter> deadLetters() {
    return kafka.deadLettersSink(topics.jobsDlq().name());
  }

  @Override
  public Sink<TriggerFired> triggers() {
    return kafka.triggers(topics.triggers().name(), settings.groupId() + "-triggers");
  }

  @Override
  public Sink<CustomerProfile> profiles() {
    return kafka.profilesSink(topics.profiles().name());
  }

  @Override
  public Sink<CustomerProfile> profilesToRedis() {
    return RedisSinks.profiles(
        settings.redisUri(), settings.tuning().redisMaxDelay(), ApplicationSettings.REDIS_GIVE_UP);
  }

  @Override
  public Sink<ProfileTransfer> profileTransfers() {
    return kafka.profileTransfersSink(topics.profileTransfers().name());
  }

  @Override
  public Sink<ErasureRequest> cascadedErasures() {
    return kafka.erasureSink(topics.erasure().name());
  }

  @Override
  public Sink<NextBestActions> actions() {
    return kafka.actionsSink(topics.actions().name());
  }

  @Override
  public Sink<NextBestActions> actionsToRedis() {
    return RedisSinks.actions(
        settings.redisUri(), settings.tuning().redisMaxDelay(), ApplicationSettings.REDIS_GIVE_UP);
  }

  @Override
  public Sink<Notification> notifications() {
    return kafka.notificationsSink(
        topics.notifications().name(), settings.groupId() + "-notifications");
  }

  @Override
  public Sink<PropensityCounts> propensities() {
    return kafka.propensitiesSink(topics.propensities().name());
  }

  @Override
  public Sink<Decision> decisions() {
    return kafka.decisionsSink(topics.decisions().name());
  }

  @Override
  public Sink<Decision> decisionsToRedis() {
    return RedisSinks.decisions(
        settings.redisUri(), settings.tuning().redisMaxDelay(), ApplicationSettings.REDIS_GIVE_UP);
  }

  @Override
  public Sink<Attribution> attributions() {
    return kafka.attributionsSink(
        topics.attributions().name(), settings.groupId() + "-attributions");
  }

  @Override
  public Sink<AgentTask> tasksToRedis() {
    return RedisSinks.tasks(
        settings.redisUri(), settings.tuning().redisMaxDelay(), ApplicationSettings.REDIS_GIVE_UP);
  }

  @Override
  public Sink<Figure> figuresToRedis() {
    return RedisSinks.figures(
        settings.redisUri(), settings.tuning().redisMaxDelay(), ApplicationSettings.REDIS_GIVE_UP);
  }
}
