package dev.engage.jobs.triggers;

import dev.engage.avro.TriggerFired;
import org.apache.flink.api.common.serialization.SerializationSchema.InitializationContext;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Gives each firing's Kafka record its {@code firedAt} as timestamp. Flink would stamp it with the
 * element's event time, and a firing whose event time lies more than an hour ahead of the broker's
 * clock (a deadline timer, a client with a skewed clock) would be refused by the broker ({@code
 * message.timestamp.after.max.ms}) and fail the whole job.
 */
final class StampedWithFiredAt implements KafkaRecordSerializationSchema<TriggerFired> {
  private static final long serialVersionUID = 1L;

  private final KafkaRecordSerializationSchema<TriggerFired> records;

  StampedWithFiredAt(KafkaRecordSerializationSchema<TriggerFired> records) {
    this.records = records;
  }

  @Override
  public void open(InitializationContext context, KafkaSinkContext sinkContext) throws Exception {
    records.open(context, sinkContext);
  }

  @Override
  public ProducerRecord<byte[], byte[]> serialize(
      TriggerFired firing, KafkaSinkContext context, Long eventTime) {
    return records.serialize(firing, context, firing.getFiredAt().toEpochMilli());
  }
}
