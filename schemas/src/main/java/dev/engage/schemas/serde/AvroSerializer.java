package dev.engage.schemas.serde;

import dev.engage.schemas.registry.SubjectNames;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serializer writing Avro-generated records in Confluent's wire format, registering the
 * schema under the topic's subject (TopicNameStrategy).
 */
public final class AvroSerializer<T extends SpecificRecord> implements Serializer<T> {
  private final AvroWireCodec<T> codec;
  private final boolean isKey;

  public AvroSerializer(AvroWireCodec<T> codec, boolean isKey) {
    this.codec = codec;
    this.isKey = isKey;
  }

  @Override
  public byte[] serialize(String topic, T data) {
    return codec.encode(SubjectNames.forTopic(topic, isKey), data);
  }
}
