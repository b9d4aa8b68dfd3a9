package dev.engage.jobs;

import java.time.Instant;
import org.apache.flink.api.common.serialization.SerializationSchema.InitializationContext;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Gives each Kafka record a wall-clock timestamp taken from the value (when it was fired or
 * received). Flink would stamp it with the element's event time, and a record whose event time lies
 * more than an hour ahead of the broker's clock (a deadline timer, a client with a skewed clock)
 * would be refused by the broker ({@code message.timestamp.after.max.ms}) and fail the whole job.
 */
final class RecordTimestamps<T> implements KafkaRecordSerializationSchema<T> {
  private static final long serialVersionUID = 1L;

  private final KafkaRecordSerializationSchema<T> records;
  private final SerializableFunction<T, Instant> timestamp;

  RecordTimestamps(
      KafkaRecordSerializationSchema<T> records, SerializableFunction<T, Instant> timestamp) {
    this.records = records;
    this.timestamp = timestamp;
  }

  @Override
  public void open(InitializationContext context, KafkaSinkContext sinkContext) throws Exception {
    records.open(context, sinkContext);
  }

  @Override
  public ProducerRecord<byte[], byte[]> serialize(
      T value, KafkaSinkContext context, Long eventTime) {
    return records.serialize(value, context, timestamp.apply(value).toEpochMilli());
  }
}
