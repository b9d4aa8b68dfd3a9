package dev.engage.jobs.triggers;

import dev.engage.avro.RuleRecord;
import dev.engage.schemas.registry.SchemaRegistryClient;
import dev.engage.schemas.serde.AvroWireCodec;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Reads the rules topic with its keys, so tombstones (deleted rules) come through too. */
public final class RuleChangeDeserializer implements KafkaRecordDeserializationSchema<RuleChange> {
  private static final long serialVersionUID = 1L;

  private final String registryUrl;
  private transient AvroWireCodec<RuleRecord> codec;

  public RuleChangeDeserializer(String registryUrl) {
    this.registryUrl = registryUrl;
  }

  @Override
  public void open(DeserializationSchema.InitializationContext context) {
    codec = new AvroWireCodec<>(new SchemaRegistryClient(registryUrl), RuleRecord.class);
  }

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RuleChange> out) {
    if (record.key() == null) {
      return; // not a rule: every rule record is keyed by its id
    }
    String id = new String(record.key(), StandardCharsets.UTF_8);
    out.collect(
        RuleChange.read(id, codec.decode(record.value()), record.partition(), record.offset()));
  }

  @Override
  public TypeInformation<RuleChange> getProducedType() {
    return TypeInformation.of(RuleChange.class);
  }
}
