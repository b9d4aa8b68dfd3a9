package dev.engage.schemas.serde.flink;

import dev.engage.schemas.registry.SchemaRegistryClient;
import dev.engage.schemas.registry.SubjectNames;
import dev.engage.schemas.serde.AvroWireCodec;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.serialization.SerializationSchema;

/**
 * Flink serialization schema writing Avro-generated records in Confluent's wire format for one
 * topic. The registry client is created on the task in {@link #open}, not shipped with the job.
 */
public final class AvroWireSerializationSchema<T extends SpecificRecordBase>
    implements SerializationSchema<T> {
  private static final long serialVersionUID = 1L;

  private final String registryUrl;
  private final Class<T> type;
  private final String subject;
  private transient AvroWireCodec<T> codec;

  public AvroWireSerializationSchema(String registryUrl, Class<T> type, String topic) {
    this.registryUrl = registryUrl;
    this.type = type;
    this.subject = SubjectNames.forTopic(topic, false);
  }

  @Override
  public void open(InitializationContext context) {
    codec = new AvroWireCodec<>(new SchemaRegistryClient(registryUrl), type);
  }

  @Override
  public byte[] serialize(T element) {
    return codec.encode(subject, element);
  }
}
