package dev.engage.jobs;

import dev.engage.schemas.registry.SchemaRegistryException;
import java.io.IOException;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kafka source's deserializer with a net under it: a record it cannot read (bytes that are not
 * the wire format, a schema id the registry does not know, a value the reader's schema cannot take)
 * goes to {@link UndecodableRecords}, is counted ({@code undecodableRecords} on the source's
 * metrics) and logged, and the source reads on. Without it the exception fails the job, and the
 * restore reads the same record again, for ever.
 *
 * <p>A registry that cannot be reached or answers 5xx is not the record's fault: that exception
 * fails the job, which restarts and reads the record again once the registry is back.
 */
final class DeadLetteringDeserializer<T> implements KafkaRecordDeserializationSchema<T> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(DeadLetteringDeserializer.class);

  private final KafkaRecordDeserializationSchema<T> reader;
  private final UndecodableRecords deadLetters;
  private transient Counter undecodable;

  DeadLetteringDeserializer(
      KafkaRecordDeserializationSchema<T> reader, UndecodableRecords deadLetters) {
    this.reader = reader;
    this.deadLetters = deadLetters;
  }

  @Override
  public void open(DeserializationSchema.InitializationContext context) throws Exception {
    reader.open(context);
    undecodable = context.getMetricGroup().counter("undecodableRecords");
  }

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<T> out)
      throws IOException {
    try {
      reader.deserialize(record, out);
    } catch (RuntimeException e) {
      if (isRegistryOutage(e)) {
        throw e;
      }
      undecodable.inc();
      LOG.warn(
          "Cannot read the record at {}-{}@{}; it goes to the dead letters",
          record.topic(),
          record.partition(),
          record.offset(),
          e);
      deadLetters.send(record, e);
    }
  }

  @Override
  public TypeInformation<T> getProducedType() {
    return reader.getProducedType();
  }

  private static boolean isRegistryOutage(RuntimeException e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof SchemaRegistryException registry
          && (registry.status() == 0 || registry.status() >= 500)) {
        return true;
      }
    }
    return false;
  }
}
