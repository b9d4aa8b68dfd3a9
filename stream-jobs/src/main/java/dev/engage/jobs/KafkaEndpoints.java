package dev.engage.jobs;

import dev.engage.avro.Attribution;
import dev.engage.avro.Booking;
import dev.engage.avro.CustomerProfile;
import dev.engage.avro.DeadLetter;
import dev.engage.avro.Decision;
import dev.engage.avro.ErasureRequest;
import dev.engage.avro.FlightStatus;
import dev.engage.avro.IdentityMerge;
import dev.engage.avro.NextBestActions;
import dev.engage.avro.Notification;
import dev.engage.avro.ProfileTransfer;
import dev.engage.avro.PropensityCounts;
import dev.engage.avro.Response;
import dev.engage.avro.Touchpoint;
import dev.engage.avro.TriggerFired;
import dev.engage.jobs.triggers.RuleChange;
import dev.engage.jobs.triggers.RuleChangeDeserializer;
import dev.engage.jobs.triggers.RulesAtStart;
import dev.engage.schemas.raw.RawEnvelope;
import dev.engage.schemas.serde.flink.AvroWireDeserializationSchema;
import dev.engage.schemas.serde.flink.AvroWireSerializationSchema;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The Kafka sources and sinks of the Flink application, for one cluster and schema registry. Topic
 * names are passed in, so tests can use their own.
 */
public final class KafkaEndpoints {
  private final String bootstrapServers;
  private final String registryUrl;
  private final UndecodableRecords undecodable;

  /**
   * @param deadLetterTopic where the sources put a record they cannot read ({@code jobs.dlq})
   */
  public KafkaEndpoints(String bootstrapServers, String registryUrl, String deadLetterTopic) {
    this.bootstrapServers = bootstrapServers;
    this.registryUrl = registryUrl;
    this.undecodable = new UndecodableRecords(bootstrapServers, registryUrl, deadLetterTopic);
  }

  /** Touchpoints, from the group's committed offsets (the earliest on a first start). */
  public KafkaSource<Touchpoint> touchpoints(String topic, String groupId) {
    return avroSource(topic, Touchpoint.class, groupId);
  }

  /** Flight status updates, which are also the schedule the alternatives come from. */
  public KafkaSource<FlightStatus> flightStatus(String topic, String groupId) {
    return avroSource(topic, FlightStatus.class, groupId);
  }

  /** The compacted bookings topic; a tombstone is skipped (a cancellation is a field). */
  public KafkaSource<Booking> bookings(String topic, String groupId) {
    return avroSource(topic, Booking.class, groupId);
  }

  /**
   * Records an operator threw on ({@code jobs.dlq}), keyed by the operator's key, at least once: a
   * replay after a restore may write a dead letter again.
   */
  public KafkaSink<DeadLetter> deadLettersSink(String topic) {
    return keyedSink(
        topic,
        DeadLetter.class,
        d -> d.getKey() == null ? d.getSource() : d.getKey(),
        DeadLetter::getFailedAt);
  }

  /** The compacted profiles topic. */
  public KafkaSource<CustomerProfile> profiles(String topic, String groupId) {
    return avroSource(topic, CustomerProfile.class, groupId);
  }

  /** Identity merges from the ingestion normalizer (keyed by the surviving customer id). */
  public KafkaSource<IdentityMerge> identityMerges(String topic, String groupId) {
    return avroSource(topic, IdentityMerge.class, groupId);
  }

  /** Responses to actions and notifications (the API's accept and dismiss, delivery receipts). */
  public KafkaSource<Response> responses(String topic, String groupId) {
    return avroSource(topic, Response.class, groupId);
  }

  /**
   * Next-best-action lists keyed by customer on the compacted actions topic, at least once: a
   * replayed list carries the same version, and readers keep only newer versions.
   */
  public KafkaSink<NextBestActions> actionsSink(String topic) {
    return keyedSink(
        topic,
        NextBestActions.class,
        NextBestActions::getCustomerId,
        NextBestActions::getDecidedAt);
  }

  /**
   * Decision records keyed by customer, at least once: a replayed one carries the same decision id
   * (customer and sequence number).
   */
  public KafkaSink<Decision> decisionsSink(String topic) {
    return keyedSink(topic, Decision.class, Decision::getCustomerId, Decision::getDecidedAt);
  }

