package dev.engage.jobs.triggers;

import dev.engage.avro.Touchpoint;
import dev.engage.avro.TriggerFired;
import dev.engage.schemas.serde.flink.AvroWireDeserializationSchema;
import dev.engage.schemas.serde.flink.AvroWireSerializationSchema;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/** Kafka sources and sinks of the trigger job, with their watermark strategies. */
public final class KafkaEndpoints {
  private KafkaEndpoints() {}

  public static KafkaSource<Touchpoint> touchpoints(
      String bootstrapServers, String registryUrl, String topic, String groupId) {
    return KafkaSource.<Touchpoint>builder()
        .setBootstrapServers(bootstrapServers)
        .setTopics(topic)
        .setGroupId(groupId)
        .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
        .setProperty("isolation.level", "read_committed")
        .setValueOnlyDeserializer(
            new AvroWireDeserializationSchema<>(registryUrl, Touchpoint.class))
        .build();
  }

  /** Touchpoints in event time (occurredAt), tolerating some disorder and idle partitions. */
  public static WatermarkStrategy<Touchpoint> eventTime(Duration outOfOrderness) {
    return WatermarkStrategy.<Touchpoint>forBoundedOutOfOrderness(outOfOrderness)
        .withTimestampAssigner((event, previous) -> event.getOccurredAt().toEpochMilli())
        .withIdleness(Duration.ofSeconds(30));
  }

  /**
   * The compacted rules topic, always from the beginning, so rules survive a start without state.
   */
  public static KafkaSource<RuleChange> rules(
      String bootstrapServers, String registryUrl, String topic) {
    return KafkaSource.<RuleChange>builder()
        .setBootstrapServers(bootstrapServers)
        .setTopics(topic)
        .setStartingOffsets(OffsetsInitializer.earliest())
        .setProperty("isolation.level", "read_committed")
        .setDeserializer(new RuleChangeDeserializer(registryUrl))
        .build();
  }

  /** The rules stream never holds back event time: its watermark is always the maximum. */
  public static WatermarkStrategy<RuleChange> neverHoldsBack() {
    return context ->
        new WatermarkGenerator<>() {
          @Override
          public void onEvent(RuleChange change, long timestamp, WatermarkOutput output) {}

          @Override
          public void onPeriodicEmit(WatermarkOutput output) {
            output.emitWatermark(new Watermark(Long.MAX_VALUE));
          }
        };
  }

  /**
   * TriggerFired keyed by customer, at least once: a firing's eventId is derived from the rule
   * version and its causes, so a replayed one is recognizable downstream.
   */
  public static KafkaSink<TriggerFired> triggers(
      String bootstrapServers, String registryUrl, String topic) {
    return KafkaSink.<TriggerFired>builder()
        .setBootstrapServers(bootstrapServers)
        .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
        .setRecordSerializer(
            new StampedWithFiredAt(
                KafkaRecordSerializationSchema.<TriggerFired>builder()
                    .setTopic(topic)
                    .setKeySerializationSchema(
                        t -> t.getCustomerId().getBytes(StandardCharsets.UTF_8))
                    .setValueSerializationSchema(
                        new AvroWireSerializationSchema<>(registryUrl, TriggerFired.class, topic))
                    .build()))
        .build();
  }
}