  /**
   * The notification outbox, keyed by customer, <b>exactly once</b>: records go out in a Kafka
   * transaction committed with each checkpoint, so a read_committed reader (delivery) sees each
   * decided notification once, across failures and restores; a duplicate here would be a message
   * sent twice to a customer. They become visible when the checkpoint that covers them completes,
   * so the checkpoint interval is the floor of trigger-to-notification latency.
   *
   * @param transactionalIdPrefix unique per application on the cluster
   */
  public KafkaSink<Notification> notificationsSink(String topic, String transactionalIdPrefix) {
    return transactionalSink(
        topic,
        Notification.class,
        Notification::getCustomerId,
        Notification::getCreatedAt,
        transactionalIdPrefix);
  }

  /**
   * Attributions, keyed by customer, <b>exactly once</b> (as the outbox): totals summed from them
   * count each conversion once across restores.
   */
  public KafkaSink<Attribution> attributionsSink(String topic, String transactionalIdPrefix) {
    return transactionalSink(
        topic,
        Attribution.class,
        Attribution::getCustomerId,
        Attribution::getReceivedAt,
        transactionalIdPrefix);
  }

  /**
   * The compacted propensities topic, always from the beginning (like the rules), so the estimates
   * survive a start without state.
   */
  public KafkaSource<PropensityCounts> propensities(String topic) {
    return KafkaSource.<PropensityCounts>builder()
        .setBootstrapServers(bootstrapServers)
        .setTopics(topic)
        .setStartingOffsets(OffsetsInitializer.earliest())
        .setProperty("isolation.level", "read_committed")
        .setDeserializer(avroValues(PropensityCounts.class))
        .build();
  }

  /**
   * Propensity counts keyed by {@code CODE|segment}, at least once: they are absolute counts, so a
   * replayed record changes nothing.
   */
  public KafkaSink<PropensityCounts> propensitiesSink(String topic) {
    return keyedSink(
        topic,
        PropensityCounts.class,
        c -> c.getCode() + "|" + c.getSegment(),
        PropensityCounts::getUpdatedAt);
  }

  /** Erasure requests (GDPR) from the API, keyed by customer. */
  public KafkaSource<ErasureRequest> erasures(String topic, String groupId) {
    return avroSource(topic, ErasureRequest.class, groupId);
  }

  /** Erasures the profile job cascades to merged ids, keyed by customer, at least once. */
  public KafkaSink<ErasureRequest> erasureSink(String topic) {
    return keyedSink(
        topic, ErasureRequest.class, ErasureRequest::getCustomerId, ErasureRequest::getRequestedAt);
  }

  /** Merged-away profile states on their way to the survivor (the profile job's own loop). */
  public KafkaSource<ProfileTransfer> profileTransfers(String topic, String groupId) {
    return avroSource(topic, ProfileTransfer.class, groupId);
  }

  /**
   * Merged-away profile states keyed by the survivor, at least once: the survivor remembers which
   * ids it folded in, so a replayed transfer counts once.
   */
  public KafkaSink<ProfileTransfer> profileTransfersSink(String topic) {
    return keyedSink(
        topic,
        ProfileTransfer.class,
        ProfileTransfer::getInto,
        transfer -> transfer.getCause().getReceivedAt());
  }

  /**
   * The compacted rules topic (trigger rules, segments, scoring models and offers), always from the
   * beginning, so definitions survive a start without state.
   */
  public KafkaSource<RuleChange> rules(String topic) {
    return KafkaSource.<RuleChange>builder()
        .setBootstrapServers(bootstrapServers)
        .setTopics(topic)
        .setStartingOffsets(OffsetsInitializer.earliest())
        .setProperty("isolation.level", "read_committed")
        .setDeserializer(
            new DeadLetteringDeserializer<>(new RuleChangeDeserializer(registryUrl), undecodable))
        .build();
  }

  /** Where the rules topic ends now, for the trigger operator to read that far first. */
  public RulesAtStart rulesAtStart(String topic) {
    return RulesAtStart.read(bootstrapServers, topic);
  }

  /**
   * TriggerFired keyed by customer, <b>exactly once</b>, like the notification outbox: a restore
   * replays the firings after the last checkpoint, and without a transaction a reader of the topic
   * (the API's fire counts, the demo's figures) would count them twice. A read_committed reader
   * sees them when the checkpoint that covers them completes, so the checkpoint interval is the
   * floor of touchpoint-to-trigger latency on this topic. The decisions do not wait for it: they
   * take the firings from the trigger operator inside the job.
   *
   * @param transactionalIdPrefix unique per application on the cluster
   */
  public KafkaSink<TriggerFired> triggers(String topic, String transactionalIdPrefix) {
    return transactionalSink(
        topic,
        TriggerFired.class,
        TriggerFired::getCustomerId,
        TriggerFired::getFiredAt,
        transactionalIdPrefix);
  }

  /**
   * Touchpoints derived in the job (flight disruptions) onto {@code touchpoints.raw}, as envelopes
   * of kind {@value RawEnvelope#TOUCHPOINT} keyed by customer, at least once: the normalizer takes
   * them on to {@code touchpoints} with a collected event's guarantees, and drops one a restore
   * replays by its eventId, which is deterministic. Not transactional, so they go on at once rather
   * than at the next checkpoint.
   */
  public KafkaSink<Touchpoint> derivedTouchpointsSink(String rawTopic) {
    return keyedSink(
        rawTopic,
        (Touchpoint touchpoint) -> RawEnvelope.of(touchpoint).toBytes(),
        Touchpoint::getCustomerId,
        Touchpoint::getReceivedAt);
  }

  /**
   * Profile versions keyed by customer on the compacted profiles topic, at least once: a replayed
   * version carries the same version number, and readers keep only newer versions. An erased
   * customer's last version is a tombstone, so compaction removes every version of them.
   */
  public KafkaSink<CustomerProfile> profilesSink(String topic) {
    return keyedSink(
        topic,
        new TombstoneWhenErased(
            new AvroWireSerializationSchema<>(registryUrl, CustomerProfile.class, topic)),
        CustomerProfile::getCustomerId,
        CustomerProfile::getUpdatedAt);
  }

  private <T extends SpecificRecordBase> KafkaSource<T> avroSource(
      String topic, Class<T> type, String groupId) {
    return KafkaSource.<T>builder()
        .setBootstrapServers(bootstrapServers)
        .setTopics(topic)
        .setGroupId(groupId)
        .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
        .setProperty("isolation.level", "read_committed")
        .setDeserializer(avroValues(type))
        .build();
  }

  /** Values in the registry's wire format; one that cannot be read goes to the dead letters. */
  private <T extends SpecificRecordBase> KafkaRecordDeserializationSchema<T> avroValues(
      Class<T> type) {
    return new DeadLetteringDeserializer<>(
        KafkaRecordDeserializationSchema.valueOnly(
            new AvroWireDeserializationSchema<>(registryUrl, type)),
        undecodable);
  }

  private <T extends SpecificRecordBase> KafkaSink<T> keyedSink(
      String topic,
      Class<T> type,
      SerializableFunction<T, String> key,
      SerializableFunction<T, Instant> timestamp) {
    return keyedSink(
        topic, new AvroWireSerializationSchema<>(registryUrl, type, topic), key, timestamp);
  }

  private <T extends SpecificRecordBase> KafkaSink<T> keyedSink(
      String topic,
      SerializationSchema<T> values,
      SerializableFunction<T, String> key,
      SerializableFunction<T, Instant> timestamp) {
    return KafkaSink.<T>builder()
        .setBootstrapServers(bootstrapServers)
        .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
        .setRecordSerializer(records(topic, values, key, timestamp))
        .build();
  }

  /**
   * Records go out in a Kafka transaction committed with each checkpoint. The transaction timeout
   * is 5 minutes: above a default broker's 15-minute {@code transaction.max.timeout.ms} the
   * producer is refused.
   */
  private <T extends SpecificRecordBase> KafkaSink<T> transactionalSink(
      String topic,
      Class<T> type,
      SerializableFunction<T, String> key,
      SerializableFunction<T, Instant> timestamp,
      String transactionalIdPrefix) {
    return KafkaSink.<T>builder()
        .setBootstrapServers(bootstrapServers)
        .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
        .setTransactionalIdPrefix(transactionalIdPrefix)
        .setProperty("transaction.timeout.ms", "300000")
        .setRecordSerializer(
            records(
                topic, new AvroWireSerializationSchema<>(registryUrl, type, topic), key, timestamp))
        .build();
  }

  private static <T> KafkaRecordSerializationSchema<T> records(
      String topic,
      SerializationSchema<T> values,
      SerializableFunction<T, String> key,
      SerializableFunction<T, Instant> timestamp) {
    KafkaRecordSerializationSchema<T> records =
        KafkaRecordSerializationSchema.<T>builder()
            .setTopic(topic)
            .setKeySerializationSchema(
                (T value) -> key.apply(value).getBytes(StandardCharsets.UTF_8))
            .setValueSerializationSchema(values)
            .build();
    return new RecordTimestamps<>(records, timestamp);
  }
}
